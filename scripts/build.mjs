#!/usr/bin/env node
// dist/: JS + .d.ts for the package's subpath exports (see package.json "exports").
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { root } from "./lib/registry.mjs";

rmSync(join(root, "dist"), { recursive: true, force: true });
execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "tsconfig.build.json")], {
  stdio: "inherit",
  cwd: root,
});
console.log("dist/ built");
