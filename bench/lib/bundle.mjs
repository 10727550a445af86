// Section 4: what each subpath costs a bundle. Each dist entry is bundled with esbuild (platform node, ESM,
// minified, openapi-fetch included), then gzipped (level 9). The metafile says which inputs went in: no
// provider's bundle may contain another provider's src/<other>/ or generated/<other>.* module, nor streamspec/redis,
// nor the fakes (streamspec/testing).
// Each entry is also bundled for platform=browser: the Node built-ins it imports (`node:` or bare) are listed,
// and must be none (browsers, workerd and edge runtimes have no Node built-ins).
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const NODE_ONLY = [/src\/redis\//, /node_modules\/(rate-limiter-flexible|redis|ioredis|@redis)\//];

/** The inputs of one bundle, grouped: openapi-fetch, core, this provider's src/ and generated/. */
function group(path, provider) {
  if (path.includes("node_modules/")) return path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)[1];
  if (path.includes("/core/")) return "src/core";
  if (path.includes(`/src/${provider}/`)) return `src/${provider}`;
  if (path.includes(`/generated/${provider}.`)) return `generated/${provider}`;
  return "other";
}

/** → { [provider]: { minBytes, gzipBytes, inputs, foreign: [paths], byGroup: { group: bytes in the minified output } } } */
export async function run({ root, providers }) {
  const out = {};
  for (const provider of providers) {
    const result = await build({
      absWorkingDir: root,
      entryPoints: [`dist/src/${provider}/index.js`],
      bundle: true,
      platform: "node",
      format: "esm",
      minify: true,
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const code = result.outputFiles[0].contents;
    const inputs = Object.keys(result.metafile.inputs);
    const others = providers.filter((p) => p !== provider);
    // Another provider's code, a Node-only subpath's (the Redis store and its libraries), the test kit
    // (streamspec/testing) or the wire validators only the fakes use is foreign here.
    const foreign = inputs.filter(
      (path) =>
        others.some((o) => path.includes(`src/${o}/`) || path.includes(`generated/${o}.`)) ||
        NODE_ONLY.some((re) => re.test(path)) ||
        path.includes("src/testing/") ||
        path.includes(".wire-validators."),
    );
    const byGroup = {};
    const output = Object.values(result.metafile.outputs)[0];
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const g = group(path, provider);
      byGroup[g] = (byGroup[g] ?? 0) + bytesInOutput;
    }
    out[provider] = {
      browserNodeImports: await browserNodeImports(root, `dist/src/${provider}/index.js`),
      minBytes: code.byteLength,
      gzipBytes: gzipSync(code, { level: 9 }).byteLength,
      inputs: inputs.length,
      foreign,
      byGroup,
    };
  }
  return out;
}

/** The Node built-ins the browser bundle of `entry` would need: imports of `node:*`, or bare names that do not resolve. */
async function browserNodeImports(root, entry) {
  try {
    const result = await build({
      absWorkingDir: root,
      entryPoints: [entry],
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      metafile: true,
      external: ["node:*"],
      logLevel: "silent",
    });
    return [...new Set(Object.values(result.metafile.inputs).flatMap((i) => i.imports.filter((x) => x.path.startsWith("node:")).map((x) => x.path)))];
  } catch (error) {
    // platform=browser refuses a bare built-in ("crypto"): that is a Node import too.
    return (error.errors ?? [{ text: String(error) }]).map((e) => e.text);
  }
}
