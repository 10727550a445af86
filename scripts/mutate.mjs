#!/usr/bin/env node
// `npm run mutate [-- <stryker options>]`: StrykerJS over src/ (stryker.config.mjs), then the committed summary
// (reports/mutation-summary.md) is brought up to date from its JSON report. Not part of `npm test`.
//
//   npm run mutate                                  every file of src/ (incremental: unchanged code is not re-run)
//   npm run mutate -- --mutate "src/polyv/**/*.ts"  one folder; the other folders keep their last measurement
//   npm run mutate -- --force                       ignore the incremental file and run every mutant again
//   npm run mutate -- --summary                     run nothing: write the summary again (after editing the notes)
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { root } from "./lib/registry.mjs";
import { writeSummary } from "./lib/mutation-summary.mjs";

if (process.argv.includes("--summary")) {
  console.log(`summary: ${writeSummary().markdown}`);
  process.exit(0);
}
const report = join(root, ".stryker-tmp", "mutation.json");
rmSync(report, { force: true });
const stryker = join(root, "node_modules", "@stryker-mutator", "core", "bin", "stryker.js");
const run = spawnSync(process.execPath, [stryker, "run", ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
if (!existsSync(report)) {
  console.error("mutate: StrykerJS wrote no report; the summary is unchanged");
  process.exit(run.status || 1);
}
const { markdown, folders } = writeSummary(report);
for (const f of folders) console.log(`${f.folder.padEnd(14)} ${f.score === undefined ? "  -  " : `${f.score.toFixed(1)} %`}  (${f.survivors} surviving)`);
console.log(`summary: ${markdown}`);
process.exit(run.status ?? 1);
