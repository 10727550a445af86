// StrykerJS for `npm run mutate` (scripts/mutate.mjs), never part of `npm test`.
// @ts-check
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutate.config.ts", related: true },
  // Hand-written code only: generated/ is never mutated (it lies outside src/ and is produced by npm run generate).
  // src/cli/ is left out: its tests run the built bin in a subprocess, which a mutant in src/ never reaches.
  // src/redis/ too: its tests need a redis-server of their own and real time (test/redis, in npm test).
  // src/testing/ (the fakes, streamspec/testing) too: it is test equipment, checked by test/testing, and measuring
  // it would double the run; the goal of issue 17 is src/core and the provider folders.
  mutate: ["src/**/*.ts", "!src/**/*.d.ts", "!src/cli/**", "!src/redis/**", "!src/testing/**"],
  coverageAnalysis: "perTest",
  // Incremental: only mutants in changed code, or covered by changed tests, run again. The incremental file stays
  // out of git (README, "Mutation testing": it copies every source and test file and changes on every run); the
  // committed artefact is reports/mutation-summary.md.
  incremental: true,
  incrementalFile: ".stryker-tmp/incremental.json",
  // Two cores shared by several people: one test process at a time.
  concurrency: 1,
  timeoutMS: 10_000,
  reporters: ["progress", "json", "html"],
  jsonReporter: { fileName: ".stryker-tmp/mutation.json" },
  htmlReporter: { fileName: ".stryker-tmp/mutation.html" },
  tempDirName: ".stryker-tmp",
  // What the sandbox copy leaves out: build output, docs, benchmarks and the reports (none of it is tested here).
  ignorePatterns: ["/dist", "/docs", "/docs-assets", "/bench", "/.tmp", "/reports"],
  cleanTempDir: "always",
  thresholds: { high: 90, low: 80, break: null },
};
