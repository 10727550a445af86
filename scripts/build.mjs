#!/usr/bin/env node
// dist/: JS + .d.ts for the package's subpath exports (see package.json "exports"), plus the CommonJS entry
// files and .d.cts declarations of their "require" conditions (see lib/cjs.mjs).
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { emitCjsEntries } from "./lib/cjs.mjs";
import { root } from "./lib/registry.mjs";

rmSync(join(root, "dist"), { recursive: true, force: true });
execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "tsconfig.build.json")], {
  stdio: "inherit",
  cwd: root,
});
emitCjsEntries(root, JSON.parse(readFileSync(join(root, "package.json"), "utf8")));
console.log("dist/ built");
