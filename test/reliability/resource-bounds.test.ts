// Resource bounds over real HTTP on 127.0.0.1: the response size limit (default 10 MiB) stops reading instead
// of buffering; the per-attempt timeout and the overall deadline bound a call's time whatever the server does;
// and 10,000 calls leave no timers, no AbortSignal listeners and no heap growth behind.
import { getEventListeners } from "node:events";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlidingWindowLimiter } from "../../src/core/limiter.js";
import { ProviderError, TransportError } from "../../src/index.js";
import { collectError, collectedErrors, leaks } from "../helpers/collect-errors.js";
import { startFaultServer, type FaultServer } from "../helpers/fault-server.js";
import { observedFetch } from "../helpers/observed-fetch.js";
import { allSecrets, flipflopKit, polyvKit } from "../helpers/providers.js";
import { caught } from "../helpers/secrets.js";

const MiB = 1024 * 1024;
const LOGIN = flipflopKit.calls.loginMember!;
const DELETE = flipflopKit.calls.deleteMembers!;
/** Scheduling noise on a loaded 2-core machine. */
const SLACK_MS = 400;

/** A gc() function: the worker was not started with --expose-gc, so the flag is switched on at run time. */
function gcFunction(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

const gc = gcFunction();
/** Collects garbage until FinalizationRegistry callbacks (undici's signal clean-up) have run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 6; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}
const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

async function timed<T>(fn: () => Promise<T>): Promise<{ error: any; elapsed: number }> {
  const started = performance.now();
  const error = await caught(fn).catch(() => undefined);
  return { error: error === undefined ? undefined : collectError("resource-bounds", error), elapsed: performance.now() - started };
}

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer({ respond: flipflopKit.responder() });
});
afterAll(async () => {
  await server?.stop();
});

describe("maximum response size", () => {
  it("default 10 MiB: a streamed 48 MiB body fails with too-large after ~10 MiB, and the server's write is cut short", async () => {
    server.clearFaults().resetCounts();
    server.fault(LOGIN.path, { kind: "too-large", bytes: 48 * MiB, chunkBytes: 64 * 1024 });
    const fetch = observedFetch();
    const c = flipflopKit.make({ baseUrl: server.url, fetch }); // maxResponseBytes left at its default
    const { error } = await timed(() => LOGIN.call(c));
    expect(error).toBeInstanceOf(TransportError);
    expect(error.reason).toBe("too-large");
    expect(error.message).toContain(`${10 * MiB} bytes`);
    const [body] = fetch.bodies;
    expect(body!.cancelled).toBe(true);
    expect(body!.pulled).toBeGreaterThan(10 * MiB);
    expect(body!.pulled).toBeLessThanOrEqual(10 * MiB + 256 * 1024); // stopped at the limit, did not buffer the rest
    const [big] = server.bigBodies.slice(-1);
    await big!.done;
    expect(big!.cutShort).toBe(true);
    expect(big!.written).toBeLessThan(48 * MiB);
    expect(server.count(LOGIN.path)).toBe(1);
  });

  it("default 10 MiB: a declared Content-Length over the limit is refused before reading any of it", async () => {
    server.clearFaults().resetCounts();
    server.fault(LOGIN.path, { kind: "too-large", bytes: 48 * MiB, chunkBytes: 64 * 1024, declareLength: true });
    const fetch = observedFetch();
    const c = flipflopKit.make({ baseUrl: server.url, fetch });
    const { error } = await timed(() => LOGIN.call(c));
    expect(error).toMatchObject({ name: "TransportError", reason: "too-large" });
    expect(fetch.bodies[0]!.pulled).toBe(0);
    expect(fetch.bodies[0]!.cancelled).toBe(true);
    const [big] = server.bigBodies.slice(-1);
    await big!.done;
    expect(big!.cutShort).toBe(true);
  });

  it("maxResponseBytes is configurable and inclusive: a body of exactly the limit is read, one byte more is not", async () => {
    const limit = 64 * 1024;
    const exact = (size: number) => {
      const skeleton = JSON.stringify({ accessToken: "", streamingToken: "s" });
      return JSON.stringify({ accessToken: "a".repeat(size - skeleton.length), streamingToken: "s" });
    };
    server.clearFaults().resetCounts();
    server.setSuccess(LOGIN.path, { body: exact(limit) });
    server.fault(LOGIN.path, { kind: "answer", answer: { body: exact(limit + 1) } }, { kind: "too-large", bytes: limit + 1 });
    const c = flipflopKit.make({ baseUrl: server.url, fetch: observedFetch(), maxResponseBytes: limit });
    expect((await timed(() => LOGIN.call(c))).error).toMatchObject({ name: "TransportError", reason: "too-large" }); // declared
    expect((await timed(() => LOGIN.call(c))).error).toMatchObject({ name: "TransportError", reason: "too-large" }); // chunked
    const ok = (await LOGIN.call(c)) as { accessToken: string };
    expect(ok.accessToken).toHaveLength(limit - JSON.stringify({ accessToken: "", streamingToken: "s" }).length);
    server.clearFaults();
  });
});

describe("per-attempt timeout and overall deadline", () => {
  const fast = { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 };

  it("one attempt of a state-changing operation ends at timeoutMs, with one request", async () => {
    server.clearFaults().resetCounts();
    server.fault(LOGIN.path, { kind: "hang" });
    const c = flipflopKit.make({ baseUrl: server.url, fetch: observedFetch(), timeoutMs: 300, retry: fast });
    const { error, elapsed } = await timed(() => LOGIN.call(c));
    expect(error).toMatchObject({ name: "TransportError", reason: "timeout" });
    expect(elapsed).toBeGreaterThanOrEqual(295);
    expect(elapsed).toBeLessThan(300 + SLACK_MS);
    expect(server.count(LOGIN.path)).toBe(1);
  });

  it("each attempt of a retry-safe operation gets its own timeout: 3 attempts against a hanging server", async () => {
    server.clearFaults().resetCounts();
    server.fault(DELETE.path, { kind: "hang" }, { kind: "hang" }, { kind: "hang" });
    const c = flipflopKit.make({ baseUrl: server.url, fetch: observedFetch(), timeoutMs: 250, deadlineMs: 10_000, retry: fast });
    const { error, elapsed } = await timed(() => DELETE.call(c));
    expect(error).toMatchObject({ name: "TransportError", reason: "timeout" });
    expect(server.count(DELETE.path)).toBe(3);
    expect(elapsed).toBeGreaterThanOrEqual(3 * 250);
    expect(elapsed).toBeLessThan(3 * 250 + 5 + 10 + SLACK_MS);
  });

  it("the overall deadline bounds the whole call across retries (hanging server)", async () => {
    server.clearFaults().resetCounts();
    server.fault(DELETE.path, ...Array.from({ length: 20 }, () => ({ kind: "hang" }) as const));
    const deadlineMs = 700;
    const c = flipflopKit.make({ baseUrl: server.url, fetch: observedFetch(), timeoutMs: 300, deadlineMs, retry: { maxRetries: 10, baseDelayMs: 5, maxDelayMs: 5 } });
    const { error, elapsed } = await timed(() => DELETE.call(c));
    expect(error).toMatchObject({ name: "TransportError", reason: "deadline" });
    expect(elapsed).toBeGreaterThanOrEqual(deadlineMs - 10);
    expect(elapsed).toBeLessThan(deadlineMs + SLACK_MS);
    expect(server.count(DELETE.path)).toBe(3); // 300 + 300 + the ~100 ms left
  });

  it("the deadline also covers a body that arrives too slowly", async () => {
    server.clearFaults().resetCounts();
    server.fault(LOGIN.path, { kind: "slow", byteIntervalMs: 40 });
    const c = flipflopKit.make({ baseUrl: server.url, fetch: observedFetch(), timeoutMs: 5_000, deadlineMs: 400, retry: fast });
    const { error, elapsed } = await timed(() => LOGIN.call(c));
    expect(error).toMatchObject({ name: "TransportError", reason: "deadline" });
    expect(elapsed).toBeLessThan(400 + SLACK_MS);
  });

  it("a Retry-After past the deadline is not waited for: the answer is handed over at once", async () => {
    server.clearFaults().resetCounts();
    server.fault(DELETE.path, { kind: "status", status: 503, retryAfter: "5" });
    const c = flipflopKit.make({ baseUrl: server.url, fetch: observedFetch(), timeoutMs: 300, deadlineMs: 1_000, retry: fast });
    const { error, elapsed } = await timed(() => DELETE.call(c));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.status).toBe(503);
    expect(elapsed).toBeLessThan(SLACK_MS);
    expect(server.count(DELETE.path)).toBe(1);
  });

  it("a Retry-After over maxRetryAfterMs (default 60 s) is not waited for either, in seconds or as an HTTP-date", async () => {
    server.clearFaults().resetCounts();
    server.fault(DELETE.path, { kind: "status", status: 429, retryAfter: "61" }, { kind: "status", status: 429, retryAfter: () => new Date(Date.now() + 120_000).toUTCString() });
    const c = flipflopKit.make({ baseUrl: server.url, fetch: observedFetch(), retry: fast }); // default timeout and deadline
    for (let i = 0; i < 2; i++) {
      const { error, elapsed } = await timed(() => DELETE.call(c));
      expect(error).toMatchObject({ name: "ProviderError", status: 429 });
      expect(elapsed).toBeLessThan(SLACK_MS);
    }
    expect(server.count(DELETE.path)).toBe(2);
  });

  it("backoff that would overrun the deadline is not slept: the last answer is handed over", async () => {
    server.clearFaults().resetCounts();
    server.fault(DELETE.path, ...Array.from({ length: 5 }, () => ({ kind: "status", status: 503 }) as const));
    const c = flipflopKit.make({ baseUrl: server.url, fetch: observedFetch(), deadlineMs: 700, retry: { maxRetries: 5, baseDelayMs: 400, maxDelayMs: 8_000, random: () => 0 } });
    const { error, elapsed } = await timed(() => DELETE.call(c));
    expect(error).toMatchObject({ name: "ProviderError", status: 503 });
    expect(server.count(DELETE.path)).toBe(2); // waits 400 ms once; the next 800 ms would pass the deadline
    expect(elapsed).toBeGreaterThanOrEqual(400);
    expect(elapsed).toBeLessThan(700 + SLACK_MS);
  });
});

describe("no leaks", () => {
  it("10,000 sequential calls (keep-alive, one long-lived AbortSignal) leave no timers, no abort listeners and a flat heap", async () => {
    const quiet = await startFaultServer({ respond: flipflopKit.responder({ record: false }), record: false });
    try {
      // The default fetch: nothing here needs a timeout to fire.
      const c = flipflopKit.make({ baseUrl: quiet.url, retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 } });
      const controller = new AbortController();
      const signal = controller.signal;
      for (let i = 0; i < 200; i++) await DELETE.call(c, { signal }); // warm-up: JIT, connection pool
      await settle();
      const timersBefore = timers();
      const heapBefore = process.memoryUsage().heapUsed;
      let peakListeners = 0;
      for (let i = 1; i <= 10_000; i++) {
        await DELETE.call(c, { signal });
        // undici removes a Request's listener from the signal it follows only when the Request is garbage
        // collected; collect every 1,000 calls so the count stays under Node's MaxListeners warning (1,500).
        if (i % 1_000 === 0) {
          peakListeners = Math.max(peakListeners, getEventListeners(signal, "abort").length);
          gc(); // their FinalizationRegistry callbacks then run during the next calls
        }
      }
      await settle();
      const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
      expect(quiet.count(DELETE.path)).toBe(10_200);
      expect(getEventListeners(signal, "abort")).toHaveLength(0);
      expect(timers()).toBeLessThanOrEqual(timersBefore);
      expect(peakListeners).toBeLessThan(1_500);
      expect(heapGrowth).toBeLessThan(4 * MiB);
      console.log(`10,000 calls: heap ${(heapGrowth / MiB).toFixed(2)} MiB, timers ${timersBefore} → ${timers()}, peak abort listeners between collections ${peakListeners}`);
    } finally {
      await quiet.stop();
    }
  }, 60_000);

  it("a rate-limited provider (Polyv): calls that waited in the limiter's queue leave no timers and no abort listeners", async () => {
    const quiet = await startFaultServer({ respond: polyvKit.responder(), record: false });
    try {
      // Five requests per 200 ms, bursts of 15 calls on one long-lived signal: ten of each burst wait in line.
      const limiter = createSlidingWindowLimiter({ limit: 5, intervalMs: 200 });
      const c = polyvKit.make({ baseUrl: quiet.url, rateLimit: limiter });
      const save = polyvKit.calls.saveViewerCustomFieldValues!;
      const controller = new AbortController();
      const signal = controller.signal;
      await settle();
      const timersBefore = timers();
      let peakPending = 0;
      for (let burst = 0; burst < 4; burst++) {
        const calls = Array.from({ length: 15 }, () => save.call(c, { signal }));
        await new Promise((resolve) => setImmediate(resolve));
        peakPending = Math.max(peakPending, limiter.pending);
        await Promise.all(calls);
      }
      expect(quiet.count(save.path)).toBe(60);
      expect(peakPending).toBeGreaterThan(0); // the queue was really used
      expect(limiter.pending).toBe(0);
      // Limiter timers are not garbage: they must be gone without any collection.
      expect(timers()).toBeLessThanOrEqual(timersBefore);
      await settle();
      expect(getEventListeners(signal, "abort")).toHaveLength(0);
    } finally {
      await quiet.stop();
    }
  }, 30_000);

  it("failing calls, aborted calls and limiter waits leave no timers or listeners either", async () => {
    server.clearFaults().resetCounts();
    const c = flipflopKit.make({ baseUrl: server.url, fetch: observedFetch(), timeoutMs: 300, retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 } });
    const controller = new AbortController();
    const signal = controller.signal;
    await settle();
    const timersBefore = timers();

    // 100 answers with an error status (ProviderError, no retry for 500).
    server.fault(LOGIN.path, ...Array.from({ length: 100 }, () => ({ kind: "status", status: 500 }) as const));
    for (let i = 0; i < 100; i++) expect(collectError("500 loop", await caught(() => LOGIN.call(c, { signal })))).toBeInstanceOf(ProviderError);

    // An abort while the client sleeps for Retry-After: settles at once, with reason "aborted".
    server.fault(DELETE.path, { kind: "status", status: 503, retryAfter: "2" });
    const sleeping = new AbortController();
    setTimeout(() => sleeping.abort(), 100);
    const paused = await timed(() => DELETE.call(c, { signal: sleeping.signal }));
    expect(paused.error).toMatchObject({ name: "TransportError", reason: "aborted" });
    expect(paused.elapsed).toBeLessThan(100 + SLACK_MS);

    // An abort while an attempt hangs.
    server.fault(LOGIN.path, { kind: "hang" });
    const hanging = new AbortController();
    setTimeout(() => hanging.abort(), 100);
    expect((await timed(() => LOGIN.call(c, { signal: hanging.signal }))).error).toMatchObject({ reason: "aborted" });

    // An abort while waiting for a rate-limit slot (Polyv, one request per 10 s): the limiter's timer goes too.
    const polyv = polyvKit.make({ baseUrl: server.url, fetch: observedFetch(), rateLimit: { limit: 1, intervalMs: 10_000 } });
    server.setResponder(polyvKit.responder());
    const save = polyvKit.calls.saveViewerCustomFieldValues!;
    await save.call(polyv);
    const queued = new AbortController();
    setTimeout(() => queued.abort(), 100);
    const waited = await timed(() => save.call(polyv, { signal: queued.signal }));
    expect(waited.error).toMatchObject({ name: "TransportError", reason: "aborted" });
    expect(waited.elapsed).toBeLessThan(100 + SLACK_MS);
    server.setResponder(flipflopKit.responder());

    // Timers are not garbage: they must be gone without any collection.
    expect(timers()).toBeLessThanOrEqual(timersBefore);
    await settle();
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
    for (const s of [sleeping.signal, hanging.signal, queued.signal]) expect(getEventListeners(s, "abort")).toHaveLength(0);
  }, 30_000);
});

describe("resource bounds: secrets", () => {
  it("no error of this file shows a secret", () => {
    expect(collectedErrors().length).toBeGreaterThan(10);
    expect(leaks(allSecrets())).toEqual([]);
  });
});
