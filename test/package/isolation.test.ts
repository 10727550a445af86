// What a provider subpath's bundle may hold: its own code, the shared core, the generated files of that provider
// and openapi-fetch — never another provider's code, nor a Node-only or test-only subpath (the command line, the
// Redis store, the fakes and their wire validators) or the libraries only those use.
import { join } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { root } from "../helpers/spec.js";

const PROVIDERS = ["flipflop", "polyv", "soop", "arctos"];
const FOREIGN_SUBPATHS = [/src\/(cli|redis|testing)\//, /\.wire-validators\./];
const FOREIGN_PACKAGES = /node_modules\/(rate-limiter-flexible|redis|ioredis|@redis|ajv|ajv-formats|yaml)\//;

describe("no provider subpath bundles what is not its own", () => {
  it.each(PROVIDERS)("%s", async (provider) => {
    const result = await build({
      absWorkingDir: root,
      entryPoints: [join(root, "src", provider, "index.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((p) => p.startsWith(`src/${provider}/`))).toBe(true); // the check looks at the right bundle
    const others = PROVIDERS.filter((p) => p !== provider);
    const foreign = inputs.filter(
      (p) => others.some((o) => p.startsWith(`src/${o}/`) || p.startsWith(`generated/${o}.`)) || FOREIGN_SUBPATHS.some((re) => re.test(p)) || FOREIGN_PACKAGES.test(p),
    );
    expect(foreign).toEqual([]);
  });
});
