// The fault matrix: every fault of the fault server × a retry-safe and a state-changing operation of every
// provider, over real HTTP on 127.0.0.1. Whether an operation may be retried is read from the generated
// operation index (operations[id].retrySafe), never assumed. For every cell: the error class (and
// TransportError.reason / ProviderError.status), how many requests reached the server for that operation, and
// that the call settled within the budget its timeout, deadline and retry settings allow. Every error is kept
// and checked for secrets at the end; the matrix is printed as a table after the run.
//
// Each cell gets its own server; the cells run in beforeAll, a dozen at a time (they mostly wait on timers),
// and the tests then check each cell's record.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { root } from "../helpers/spec.js";
import { ProviderError, TransportError } from "../../src/index.js";
import type { OperationMeta } from "../../src/core/operation.js";
import { collectError, collectedErrors, leaks } from "../helpers/collect-errors.js";
import { startFaultServer, type BigBody, type Fault, type Received } from "../helpers/fault-server.js";
import { observedFetch, type BodyStats } from "../helpers/observed-fetch.js";
import { allSecrets, arctosKit, flipflopKit, polyvKit, soopKit, type Kit } from "../helpers/providers.js";
import type { RecordedRequest } from "../../src/testing/index.js";

const POLICY = {
  timeoutMs: 500,
  deadlineMs: 3_000,
  retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 },
  maxResponseBytes: 64 * 1024,
} as const;
/** Scheduling noise on a loaded 2-core machine, on top of the computed budget. */
const SLACK_MS = 500;

// What the documented policy says (README "Reliability"): which failures a retry-safe operation is retried on.
type Outcome = { ok: true } | { ok: false; cls: "Transport"; reason: TransportError["reason"] } | { ok: false; cls: "Provider"; status: number };

interface FaultCase {
  /** Column label. */
  id: string;
  fault: (ctx: CellContext) => Fault;
  /** How many requests in a row get the fault before the path answers normally. */
  times: number;
  /** Does the policy retry it (network failure, timeout, 429/502/503/504)? */
  retryable: boolean;
  /** What a single failing attempt looks like to the caller. */
  failure: (meta: OperationMeta) => Outcome;
  /** The wait a Retry-After asks for, filled in when the fault is answered. */
  retryAfter?: boolean;
}

interface CellContext {
  retryAfterMs?: number;
}

const transport = (reason: TransportError["reason"]) => (): Outcome => ({ ok: false, cls: "Transport", reason });
const provider = (status: number) => (): Outcome => ({ ok: false, cls: "Provider", status });
const promisesBody = (meta: OperationMeta) => (meta.responses["200"] ?? meta.responses["2XX"] ?? []).length > 0;
const N = POLICY.retry.maxRetries; // a transient fault lasts exactly as many requests as the policy retries

const FAULTS: FaultCase[] = [
  { id: "reset", fault: () => ({ kind: "reset" }), times: N, retryable: true, failure: transport("network") },
  { id: "reset-after-body", fault: () => ({ kind: "reset-after-body" }), times: N, retryable: true, failure: transport("network") },
  { id: "hang", fault: () => ({ kind: "hang" }), times: N, retryable: true, failure: transport("timeout") },
  { id: "slow", fault: () => ({ kind: "slow", byteIntervalMs: 60 }), times: N, retryable: true, failure: transport("timeout") },
  {
    id: "429 RA:1s",
    fault: (ctx) => ((ctx.retryAfterMs = 1000), { kind: "status", status: 429, retryAfter: "1" }),
    times: 1,
    retryable: true,
    failure: provider(429),
    retryAfter: true,
  },
  {
    id: "503 RA:date",
    fault: (ctx) => ({
      kind: "status",
      status: 503,
      retryAfter: () => {
        const now = Date.now();
        const value = new Date(now + 1500).toUTCString(); // whole seconds: waits 0.5-1.5 s
        ctx.retryAfterMs = Date.parse(value) - now;
        return value;
      },
    }),
    times: 1,
    retryable: true,
    failure: provider(503),
    retryAfter: true,
  },
  { id: "500", fault: () => ({ kind: "status", status: 500 }), times: N, retryable: false, failure: provider(500) },
  { id: "502", fault: () => ({ kind: "status", status: 502 }), times: N, retryable: true, failure: provider(502) },
  { id: "504", fault: () => ({ kind: "status", status: 504 }), times: N, retryable: true, failure: provider(504) },
  { id: "html 200", fault: () => ({ kind: "html", status: 200 }), times: N, retryable: false, failure: transport("invalid-body") },
  { id: "html 502", fault: () => ({ kind: "html", status: 502 }), times: N, retryable: true, failure: provider(502) },
  { id: "bad json", fault: () => ({ kind: "invalid-json" }), times: N, retryable: false, failure: transport("invalid-body") },
  // The connection dies mid-body: a network failure, like a reset (retried when safe).
  { id: "truncated", fault: () => ({ kind: "truncated-json" }), times: N, retryable: true, failure: transport("network") },
  {
    id: "empty 200",
    fault: () => ({ kind: "empty" }),
    times: N,
    retryable: false,
    // An empty 200 is only wrong where the spec promises a body (deleteMembers promises none: 204).
    failure: (meta) => (promisesBody(meta) ? { ok: false, cls: "Transport", reason: "invalid-body" } : { ok: true }),
  },
  {
    id: "too large",
    fault: () => ({ kind: "too-large", bytes: 4 * 1024 * 1024 }),
    times: N,
    retryable: false,
    failure: transport("too-large"),
  },
];

