// The runtime matrix: the package as `npm pack` makes it, installed in a project of its own, runs one real call per
// provider with the runtime's DEFAULT fetch against the Prism mocks (loopback), and gets one documented failure per
// provider as a ProviderError, in Node (ESM and require()), Deno, Bun, Cloudflare workerd without nodejs_compat,
// Vercel's Edge Runtime and Chromium (SOOP with only a client ID, Arctos with getCode). Each runtime runs in its own
// process group with a timeout, and is killed with everything it started. A runtime that is not installed fails
// its row with the reason. The matrix is printed at the end of `npm test` (.tmp/runtime-matrix.txt).
import { spawn, execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { root, responseExamples } from "../helpers/spec.js";
import { packedTarball } from "../helpers/pack.js";
import * as bin from "./binaries.js";
import { installTarball } from "./project.js";

type Provider = "flipflop" | "polyv" | "soop" | "arctos";
const ALL: Provider[] = ["flipflop", "polyv", "soop", "arctos"];

/** The documented failure each provider is asked for (the first example the spec gives that status). */
const FAILURES: Record<Provider, { operation: string; status: number }> = {
  flipflop: { operation: "forceTerminateMemberStreamKey", status: 404 },
  polyv: { operation: "saveViewerCustomFieldValues", status: 400 },
  soop: { operation: "listCategories", status: 400 },
  arctos: { operation: "checkAuthToken", status: 403 },
};

interface Outcome {
  result: string;
  ok: boolean;
  error: { providerError: boolean; name: string; provider?: string; operation?: string; status?: number; code?: string | number; message: string };
}
interface RunReport {
  runtime: string;
  outcomes: Partial<Record<Provider, Outcome>>;
  ms: number;
}

interface Runtime {
  id: string;
  label: string;
  providers: Provider[];
  /** The command, once the runtime is found; throws the reason when it is not installed. */
  command: () => string[];
}

const node = process.execPath;
const RUNTIMES: Runtime[] = [
  { id: "node-esm", label: "Node 20, ESM", providers: ALL, command: () => [node, "driver.mjs"] },
  { id: "node-require", label: "Node 20, require()", providers: ALL, command: () => [node, "driver.cjs"] },
  { id: "deno", label: "Deno", providers: ALL, command: () => [bin.deno().path, "run", "--allow-net=127.0.0.1", "--no-prompt", "driver.mjs"] },
  { id: "bun", label: "Bun", providers: ALL, command: () => [bin.bun().path, "run", "driver.mjs"] },
  { id: "workerd", label: "Cloudflare workerd (no nodejs_compat)", providers: ALL, command: () => (bin.workerd(), [node, "run-workerd.mjs"]) },
  { id: "edge", label: "Vercel Edge Runtime", providers: ALL, command: () => (bin.nodePackage("edge-runtime"), [node, "run-edge.mjs"]) },
  { id: "chromium", label: "Chromium (browser bundle)", providers: ["soop", "arctos"], command: () => (bin.chromiumPath(), bin.nodePackage("playwright-core"), [node, "run-chromium.mjs"]) },
];

const TIMEOUT_MS = 120_000;
const PARALLEL = 2; // the machine has 2 cores

let project: string;
let typeErrors: string | undefined;
const reports = new Map<string, Promise<RunReport>>();
const settled = new Map<string, RunReport | Error>();

/** Runs one runtime in its own process group; resolves to its report, rejects with its output on any failure. */
function runIn(runtime: Runtime): Promise<RunReport> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let argv: string[];
    try {
      argv = runtime.command();
    } catch (error) {
      return reject(error);
    }
    const env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: join(project, "home"),
      TMPDIR: join(project, "tmp"),
      DENO_DIR: join(project, "tmp", "deno"),
      DENO_NO_UPDATE_CHECK: "1",
      BUN_INSTALL_CACHE_DIR: join(project, "tmp", "bun"),
      BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0",
      DO_NOT_TRACK: "1",
      NO_COLOR: "1",
      STREAMSPEC_ROOT: root,
    };
    const child = spawn(argv[0]!, argv.slice(1), { cwd: project, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    };
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      // SIGTERM first: playwright-core closes the browser it launched (in a process group of its own) on it.
      signalGroup("SIGTERM");
      setTimeout(() => signalGroup("SIGKILL"), 3000).unref();
    }, TIMEOUT_MS);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`${runtime.label}: ${argv[0]} could not start: ${error.message}`));
    });
    // Whatever the runtime started (workerd, a browser) goes with it.
    child.on("exit", () => signalGroup("SIGKILL"));
    // "close": the output is complete.
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return reject(new Error(`${runtime.label}: no result within ${TIMEOUT_MS / 1000} s (killed)\n${out.slice(-3000)}`));
      const line = out.split("\n").reverse().find((l) => l.startsWith("MATRIX-RESULT "));
      if (code !== 0 || !line) return reject(new Error(`${runtime.label} exited with ${signal ?? code}:\n${out.slice(-3000)}`));
      const report = JSON.parse(line.slice("MATRIX-RESULT ".length)) as Omit<RunReport, "ms">;
      resolve({ ...report, ms: Date.now() - started });
    });
  });
}

