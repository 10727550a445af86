// Runs the built `streamspec` bin as a subprocess, and the servers the CLI tests talk to: a recording proxy in
// front of a Prism mock (counts what was sent, keeps Prism's sl-violations) and fake servers of their own.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { expect } from "vitest";
import { responseExamples, root } from "../helpers/spec.js";
import { findSecrets } from "../helpers/secrets.js";

// ---------------------------------------------------------------------------------------------------------
// The build: once per content of what goes into it (code, indexes, specs, configuration), shared by every CLI
// test file, and kept apart from dist/, which the package test rebuilds while these run.

const BUILD_INPUTS = ["src", "generated", "specs", "redocly.yaml", "package.json", "tsconfig.json", "tsconfig.build.json", "scripts/build.mjs", "scripts/lib/registry.mjs"];

function files(path: string): string[] {
  const full = join(root, path);
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full).sort().flatMap((name) => files(join(path, name)));
}

function buildKey(): string {
  const hash = createHash("sha256");
  for (const file of BUILD_INPUTS.flatMap(files)) hash.update(`${file}\0`).update(readFileSync(join(root, file))).update("\0");
  return hash.digest("hex").slice(0, 16);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The path of the built bin (`<build>/src/cli/bin.js`), building it first when this content was not built yet. */
export async function builtCli(): Promise<string> {
  const tmp = join(root, ".tmp");
  mkdirSync(tmp, { recursive: true });
  const key = buildKey();
  const dir = join(tmp, `cli-build-${key}`);
  const bin = join(dir, "src", "cli", "bin.js");
  const lock = `${dir}.lock`;
  for (;;) {
    if (existsSync(join(dir, "complete"))) return bin;
    try {
      mkdirSync(lock); // whoever makes the lock builds; the others wait for "complete"
    } catch {
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      await sleep(250);
      continue;
    }
    try {
      for (const old of readdirSync(tmp)) if (old.startsWith("cli-build-") && !old.startsWith(`cli-build-${key}`)) rmSync(join(tmp, old), { recursive: true, force: true });
      const staging = `${dir}.staging`;
      await execute(process.execPath, [join(root, "scripts", "build.mjs"), "--out-dir", staging]);
      writeFileSync(join(staging, "complete"), key);
      rmSync(dir, { recursive: true, force: true });
      renameSync(staging, dir);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

function execute(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} failed (${code}):\n${out}`))));
  });
}

// ---------------------------------------------------------------------------------------------------------
// Secrets: distinctive, with characters that change under URL and form encoding, so a leak in any form shows.

export const SECRETS = {
  flipflopKey: "ff-cli-key-0d41",
  flipflopSecret: "ff-cli-secret-7e2a+Q/9=",
  polyvAppSecret: "pv-cli-app-secret-1b7c+k/4=",
  polyvSecretKey: "pv-cli-channel-key-5e0d+c/6=",
  soopClientSecret: "soop-cli-client-secret-3f8e+m/2=",
  soopAccess: "soop-cli-access-9a1b+a/7=",
  soopRefresh: "soop-cli-refresh-6c2d+r/1=",
  arctosLicense: "arctos-cli-license-4d7f+L/8=",
} as const;

const extraSecrets = new Set<string>();

/** A value handed out during a test (a token a fake server issued, a code) that must not show either. */
export function secret<T extends string>(value: T): T {
  extraSecrets.add(value);
  return value;
}

/** Credentials in the specs' own success examples (what Prism answers): tokens, codes, keys. */
const exampleSecrets = (() => {
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (!v || typeof v !== "object") return;
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === "string" && x.length >= 8 && /^(access_?token|refresh_?token|streamingToken|code|secretKey|stream_key)$/i.test(k)) out.add(x);
      else walk(x);
    }
  };
  for (const p of ["flipflop", "polyv", "soop", "arctos"]) for (const e of responseExamples(p)) if (e.status < 300) walk(e.value);
  return [...out];
})();

export function allSecrets(): string[] {
  const basic = Buffer.from(`${SECRETS.flipflopKey}:${SECRETS.flipflopSecret}`).toString("base64");
  const secrets = Object.entries(SECRETS).filter(([k]) => k !== "flipflopKey").map(([, v]) => v);
  return [...secrets, basic, ...exampleSecrets, ...extraSecrets];
}

// ---------------------------------------------------------------------------------------------------------
// Running the CLI.

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  /** Written to the CLI's stdin (then closed); default: nothing, closed. */
  input?: string;
  cwd?: string;
  /** Another build's bin (default: the one useBin set). */
  bin?: string;
  /**
   * Run on a terminal (util-linux `script` gives the CLI a pseudo-terminal): stdout and stderr then arrive
   * together in `stdout`, with the terminal's \r\n line ends.
   */
  tty?: boolean;
}

const shellQuote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

let bin: string | undefined;
export function useBin(path: string) {
  bin = path;
}

/**
 * Runs `streamspec args…` (the bin itself, through its shebang) with only PATH and `env` in its environment, and
 * fails the test if any secret shows in its stdout or stderr, in any encoding.
 */
export function cli(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  const path = options.bin ?? bin;
  if (!path) throw new Error("call useBin(await builtCli()) first");
  const env = Object.fromEntries(Object.entries({ PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}`, ...options.env }).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return new Promise((resolve, reject) => {
    const child = options.tty
      ? spawn("script", ["-qec", [path, ...args].map(shellQuote).join(" "), "/dev/null"], { env, cwd: options.cwd ?? root, stdio: ["pipe", "pipe", "pipe"] })
      : spawn(path, args, { env, cwd: options.cwd ?? root, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 25_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      const leaks = findSecrets([stdout, stderr], allSecrets());
      if (leaks.length) reject(new Error(`streamspec ${args.join(" ")} printed a secret: ${JSON.stringify(leaks)}`));
      else resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

/** The lines of stdout, parsed as JSON. */
export const jsonLines = (run: Run) => run.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l) as any);

// ---------------------------------------------------------------------------------------------------------
// Servers.

export interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface TestServer {
  url: string;
  requests: Seen[];
  close(): Promise<void>;
}

async function serve(handle: (seen: Seen) => Promise<Answer | "destroy">): Promise<TestServer> {
  const requests: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      const url = new URL(req.url ?? "/", "http://x");
      const seen: Seen = { method: req.method ?? "", path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(seen);
      try {
        const answer = await handle(seen);
        if (answer === "destroy") return void req.socket.destroy();
        const body = answer.body === undefined ? "" : typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
        res.writeHead(answer.status ?? 200, { "content-type": "application/json", ...answer.headers });
        res.end(body);
      } catch (error) {
        res.writeHead(599, { "content-type": "text/plain" }).end(String(error));
        console.error(`test server: ${seen.method} ${seen.path}: ${String(error)}`);
      }
    });
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** A server of the test's own: `handle` answers each request (or "destroy" drops the connection). */
export function fakeServer(handle: (seen: Seen) => Answer | "destroy" | Promise<Answer | "destroy">) {
  return serve(async (seen) => handle(seen));
}

/** A proxy in front of a Prism mock: every request the CLI sent, and every Prism sl-violations header. */
export async function recordingProxy(target: string): Promise<TestServer & { violations: { path: string; violations: string }[] }> {
  const violations: { path: string; violations: string }[] = [];
  const server = await serve(async (seen) => {
    const headers = Object.entries(seen.headers).flatMap(([k, v]) => (/^(host|connection|content-length|transfer-encoding)$/.test(k) || v === undefined ? [] : [[k, String(v)] as [string, string]]));
    const response = await fetch(`${target}${seen.path}${seen.query.size ? `?${seen.query}` : ""}`, {
      method: seen.method,
      headers,
      body: seen.method === "GET" || seen.method === "HEAD" ? undefined : seen.body,
      redirect: "manual",
    });
    const v = response.headers.get("sl-violations");
    if (v) violations.push({ path: seen.path, violations: v });
    const out: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      if (!/^(content-length|content-encoding|transfer-encoding|connection|keep-alive)$/i.test(key)) out[key] = value;
    });
    return { status: response.status, headers: out, body: await response.text() };
  });
  return Object.assign(server, { violations });
}

/** Asserts the CLI ran, and says what it printed when it did not end as expected. */
export function expectExit(run: Run, code: number) {
  expect(run.code, `exit ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`).toBe(code);
}