interface Row {
  kit: Kit;
  op: string;
  /** Read from the generated operation index. */
  safe: boolean;
  /** Arctos bearer operations log in first (answered normally by the server). */
  login: boolean;
}

const row = (kit: Kit, op: string): Row => {
  const meta = kit.operations[op];
  if (!meta) throw new Error(`${kit.name} has no operation ${op}`);
  return { kit, op, safe: meta.retrySafe, login: kit === arctosKit && meta.credentials.some((c) => c.kind === "bearer") };
};

// FlipFlop: deleteMembers / loginMember. Polyv has no retry-safe operation: both of its saves are rows.
// SOOP: listBroadcasts / resetStreamKey, plus issueToken and updateBroadcastInfo. Arctos: checkAuthToken
// (after a normal login) / getAuthCode.
const ROWS: Row[] = [
  row(flipflopKit, "deleteMembers"),
  row(flipflopKit, "loginMember"),
  row(polyvKit, "saveViewerCustomFieldValues"),
  row(polyvKit, "updateChannelOauthCustom"),
  row(soopKit, "listBroadcasts"),
  row(soopKit, "resetStreamKey"),
  row(soopKit, "issueToken"),
  row(soopKit, "updateBroadcastInfo"),
  row(arctosKit, "checkAuthToken"),
  row(arctosKit, "getAuthCode"),
];

const label = (r: Row) => `${r.kit.name}.${r.op} (${r.safe ? "safe" : "unsafe"})`;

interface Expected {
  outcome: Outcome;
  requests: number;
}

function expected(r: Row, f: FaultCase): Expected {
  if (r.safe && f.retryable) return { outcome: { ok: true }, requests: f.times + 1 };
  return { outcome: f.failure(r.kit.operations[r.op]!), requests: 1 };
}

/** The longest the call may take: every attempt's timeout, every backoff step and Retry-After, capped by the deadline. */
function budget(r: Row, f: FaultCase, ctx: CellContext): number {
  const { timeoutMs, deadlineMs, retry } = POLICY;
  const attempts = r.safe ? retry.maxRetries + 1 : 1;
  let waits = 0;
  for (let i = 0; i < attempts - 1; i++) waits += Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** i);
  if (r.safe && f.retryAfter) waits += (ctx.retryAfterMs ?? 0) * Math.min(f.times, retry.maxRetries);
  const login = r.login ? 2 * timeoutMs : 0; // two more calls, each under its own timeout
  return Math.min(deadlineMs, attempts * timeoutMs + waits) + login + SLACK_MS;
}

interface Cell {
  row: Row;
  fault: FaultCase;
  ctx: CellContext;
  value?: unknown;
  error?: unknown;
  elapsed: number;
  requests: number;
  received: Received[];
  logins: { code: number; login: number };
  bigBodies: BigBody[];
  /** What the client pulled from each response body. */
  bodies: BodyStats[];
  /** The requests the provider's fake answered (those the fault server let through). */
  answered: readonly RecordedRequest[];
}

