import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/mocks.global.ts"],
    testTimeout: 30_000,
    // A test that makes no assertion fails: it could not have caught anything.
    expect: { requireAssertions: true },
    hookTimeout: 60_000,
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "tsconfig.json" },
  },
});
