#!/usr/bin/env node
// dist/: JS + .d.ts for the package's subpath exports (see package.json "exports") and its bin.
// `--out-dir <dir>` builds elsewhere (the CLI tests build their own copy while another test rebuilds dist/).
import { execFileSync } from "node:child_process";
import { chmodSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { root } from "./lib/registry.mjs";

const flag = process.argv.indexOf("--out-dir");
const out = flag === -1 ? join(root, "dist") : resolve(process.argv[flag + 1]);
rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "tsconfig.build.json"), "--outDir", out], {
  stdio: "inherit",
  cwd: root,
});
// npm marks bins executable when it installs a package; a checkout runs them straight from the build.
for (const bin of Object.values(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).bin ?? {})) {
  chmodSync(join(out, bin.replace(/^dist\//, "")), 0o755);
}
console.log(`${out === join(root, "dist") ? "dist/" : out} built`);
