// `npm run generate -- --check` fails and names the stale file when a spec changed without regenerating.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { root } from "../helpers/spec.js";

mkdirSync(join(root, ".tmp"), { recursive: true });
const dir = mkdtempSync(join(root, ".tmp", "stale-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const check = (registry: string) =>
  spawnSync(process.execPath, [join(root, "scripts", "generate.mjs"), "--check"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, STREAMSPEC_REGISTRY: registry },
  });

it("passes for the committed specs and fails, naming the file, for a changed one", () => {
  const registry = parse(readFileSync(join(root, "redocly.yaml"), "utf8"));
  registry.apis = { "flipflop@v2": { root: "flipflop.yaml" } };
  writeFileSync(join(dir, "redocly.yaml"), stringify(registry));
  const spec = readFileSync(join(root, "specs", "flipflop.yaml"), "utf8");

  writeFileSync(join(dir, "flipflop.yaml"), spec);
  const fresh = check(join(dir, "redocly.yaml"));
  expect(fresh.status, fresh.stderr).toBe(0);

  writeFileSync(join(dir, "flipflop.yaml"), spec.replace("maxLength: 50\n          description: A type of your own", "maxLength: 40\n          description: A type of your own"));
  const stale = check(join(dir, "redocly.yaml"));
  expect(stale.status).toBe(1);
  expect(stale.stderr).toContain("stale: generated/flipflop.operations.ts");
  expect(stale.stderr).not.toContain("generated/polyv");
});
