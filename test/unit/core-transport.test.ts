// The transport policy with an injected fetch: which requests are retried, how often, how long it waits,
// and what a caller sees when it gives up. FlipFlop is the vehicle: deleteMembers is x-retry-safe,
// loginMember and forceTerminateMemberStreamKey are not.
import { describe, expect, it } from "vitest";
import { createFlipFlopClient } from "../../src/flipflop/index.js";
import { ProviderError, TransportError } from "../../src/index.js";
import { backoffDelay, resolveRetryPolicy, retryAfterDelay } from "../../src/core/retry.js";
import { FIRST_ATTEMPT } from "../../src/core/request.js";
import { json, recordingFetch } from "../helpers/fetch.js";
import { caught } from "../helpers/secrets.js";

const fast = { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 };
const client = (respond: Parameters<typeof recordingFetch>[0], extra: object = {}) => {
  const fetch = recordingFetch(respond);
  return { fetch, c: createFlipFlopClient({ apiKey: "k", apiSecret: "secret-123", fetch, retry: fast, ...extra }) };
};
const del = (c: ReturnType<typeof client>["c"]) => c.deleteMembers({ params: { path: { appUserIds: ["1"] } } });
const login = (c: ReturnType<typeof client>["c"]) => c.loginMember({ body: { appUserId: "u1" } });
const ok204 = () => new Response(null, { status: 204 });

describe("retries", () => {
  it.each([429, 502, 503, 504])("retries a safe operation on %i and succeeds when the fault clears", async (status) => {
    const { c, fetch } = client((_, i) => (i < 2 ? json({ errorCode: "X", errorMessage: "busy" }, status) : ok204()));
    await expect(del(c)).resolves.toBeUndefined();
    expect(fetch.calls).toHaveLength(3);
  });

  it("retries a safe operation on a connection error", async () => {
    const { c, fetch } = client((_, i) => {
      if (i === 0) throw new TypeError("fetch failed", { cause: Object.assign(new Error("reset"), { code: "ECONNRESET" }) });
      return ok204();
    });
    await expect(del(c)).resolves.toBeUndefined();
    expect(fetch.calls).toHaveLength(2);
  });

  it("gives up after maxRetries and reports the last answer", async () => {
    const { c, fetch } = client(() => json({ errorCode: "INTERNAL", errorMessage: "down" }, 503));
    const err = await caught(() => del(c));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.status).toBe(503);
    expect(fetch.calls).toHaveLength(3);
  });

  it.each([429, 502, 503, 504, 500])("never retries an unsafe operation (login) on %i", async (status) => {
    const { c, fetch } = client(() => json({ errorCode: "X", errorMessage: "no" }, status));
    const err = await caught(() => login(c));
    expect(err).toBeInstanceOf(ProviderError);
    expect(fetch.calls).toHaveLength(1);
  });

  it("never retries an unsafe operation on a connection error", async () => {
    const { c, fetch } = client(() => {
      throw new TypeError("fetch failed");
    });
    expect(await caught(() => c.forceTerminateMemberStreamKey({ params: { path: { appUserId: "u" } } }))).toBeInstanceOf(TransportError);
    expect(fetch.calls).toHaveLength(1);
  });

  it("does not retry 500 or 4xx even for a safe operation", async () => {
    for (const status of [500, 400, 401, 404]) {
      const { c, fetch } = client(() => json({ errorCode: "X", errorMessage: "no" }, status));
      await caught(() => del(c));
      expect(fetch.calls).toHaveLength(1);
    }
  });

  it("retry: false turns retries off", async () => {
    const { c, fetch } = client(() => json({ errorCode: "X", errorMessage: "busy" }, 503), { retry: false });
    await caught(() => del(c));
    expect(fetch.calls).toHaveLength(1);
  });

  it("the wire layer follows the same policy", async () => {
    const { c, fetch } = client((_, i) => (i === 0 ? json({}, 503) : ok204()));
    const { response } = await c.DELETE("/v2/apps/me/members/{appUserIds}", { params: { path: { appUserIds: ["1"] } } });
    expect(response.status).toBe(204);
    expect(fetch.calls).toHaveLength(2);
  });

  it("resends the same body on a retry", async () => {
    const fetch = recordingFetch((_, i) => (i === 0 ? json({}, 503) : ok204()));
    const c = createFlipFlopClient({ apiKey: "k", apiSecret: "secret-123", fetch, retry: fast });
    await c.DELETE("/v2/apps/me/members/{appUserIds}", { params: { path: { appUserIds: ["1"] } }, body: { note: "x" } as never });
    expect(fetch.calls.map((r) => r.body)).toEqual(['{"note":"x"}', '{"note":"x"}']);
  });
});

