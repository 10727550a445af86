#!/usr/bin/env node
// dist/: JS + .d.ts for the package's subpath exports (see package.json "exports"), its bin, and the specs as
// JSON for the bin.
// `--out-dir <dir>` builds elsewhere (the CLI tests build their own copy while another test rebuilds dist/).
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadSpec, providers, root } from "./lib/registry.mjs";

const flag = process.argv.indexOf("--out-dir");
const out = flag === -1 ? join(root, "dist") : resolve(process.argv[flag + 1]);
rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "tsconfig.build.json"), "--outDir", out], {
  stdio: "inherit",
  cwd: root,
});
// The command line reads each spec at run time for help and its environment map; parsing YAML on every run
// would cost more than the rest of its start, so the build keeps a JSON copy beside the operation indexes.
mkdirSync(join(out, "specs"), { recursive: true });
for (const p of providers()) writeFileSync(join(out, "specs", `${p.name}.json`), JSON.stringify(loadSpec(p.specPath)));
// npm marks bins executable when it installs a package; a checkout runs them straight from the build.
for (const bin of Object.values(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).bin ?? {})) {
  chmodSync(join(out, bin.replace(/^dist\//, "")), 0o755);
}
console.log(`${out === join(root, "dist") ? "dist/" : out} built`);
