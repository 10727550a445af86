// Where the runtimes' executables are, as a fresh `npm ci` leaves them. Deno and Bun ship their binaries in
// per-platform packages (optionalDependencies: @deno/<platform>, @oven/bun-<platform>); their postinstall scripts
// only copy or move that binary into the main package, and npm may or may not run them (npm 11 blocks dependency
// install scripts that package.json's allowScripts does not approve). So both places are looked at, and nothing
// depends on a script having run or on a download. workerd is found by miniflare itself, the same way.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { arch, platform } from "node:os";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { root } from "../helpers/spec.js";

const require = createRequire(join(root, "package.json"));

export interface Binary {
  path: string;
  version: string;
}

function packageDir(name: string): string | undefined {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/** A real executable (the main packages hold a small placeholder script until their postinstall has run). */
const isBinary = (path: string) => existsSync(path) && statSync(path).size > 1_000_000;

function probe(name: string, candidates: string[], platformPackage: string): Binary {
  const path = candidates.find(isBinary);
  if (!path) {
    const where = candidates.length ? `no binary at ${candidates.join(" or ")}` : `neither "${name}" nor ${platformPackage} is in node_modules`;
    throw new Error(`${name} is not installed: ${where} (npm installs it from ${platformPackage}, an optional dependency of the "${name}" package; run npm ci)`);
  }
  const r = spawnSync(path, ["--version"], { encoding: "utf8", timeout: 30_000 });
  if (r.status !== 0) throw new Error(`${name} at ${path} does not run: ${r.error?.message ?? r.stderr ?? `exit ${r.status}`}`);
  return { path, version: r.stdout.trim().split("\n")[0]! };
}

const cpu = () => ({ x64: "x64", arm64: "arm64" })[arch() as "x64" | "arm64"] ?? arch();

export function deno(): Binary {
  const os = platform();
  const target = os === "linux" ? `linux-${cpu()}-glibc` : `${os === "win32" ? "win32" : os}-${cpu()}`;
  const exe = os === "win32" ? "deno.exe" : "deno";
  const main = packageDir("deno");
  const pkg = packageDir(`@deno/${target}`);
  return probe("deno", [...(main ? [join(main, exe)] : []), ...(pkg ? [join(pkg, exe)] : [])], `@deno/${target}`);
}

export function bun(): Binary {
  const os = platform();
  const target = `${os === "win32" ? "windows" : os}-${cpu() === "arm64" ? "aarch64" : "x64"}`;
  const main = packageDir("bun");
  const pkg = packageDir(`@oven/bun-${target}`);
  return probe("bun", [...(main ? [join(main, "bin", "bun.exe")] : []), ...(pkg ? [join(pkg, "bin", os === "win32" ? "bun.exe" : "bun")] : [])], `@oven/bun-${target}`);
}

export function chromiumPath(): string {
  const path = "/usr/bin/chromium";
  if (!existsSync(path)) throw new Error(`chromium is not installed at ${path} (apt-get install chromium; .ci/run does)`);
  return path;
}

/** miniflare (and the workerd binary it starts) and edge-runtime, resolvable from the checkout. */
export function nodePackage(name: string): string {
  const dir = packageDir(name);
  if (!dir) throw new Error(`${name} is not installed (a devDependency: run npm ci)`);
  return (require(`${name}/package.json`) as { version: string }).version;
}

export function workerd(): string {
  const version = nodePackage("miniflare");
  // miniflare starts require("workerd").default, the binary of @cloudflare/workerd-<platform>.
  const binary = (require("workerd") as { default: string }).default;
  if (!isBinary(binary)) throw new Error(`workerd is not installed: no binary at ${binary} (an optional dependency of "workerd"; run npm ci)`);
  return version;
}
