// A spec that fails lint stops `npm run docs` with Redocly's message, and the site already there is untouched.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { root } from "../helpers/spec.js";

mkdirSync(join(root, ".tmp"), { recursive: true });
const dir = mkdtempSync(join(root, ".tmp", "broken-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("refuses to build docs from a spec that does not lint clean", () => {
  const registry = parse(readFileSync(join(root, "redocly.yaml"), "utf8"));
  registry.apis = { "broken@v1": { root: "broken.yaml" } };
  writeFileSync(join(dir, "redocly.yaml"), stringify(registry));
  const spec = parse(readFileSync(join(root, "specs", "flipflop.yaml"), "utf8"));
  delete spec.paths["/v2/apps/me/members/login"].post.operationId;
  writeFileSync(join(dir, "broken.yaml"), stringify(spec));
  const out = join(dir, "site");
  mkdirSync(out);
  writeFileSync(join(out, "index.html"), "previous site");

  const r = spawnSync(process.execPath, [join(root, "scripts", "docs.mjs")], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, STREAMSPEC_REGISTRY: join(dir, "redocly.yaml"), STREAMSPEC_DOCS_OUT: out },
  });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain("operation-operationId");
  expect(r.stderr).toContain("docs not built");
  expect(readFileSync(join(out, "index.html"), "utf8")).toBe("previous site");
  expect(existsSync(`${out}.building`)).toBe(false);
});
