#!/usr/bin/env node
// Lints every spec in the registry with the project's rules; any error OR warning fails. Redocly checks its
// rules and the configurable ones in redocly.yaml; scripts/lib/spec-rules.mjs adds the ones Redocly cannot say.
import { relative } from "node:path";
import { loadSpec, providers, registryPath, root } from "./lib/registry.mjs";
import { redocly } from "./lib/redocly.mjs";
import { specRuleProblems } from "./lib/spec-rules.mjs";

export async function lintSpecs({ quiet = false } = {}) {
  let failed = 0;
  const results = await Promise.all(
    providers().map(async (p) => ({ p, ...(await redocly(["lint", p.alias, "--config", registryPath, "--format", "json", "--max-problems", "1000"], { capture: true })) })),
  );
  for (const { p, code, output } of results) {
    let report;
    try {
      report = JSON.parse(output.slice(output.indexOf("{"), output.lastIndexOf("}") + 1));
    } catch {
      console.error(`${p.alias}: redocly lint failed:\n${output}`);
      failed++;
      continue;
    }
    let { errors, warnings } = report.totals;
    for (const problem of report.problems) {
      const where = problem.location?.[0];
      const file = where?.source?.ref ? relative(root, where.source.ref) : relative(root, p.specPath);
      console.error(`${file}#${where?.pointer ?? ""} ${problem.severity} ${problem.ruleId}: ${problem.message}`);
    }
    for (const problem of specRuleProblems(loadSpec(p.specPath))) {
      errors++;
      console.error(`${relative(root, p.specPath)}${problem.pointer} error ${problem.rule}: ${problem.message}`);
    }
    if (errors || warnings || code !== 0) failed++;
    if (!quiet || errors || warnings) console.log(`${p.alias}: ${errors} errors, ${warnings} warnings`);
  }
  return failed === 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exit((await lintSpecs()) ? 0 : 1);
}