describe("Retry-After and backoff", () => {
  const policy = resolveRetryPolicy({ random: () => 0 }) as Exclude<ReturnType<typeof resolveRetryPolicy>, false>;
  it("reads delta-seconds and HTTP-dates", () => {
    expect(retryAfterDelay("3")).toBe(3000);
    expect(retryAfterDelay("0.5")).toBe(500);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterDelay("Thu, 01 Jan 2026 00:00:10 GMT", now)).toBe(10_000);
    expect(retryAfterDelay("Wed, 31 Dec 2025 00:00:00 GMT", now)).toBe(0);
    expect(retryAfterDelay("soon")).toBeUndefined();
    expect(retryAfterDelay(null)).toBeUndefined();
  });

  it("backs off exponentially, capped, with jitter that only shortens", () => {
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(policy, a))).toEqual([300, 600, 1200, 2400, 8000]);
    const jittered = resolveRetryPolicy({ random: () => 1 }) as typeof policy;
    expect(backoffDelay(jittered, 0)).toBe(225);
  });

  it("waits as long as Retry-After says", async () => {
    const { c, fetch } = client((_, i) => (i === 0 ? json({}, 429, { "retry-after": "0.2" }) : ok204()));
    const started = Date.now();
    await del(c);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(fetch.calls).toHaveLength(2);
  });

  it("hands the answer over when Retry-After is longer than the policy accepts", async () => {
    const { c, fetch } = client(() => json({ errorCode: "SLOW", errorMessage: "later" }, 503, { "retry-after": "3600" }));
    const err = await caught(() => del(c));
    expect(err).toMatchObject({ status: 503, code: "SLOW" });
    expect(fetch.calls).toHaveLength(1);
  });
});

describe("timeouts, deadline, abort, size", () => {
  const hang = (req: unknown, _i: number, signal?: AbortSignal) =>
    new Promise<Response>((_, reject) => signal?.addEventListener("abort", () => reject(signal.reason)));
  const hanging = () => {
    const calls: number[] = [];
    const fetch = ((input: Request) => {
      calls.push(1);
      return hang(input, 0, input.signal);
    }) as unknown as typeof globalThis.fetch;
    return { fetch, calls };
  };

  it("times out one attempt and says so", async () => {
    const { fetch, calls } = hanging();
    const c = createFlipFlopClient({ apiKey: "k", apiSecret: "secret-123", fetch, timeoutMs: 30, retry: false });
    const err = await caught(() => login(c));
    expect(err).toMatchObject({ name: "TransportError", reason: "timeout" });
    expect(calls).toHaveLength(1);
  });

  it("retries a timed-out safe call, and stops at the overall deadline", async () => {
    const { fetch, calls } = hanging();
    const c = createFlipFlopClient({ apiKey: "k", apiSecret: "secret-123", fetch, timeoutMs: 40, deadlineMs: 100, retry: { maxRetries: 10, baseDelayMs: 1 } });
    const started = Date.now();
    const err = await caught(() => del(c));
    expect(err).toBeInstanceOf(TransportError);
    expect(["timeout", "deadline"]).toContain(err.reason);
    expect(Date.now() - started).toBeLessThan(400);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.length).toBeLessThanOrEqual(4);
  });

  it("an abort from the caller ends the call at once with reason aborted, and is not retried", async () => {
    const { fetch, calls } = hanging();
    const c = createFlipFlopClient({ apiKey: "k", apiSecret: "secret-123", fetch, retry: fast });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const err = await caught(() => c.deleteMembers({ params: { path: { appUserIds: ["1"] } }, signal: controller.signal }));
    expect(err).toMatchObject({ name: "TransportError", reason: "aborted" });
    expect(calls).toHaveLength(1);
  });

  it("refuses a body over maxResponseBytes, declared or streamed", async () => {
    // Declared: a Content-Length over the limit is refused before a byte of the body is read.
    const bytes = new TextEncoder().encode(JSON.stringify({ accessToken: "x".repeat(2000), streamingToken: "s" }));
    const declaredBody = { pulled: 0, cancelled: false };
    const declared = client(() => {
      const body = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            declaredBody.pulled++;
            controller.enqueue(bytes);
            controller.close();
          },
          cancel() {
            declaredBody.cancelled = true;
          },
        },
        { highWaterMark: 0 }, // nothing is pulled until someone reads
      );
      return new Response(body, { headers: { "content-type": "application/json", "content-length": String(bytes.byteLength) } });
    }, { maxResponseBytes: 1000 });
    expect(await caught(() => login(declared.c))).toMatchObject({ name: "TransportError", reason: "too-large" });
    expect(declaredBody).toEqual({ pulled: 0, cancelled: true });
    // Streamed: no Content-Length, so the limit is found while reading, and reading stops there.
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new TextEncoder().encode("y".repeat(600)));
        if (pulled > 1000) controller.close();
      },
    });
    const streamed = client(() => new Response(stream, { headers: { "content-type": "application/json" } }), { maxResponseBytes: 1000 });
    expect(await caught(() => login(streamed.c))).toMatchObject({ name: "TransportError", reason: "too-large" });
    expect(pulled).toBeLessThan(10); // stopped reading, did not buffer the rest
  });
});

