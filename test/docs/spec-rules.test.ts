// The spec rules Redocly cannot express (scripts/lib/spec-rules.mjs): a retried non-GET operation says why a
// repeat cannot change anything twice, and every x-undocumented says why we assume it. `npm run lint:specs`
// fails on either.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { root } from "../helpers/spec.js";
// @ts-expect-error plain ESM helpers shared with the scripts
import { specRuleProblems } from "../../scripts/lib/spec-rules.mjs";

const op = (extra: Record<string, unknown>) => ({ operationId: "x", responses: {}, ...extra });
const rulesOf = (spec: unknown) => (specRuleProblems(spec) as { pointer: string; rule: string }[]).map((p) => `${p.rule} ${p.pointer}`);

describe("spec rules", () => {
  it("a retried POST, PUT, PATCH or DELETE needs x-retry-safe-reason; a GET does not", () => {
    const spec = {
      paths: {
        "/a": { post: op({ "x-retry-safe": true }), get: op({ "x-retry-safe": true }) },
        "/b/{id}": { delete: op({ "x-retry-safe": true, "x-retry-safe-reason": "  " }), put: op({ "x-retry-safe": true, "x-retry-safe-reason": "the same value again" }) },
        "/c": { post: op({ "x-retry-safe": false }), patch: op({ "x-retry-safe": true, "x-retry-safe-reason": 1 }) },
      },
    };
    expect(rulesOf(spec)).toEqual([
      "retry-safe-reason #/paths/~1a/post",
      "retry-safe-reason #/paths/~1b~1{id}/delete",
      "retry-safe-reason #/paths/~1b~1{id}/delete",
      "retry-safe-reason #/paths/~1c/patch",
      "retry-safe-reason #/paths/~1c/patch",
    ]);
  });

  it("a reason on an operation that is not retried is refused (it would explain nothing)", () => {
    expect(rulesOf({ paths: { "/a": { post: op({ "x-retry-safe": false, "x-retry-safe-reason": "why" }) } } })).toEqual(["retry-safe-reason #/paths/~1a/post"]);
  });

  it("x-undocumented must be a sentence, wherever it is", () => {
    const spec = {
      paths: { "/a": { get: op({ "x-retry-safe": true, "x-undocumented": true, responses: { "400": { description: "d", "x-undocumented": "" } } }) } },
      components: { schemas: { S: { properties: { p: { type: "string", "x-undocumented": "we assume it" } } } } },
    };
    expect(rulesOf(spec).sort()).toEqual(["undocumented-reason #/paths/~1a/get/responses/400/x-undocumented", "undocumented-reason #/paths/~1a/get/x-undocumented"]);
  });

  it("the four specs keep both rules", () => {
    for (const name of ["flipflop", "polyv", "soop", "arctos"]) {
      expect(specRuleProblems(parse(readFileSync(join(root, "specs", `${name}.yaml`), "utf8"))), name).toEqual([]);
    }
  });
});

describe("npm run lint:specs", () => {
  mkdirSync(join(root, ".tmp"), { recursive: true });
  const dir = mkdtempSync(join(root, ".tmp", "rules-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("fails on a retried POST without its reason, naming the operation and the rule", () => {
    const registry = parse(readFileSync(join(root, "redocly.yaml"), "utf8"));
    registry.apis = { "broken@v1": { root: "broken.yaml" } };
    writeFileSync(join(dir, "redocly.yaml"), stringify(registry));
    const spec = parse(readFileSync(join(root, "specs", "soop.yaml"), "utf8"));
    delete spec.paths["/broad/rtmp"].post["x-retry-safe-reason"];
    writeFileSync(join(dir, "broken.yaml"), stringify(spec));
    const r = spawnSync(process.execPath, [join(root, "scripts", "lint-specs.mjs")], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, STREAMSPEC_REGISTRY: join(dir, "redocly.yaml") },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("#/paths/~1broad~1rtmp/post error retry-safe-reason");
    expect(r.stdout).toContain("broken@v1: 1 errors, 0 warnings");
  }, 60_000);
});
