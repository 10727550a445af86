// The package as users get it: built into a staging folder (never the checkout's dist/, which other test files
// rebuild) and packed with `npm pack`. The tarball is cached under .tmp/pack/ by a hash of everything that goes
// into it, and a lock makes concurrent test files share one build instead of racing.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { root } from "./spec.js";

const INPUTS = ["src", "generated", "specs", "docs-assets", "scripts/build.mjs", "scripts/lib/cjs.mjs", "scripts/lib/registry.mjs", "redocly.yaml", "package.json", "package-lock.json", "README.md", "LICENSE", "tsconfig.json", "tsconfig.build.json"];

function filesOf(path: string): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath ?? d.path, d.name))
    .sort();
}

function inputHash(): string {
  const hash = createHash("sha256");
  for (const file of INPUTS.flatMap((p) => filesOf(join(root, p)))) hash.update(relative(root, file)).update("\0").update(readFileSync(file)).update("\0");
  return hash.digest("hex").slice(0, 16);
}

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: "pipe", env: { ...process.env, npm_config_update_notifier: "false" } });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${e.stdout ?? ""}${e.stderr ?? ""}${e.message}`);
  }
}

/** What `npm run build && npm pack` makes, from a copy of the package's inputs; returns the .tgz path. */
function buildAndPack(into: string): string {
  const stage = join(into, "stage");
  mkdirSync(stage, { recursive: true });
  // Whatever package.json's `files` lists (dist/ is built below), plus what npm always packs.
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { files?: string[] };
  for (const p of ["package.json", "README.md", "LICENSE", ...(pkg.files ?? [])]) {
    if (p !== "dist" && existsSync(join(root, p))) cpSync(join(root, p), join(stage, p), { recursive: true });
  }
  // The same build as `npm run build` (CommonJS entries, the bin, the specs as JSON), into the stage.
  run(process.execPath, [join(root, "scripts", "build.mjs"), "--out-dir", join(stage, "dist")], root);
  // --ignore-scripts: the prepack build would rebuild the checkout's dist/; the stage is already built.
  const out = JSON.parse(run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", into], stage)) as { filename: string }[];
  rmSync(stage, { recursive: true, force: true });
  return join(into, out[0]!.filename);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The packed tarball of the current sources (built at most once per content, whichever test file asks first). */
export async function packedTarball(timeoutMs = 240_000): Promise<string> {
  const base = join(root, ".tmp", "pack");
  const hash = inputHash();
  const done = join(base, hash);
  const lock = join(base, `${hash}.lock`);
  mkdirSync(base, { recursive: true });
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = existsSync(done) ? readdirSync(done).find((f) => f.endsWith(".tgz")) : undefined;
    if (found) return join(done, found);
    try {
      mkdirSync(lock);
    } catch {
      // Another test file is building it; a lock older than the timeout is a crashed run's.
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > timeoutMs) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > until) throw new Error(`timed out waiting for ${lock}`);
      await sleep(250);
      continue;
    }
    try {
      // Old tarballs (other contents) go; the new one appears under its hash only when complete.
      for (const entry of readdirSync(base)) if (entry !== `${hash}.lock`) rmSync(join(base, entry), { recursive: true, force: true });
      const work = join(base, `${hash}.work`);
      buildAndPack(work);
      renameSync(work, done);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