describe("logger", () => {
  it("logs every attempt of a retried call, with its number, and the final answer", async () => {
    const events: { type: string; attempt: number; status?: number }[] = [];
    const fetch = recordingFetch((_, i) => (i < 2 ? json({}, 503) : ok204()));
    const c = createFlipFlopClient({ apiKey: "k", apiSecret: "secret-123", fetch, retry: fast, logger: (e) => void ("attempt" in e && events.push(e)) });
    await del(c);
    expect(events.map((e) => `${e.type}#${e.attempt}${"status" in e ? `:${e.status}` : ""}`)).toEqual([
      "request#1", "response#1:503", "request#2", "response#2:503", "request#3", "response#3:204",
    ]);
  });

  it("logs a failed attempt as an error event, masked", async () => {
    const events: { type: string; error?: string }[] = [];
    const fetch = recordingFetch(() => {
      throw new TypeError("fetch failed: secret-123");
    });
    const c = createFlipFlopClient({ apiKey: "k", apiSecret: "secret-123", fetch, retry: false, logger: (e) => void events.push(e) });
    await caught(() => login(c));
    expect(events.map((e) => e.type)).toEqual(["request", "error"]);
    expect(events[1]!.error).toContain("TransportError");
    expect(JSON.stringify(events)).not.toContain("secret-123");
  });
});

describe("first attempt", () => {
  it("a named operation's first attempt is openapi-fetch's own Request, not a copy; a retry sends a copy", async () => {
    const seen: boolean[] = [];
    const fetch = (async (input: Request) => {
      seen.push(FIRST_ATTEMPT in input);
      return seen.length === 1 ? json({}, 503) : ok204();
    }) as unknown as typeof globalThis.fetch;
    const c = createFlipFlopClient({ apiKey: "k", apiSecret: "secret-123", fetch, retry: fast });
    await del(c);
    expect(seen).toEqual([true, false]);
  });

  it("the first attempt's timeout still reads as a timeout, and the caller's abort as an abort", async () => {
    const hang = ((input: Request) => new Promise((_, reject) => input.signal.addEventListener("abort", () => reject(input.signal.reason)))) as unknown as typeof globalThis.fetch;
    const c = createFlipFlopClient({ apiKey: "k", apiSecret: "secret-123", fetch: hang, timeoutMs: 30, retry: false });
    expect(await caught(() => login(c))).toMatchObject({ reason: "timeout" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    const slow = createFlipFlopClient({ apiKey: "k", apiSecret: "secret-123", fetch: hang, timeoutMs: 5_000, retry: false });
    expect(await caught(() => slow.loginMember({ body: { appUserId: "u1" }, signal: controller.signal }))).toMatchObject({ reason: "aborted" });
  });
});