async function runCell(r: Row, f: FaultCase): Promise<Cell> {
  const respond = r.kit.responder();
  const server = await startFaultServer({ respond });
  const ctx: CellContext = {};
  const path = r.kit.calls[r.op]!.path;
  try {
    const fetch = observedFetch();
    const client = r.kit.make({ baseUrl: server.url, ...POLICY, fetch });
    for (let i = 0; i < f.times; i++) server.fault(path, f.fault(ctx));
    const started = performance.now();
    let value: unknown;
    let error: unknown;
    try {
      value = await r.kit.calls[r.op]!.call(client);
    } catch (err) {
      error = collectError(`${label(r)} × ${f.id}`, err);
    }
    const elapsed = performance.now() - started;
    return {
      row: r,
      fault: f,
      ctx,
      value,
      error,
      elapsed,
      requests: server.count(path),
      received: server.requestsTo(path),
      logins: { code: server.count("/api/auth/code"), login: server.count("/api/auth/login") },
      bigBodies: server.bigBodies,
      bodies: fetch.bodies,
      answered: respond.fake.requests,
    };
  } finally {
    await server.stop();
  }
}

const cells = new Map<string, Cell>();
const key = (r: Row, f: FaultCase) => `${label(r)}|${f.id}`;

function describeOutcome(cell: Cell): string {
  const e = cell.error;
  if (e === undefined) return `ok ×${cell.requests}`;
  if (e instanceof TransportError) return `Transport/${e.reason} ×${cell.requests}`;
  if (e instanceof ProviderError) return `Provider/${e.status} ×${cell.requests}`;
  return `${(e as Error)?.name ?? typeof e} ×${cell.requests}`;
}

/** Runs the tasks with at most `limit` in flight. */
async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return out;
}

beforeAll(async () => {
  // Warm up every provider's code path once, so the first cells do not pay for compilation inside their timeout.
  for (const kit of new Set(ROWS.map((r) => r.kit))) {
    const server = await startFaultServer({ respond: kit.responder() });
    try {
      const client = kit.make({ baseUrl: server.url, ...POLICY, fetch: observedFetch() });
      for (const r of ROWS.filter((x) => x.kit === kit)) await kit.calls[r.op]!.call(client);
    } finally {
      await server.stop();
    }
  }
  // The cells mostly wait on timers, so a dozen run at a time; more would put the 500 ms timeouts at risk.
  const tasks = ROWS.flatMap((r) => FAULTS.map((f) => () => runCell(r, f).then((cell) => void cells.set(key(r, f), cell))));
  await pool(tasks, 12);
}, 60_000);

