#!/usr/bin/env node
// `npm test`: every check the project makes, in one run, ending with one plain line "N passed, M failed".
// Checks: spec lint, generated/ freshness, type check, docs build, then the vitest suites (unit, contract
// against Prism, package consumer and packaging, browser, the runtime matrix, and the *.test-d.ts type tests).
// A skipped or todo test is a failure.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { root } from "./lib/registry.mjs";

const node = process.execPath;
const steps = [
  ["lint specs", [node, "scripts/lint-specs.mjs"]],
  ["generated/ up to date", [node, "scripts/generate.mjs", "--check"]],
  ["type check", [node, "node_modules/typescript/bin/tsc", "-p", "tsconfig.json", "--noEmit"]],
  ["docs build", [node, "scripts/docs.mjs"]],
];

let passed = 0;
let failed = 0;
for (const [name, [cmd, ...args]] of steps) {
  console.log(`\n=== ${name}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (r.status === 0) passed++;
  else {
    failed++;
    console.log(`FAILED: ${name}`);
  }
}

console.log("\n=== vitest");
const report = join(root, ".tmp", "vitest-report.json");
const matrix = join(root, ".tmp", "fault-matrix.txt");
const runtimes = join(root, ".tmp", "runtime-matrix.txt");
rmSync(report, { force: true });
rmSync(matrix, { force: true });
rmSync(runtimes, { force: true });
const extra = process.argv.slice(2);
spawnSync(node, ["node_modules/vitest/vitest.mjs", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...extra], {
  cwd: root,
  stdio: "inherit",
});
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, "utf8"));
  passed += r.numPassedTests;
  // A file that failed to load has no failed tests of its own: count it once.
  const broken = r.testResults.filter((s) => s.status === "failed" && !s.assertionResults.some((a) => a.status === "failed")).length;
  failed += r.numFailedTests + broken;
  if (r.numTotalTests === 0) failed++;
  // A skipped or todo test checks nothing: each one counts as a failure, named.
  const notRun = r.testResults.flatMap((s) =>
    s.assertionResults.filter((a) => a.status !== "passed" && a.status !== "failed").map((a) => `${relative(root, s.name)} > ${a.fullName} (${a.status})`),
  );
  for (const name of notRun) console.log(`FAILED: not run: ${name}`);
  failed += notRun.length;
} else {
  console.log("FAILED: vitest wrote no report");
  failed++;
}

if (existsSync(matrix)) console.log(`\n${readFileSync(matrix, "utf8")}`);
if (existsSync(runtimes)) console.log(`\n${readFileSync(runtimes, "utf8")}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