/** Processes whose command line or working directory is inside the project (Linux /proc). */
function processesIn(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
      let cwd = "";
      try {
        cwd = readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        // not ours to read
      }
      if (cmdline.includes(dir) || cwd.startsWith(dir)) found.push(`${pid}: ${cmdline.slice(0, 160)}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Starts every runtime, at most PARALLEL at a time; each test awaits its own. */
function schedule(list: Runtime[]): void {
  let active = 0;
  const waiting: (() => void)[] = [];
  for (const r of list) {
    const p = new Promise<RunReport>((resolve, reject) => {
      const go = () => {
        active++;
        runIn(r)
          .then(resolve, reject)
          .finally(() => {
            active--;
            waiting.shift()?.();
          });
      };
      if (active < PARALLEL) go();
      else waiting.push(go);
    });
    p.then((v) => settled.set(r.id, v), (e: Error) => settled.set(r.id, e));
    reports.set(r.id, p);
  }
}

beforeAll(async () => {
  const tarball = await packedTarball();
  project = installTarball(tarball);
  cpSync(join(root, "test", "runtimes", "fixture"), project, { recursive: true });
  // The scenario, type-checked against the installed package's declarations and compiled twice: ESM and CommonJS.
  cpSync(join(project, "scenario.mts"), join(project, "scenario.cts"));
  writeFileSync(
    join(project, "tsconfig.json"),
    // skipLibCheck: the declarations themselves are checked by test/package (ESM and CommonJS, skipLibCheck off).
    JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, skipLibCheck: true, lib: ["ES2022", "DOM"], types: [] }, files: ["scenario.mts", "scenario.cts"] }),
  );
  // tsc emits even when it reports errors, so the runtimes run either way; the errors fail a test of their own.
  try {
    execFileSync(node, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], { cwd: project, encoding: "utf8", stdio: "pipe" });
    typeErrors = "";
  } catch (error) {
    typeErrors = `${(error as { stdout?: string }).stdout ?? ""}${(error as { stderr?: string }).stderr ?? ""}` || String(error);
  }

  const mocks = inject("mocks") as Record<Provider, string>;
  const examples = ALL.map((p) => {
    const { operation, status } = FAILURES[p];
    const ex = responseExamples(p).find((e) => e.operationId === operation && e.status === status);
    if (!ex) throw new Error(`${p}: the spec documents no ${status} example for ${operation}`);
    return [p, `code=${status}, example=${ex.name}`];
  });
  const config = { mocks, prefer: Object.fromEntries(examples), providers: ALL };
  writeFileSync(join(project, "config.mjs"), `export default ${JSON.stringify(config)};\n`);
  writeFileSync(join(project, "config.cjs"), `module.exports = ${JSON.stringify(config)};\n`);
  schedule(RUNTIMES);
}, 300_000);

afterAll(() => {
  writeMatrix();
  if (project) rmSync(project, { recursive: true, force: true });
});

function cell(o: Outcome | undefined, p: Provider): string {
  if (!o) return "–";
  const e = o.error;
  const failure = e.providerError && e.provider === p && e.operation === FAILURES[p].operation && e.status === FAILURES[p].status;
  return `${o.ok ? "ok" : "FAIL"} / ${failure ? `ProviderError ${e.status}` : `FAIL (${e.name})`}`;
}

/** The line of a failed run's output that says why (the last error message), shortened. */
function reason(text: string): string {
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  const why = [...lines].reverse().find((l) => /^(\w*Error|error|Uncaught|TypeError|ConfigError)\b|not installed|no result within/.test(l)) ?? lines[0] ?? "";
  return why.length > 110 ? `${why.slice(0, 107)}...` : why;
}

function cellOf(o: Outcome | undefined, p: Provider): string {
  if (!o) return "–";
  if (!o.ok) return `FAIL: ${o.result.slice(0, 60)}`;
  return cell(o, p);
}

function writeMatrix(): void {
  const rows = RUNTIMES.map((r) => {
    const got = settled.get(r.id);
    if (!got) return [r.label, "not run", ...ALL.map(() => ""), ""];
    if (got instanceof Error) return [r.label, `FAILED: ${reason(got.message)}`, ...ALL.map(() => ""), ""];
    return [r.label, got.runtime, ...ALL.map((p) => (r.providers.includes(p) ? cellOf(got.outcomes[p], p) : "–")), `${(got.ms / 1000).toFixed(1)} s`];
  });
  const head = ["runtime", "version", ...ALL, "time"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  const text = [
    "Runtime matrix: the packed package, default fetch, Prism mocks on loopback (typed call / documented failure)",
    line(head),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
  ].join("\n");
  mkdirSync(join(root, ".tmp"), { recursive: true });
  writeFileSync(join(root, ".tmp", "runtime-matrix.txt"), `${text}\n`);
}

describe("runtime matrix", () => {
  it("the scenario type-checks against the packed package's declarations (ESM and CommonJS)", () => {
    expect(typeErrors).toBe("");
  });

  for (const runtime of RUNTIMES) {
    it(`${runtime.label}: ${runtime.providers.join(", ")}`, async () => {
      const report = await reports.get(runtime.id)!;
      expect(Object.keys(report.outcomes).sort()).toEqual([...runtime.providers].sort());
      for (const p of runtime.providers) {
        const o = report.outcomes[p]!;
        expect(o.ok, `${p}: ${o.result}`).toBe(true);
        expect(o.error, `${p}: the documented failure`).toMatchObject({ providerError: true, name: "ProviderError", provider: p, operation: FAILURES[p].operation, status: FAILURES[p].status });
      }
    }, TIMEOUT_MS * 4);
  }

  it("leaves no process behind", async () => {
    await Promise.allSettled(reports.values());
    let left = processesIn(project);
    for (let i = 0; i < 50 && left.length; i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = processesIn(project);
    }
    expect(left).toEqual([]);
  }, TIMEOUT_MS * 5);
});