afterAll(() => {
  if (cells.size === 0) return;
  const head = ["provider.operation", ...FAULTS.map((f) => f.id)];
  const body = ROWS.map((r) => [label(r), ...FAULTS.map((f) => {
    const cell = cells.get(key(r, f));
    return cell ? describeOutcome(cell) : "-";
  })]);
  const widths = head.map((_, i) => Math.max(...[head, ...body].map((line) => line[i]!.length)));
  const line = (cols: string[]) => `| ${cols.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  const table = [line(head), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
  const report = `Fault matrix (timeoutMs ${POLICY.timeoutMs}, deadlineMs ${POLICY.deadlineMs}, retry ${JSON.stringify(POLICY.retry)}, maxResponseBytes ${POLICY.maxResponseBytes}):\n${table}\n`;
  console.log(`\n${report}`);
  // scripts/test.mjs prints it again at the very end of `npm test`, where a person looks.
  mkdirSync(join(root, ".tmp"), { recursive: true });
  writeFileSync(join(root, ".tmp", "fault-matrix.txt"), report);
});

describe("fault matrix: the rows come from the operation index", () => {
  it("each row's retry safety is the generated index's x-retry-safe", () => {
    for (const r of ROWS) expect(r.safe, label(r)).toBe(r.kit.operations[r.op]!.retrySafe);
    for (const kit of [flipflopKit, soopKit, arctosKit]) {
      const rows = ROWS.filter((r) => r.kit === kit);
      expect(rows.some((r) => r.safe), `${kit.name} has a retry-safe row`).toBe(true);
      expect(rows.some((r) => !r.safe), `${kit.name} has a state-changing row`).toBe(true);
    }
    // Polyv has no retry-safe operation at all, so both of its rows are state-changing.
    expect(Object.values(polyvKit.operations).some((m) => m.retrySafe)).toBe(false);
    expect(ROWS.filter((r) => r.kit === polyvKit).map((r) => r.op).sort()).toEqual(Object.keys(polyvKit.operations).sort());
    // SOOP's token issue and broadcast update are covered as state-changing rows.
    for (const op of ["issueToken", "updateBroadcastInfo", "resetStreamKey"]) {
      expect(ROWS.find((r) => r.kit === soopKit && r.op === op)?.safe).toBe(false);
    }
  });
});

/**
 * What an "ok" cell must resolve to: after retries, the body of the server's normal answer to that request (what the
 * provider's fake answered it); an empty 200 where no body is promised gives undefined.
 */
function expectedValue(r: Row, f: FaultCase, cell: Cell): unknown {
  if (!(r.safe && f.retryable)) return undefined;
  // The last attempt is the one that got through (a "slow" fault dribbles the fake's earlier answers too late).
  const last = cell.answered.filter((x) => x.path === r.kit.calls[r.op]!.path).at(-1);
  expect(last?.answer, "the fake answered the last attempt").toBeDefined();
  const body = last!.answer!.body;
  return body === "" ? undefined : JSON.parse(body);
}

describe.each(ROWS.map((r) => [label(r), r] as const))("fault matrix: %s", (_name, r) => {
  it.each(FAULTS.map((f) => [f.id, f] as const))("%s", async (_id, f) => {
    const cell = cells.get(key(r, f))!;
    expect(cell, "the cell ran").toBeDefined();
    const want = expected(r, f);
    const { outcome } = want;

    // The error class, and its reason or status; or the value the call resolved to.
    if (outcome.ok) {
      expect(cell.error, describeOutcome(cell)).toBeUndefined();
      expect(cell.value).toEqual(expectedValue(r, f, cell));
    } else if (outcome.cls === "Transport") {
      expect(cell.error, describeOutcome(cell)).toBeInstanceOf(TransportError);
      expect((cell.error as TransportError).reason).toBe(outcome.reason);
    } else {
      expect(cell.error, describeOutcome(cell)).toBeInstanceOf(ProviderError);
      expect((cell.error as ProviderError).status).toBe(outcome.status);
    }

    // How many requests reached the server: a state-changing operation exactly once, whatever the fault.
    expect(cell.requests, describeOutcome(cell)).toBe(want.requests);
    if (!r.safe) expect(cell.requests).toBe(1);

    // Settled within its budget, and (for timeouts) not before the timeout.
    expect(cell.elapsed).toBeLessThanOrEqual(budget(r, f, cell.ctx));
    if (!outcome.ok && outcome.cls === "Transport" && outcome.reason === "timeout") {
      expect(cell.elapsed).toBeGreaterThanOrEqual(POLICY.timeoutMs - 5);
    }

    // A retried Retry-After waited as long as the server asked.
    if (r.safe && f.retryAfter) {
      const [first, second] = cell.received;
      expect(second!.at - first!.at).toBeGreaterThanOrEqual(cell.ctx.retryAfterMs! - 50);
    }

    // An oversized body was not read to the end: the client stopped pulling right after the limit and the
    // server's write was cut short.
    if (f.id === "too large") {
      expect(cell.bigBodies).toHaveLength(1);
      expect(cell.bigBodies[0]!.cutShort).toBe(true);
      expect(cell.bigBodies[0]!.written).toBeLessThan(cell.bigBodies[0]!.intended);
      const big = cell.bodies.filter((b) => new URL(b.url).pathname === r.kit.calls[r.op]!.path);
      expect(big).toHaveLength(1);
      expect(big[0]!.cancelled).toBe(true);
      expect(big[0]!.pulled).toBeGreaterThan(POLICY.maxResponseBytes);
      expect(big[0]!.pulled).toBeLessThanOrEqual(POLICY.maxResponseBytes + 64 * 1024);
    }

    // Arctos' bearer operation logged in exactly once, whatever happened to the call itself.
    if (r.login) expect(cell.logins).toEqual({ code: 1, login: 1 });
  });
});

describe("fault matrix: secrets", () => {
  it("no error of the matrix shows a secret in String(err), err.stack, JSON.stringify(err) or util.inspect(err)", () => {
    const failing = [...cells.values()].filter((c) => c.error !== undefined).length;
    expect(failing).toBeGreaterThan(50);
    expect(collectedErrors()).toHaveLength(failing);
    expect(leaks(allSecrets())).toEqual([]);
  });
});
