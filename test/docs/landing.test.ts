// The curl line the landing page shows for a provider works against that provider's mock — checked for every
// operation, so whichever one the page picks is known to be right.
import { execFileSync } from "node:child_process";
import { describe, expect, inject, it } from "vitest";
// @ts-expect-error plain ESM helpers shared with the scripts
import { loadSpec, providers } from "../../scripts/lib/registry.mjs";
// @ts-expect-error plain ESM helpers shared with the scripts
import { curlLine, operationsOf } from "../../scripts/lib/samples.mjs";

const cases = (providers() as { name: string; specPath: string }[]).flatMap((p) => {
  const spec = loadSpec(p.specPath);
  return operationsOf(spec).map((entry: { op: { operationId: string } }) => [`${p.name}.${entry.op.operationId}`, p.name, spec, entry] as const);
});

describe("curl lines", () => {
  it.each(cases)("%s passes Prism's validation", (_, name, spec, entry) => {
    const line: string = curlLine(spec, entry, inject("mocks")[name]);
    const out = execFileSync("bash", ["-c", `${line} -s -D - -o /dev/null`], { encoding: "utf8" });
    const status = Number(out.split(" ")[1]);
    expect(out.toLowerCase(), line).not.toContain("sl-violations");
    expect(status, line).toBeLessThan(400);
  });
});
