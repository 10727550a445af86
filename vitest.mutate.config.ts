// The tests StrykerJS runs against each mutant (npm run mutate): the unit tests and the fast reliability tests.
// Left out: contract tests (Prism), docs and package tests (browser, build), type tests, and the reliability files
// that measure time or run thousands of real HTTP calls (fault matrix, resource bounds, concurrency) or generate
// thousands of inputs (properties): under instrumented code they are slow and their time budgets are not meant
// for it. npm test still runs everything.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "test/unit/**/*.test.ts",
      "test/reliability/secrets.test.ts",
      "test/reliability/src-fixes.test.ts",
      "test/reliability/transport-safety.test.ts",
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    expect: { requireAssertions: true },
    typecheck: { enabled: false },
  },
});
