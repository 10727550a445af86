// A throwaway project that installs the packed tarball as a user's project would (npm ci, a real copy, no symlink
// to the checkout), outside the checkout so that nothing can be found in the checkout's node_modules by accident.
// Offline: its lockfile pins the package's dependency closure, taken from the checkout's lockfile, so npm ci takes
// every tarball from the npm cache that the checkout's own `npm ci` filled.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "../helpers/spec.js";

interface LockEntry {
  version: string;
  integrity?: string;
  resolved?: string;
  dependencies?: Record<string, string>;
  [key: string]: unknown;
}

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: "pipe", env: { ...process.env, npm_config_update_notifier: "false" } });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
}

/** Creates the project with the tarball installed; returns its folder (the caller removes it). */
export function installTarball(tarball: string, prefix = "streamspec-matrix-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  copyFileSync(tarball, join(dir, "streamspec.tgz"));
  const pkg = JSON.parse(run("tar", ["xzOf", "streamspec.tgz", "package/package.json"], dir)) as { name: string; version: string; license?: string; engines?: object; dependencies?: Record<string, string> };
  const rootLock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
  const integrity = `sha512-${createHash("sha512").update(readFileSync(join(dir, "streamspec.tgz"))).digest("base64")}`;
  const packages: Record<string, object> = {
    "": { name: "matrix", dependencies: { [pkg.name]: "file:streamspec.tgz" } },
    [`node_modules/${pkg.name}`]: { version: pkg.version, resolved: "file:streamspec.tgz", integrity, license: pkg.license, dependencies: pkg.dependencies, engines: pkg.engines },
  };
  // The package's dependencies as the published package.json lists them (not the checkout's devDependencies).
  const todo = Object.keys(pkg.dependencies ?? {});
  while (todo.length) {
    const name = todo.shift()!;
    const key = `node_modules/${name}`;
    if (packages[key]) continue;
    const entry = rootLock.packages[key];
    if (!entry) throw new Error(`the checkout's package-lock.json has no ${key} (a dependency of ${pkg.name})`);
    const { dev, devOptional, optional, peer, ...kept } = entry;
    void [dev, devOptional, optional, peer];
    packages[key] = kept;
    todo.push(...Object.keys(entry.dependencies ?? {}));
  }
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "matrix", private: true, type: "module", dependencies: { [pkg.name]: "file:streamspec.tgz" } }, null, 2));
  writeFileSync(join(dir, "package-lock.json"), JSON.stringify({ name: "matrix", lockfileVersion: 3, requires: true, packages }, null, 2));
  run("npm", ["ci", "--offline", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], dir);
  mkdirSync(join(dir, "home"));
  mkdirSync(join(dir, "tmp"));
  return dir;
}
