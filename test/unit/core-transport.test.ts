// The transport policy with an injected fetch: which requests are retried, how often, how long it waits,
// and what a caller sees when it gives up. FlipFlop is the vehicle: deleteMembers is x-retry-safe,
// loginMember and forceTerminateMemberStreamKey are not.
import { getEventListeners } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createFlipFlopClient } from "../../src/flipflop/index.js";
import { ProviderError, TransportError } from "../../src/index.js";
import { backoffDelay, resolveRetryPolicy, retryAfterDelay } from "../../src/core/retry.js";
import { FIRST_ATTEMPT } from "../../src/core/request.js";
import { bufferedText, type Limiter } from "../../src/core/transport.js";
import { json, recordingFetch } from "../helpers/fetch.js";
import { directTransport, fast, membersUrl } from "../helpers/transport.js";
import { caught } from "../helpers/secrets.js";

const client = (respond: Parameters<typeof recordingFetch>[0], extra: object = {}) => {
  const fetch = recordingFetch(respond);
  return { fetch, c: createFlipFlopClient({ apiKey: "k", apiSecret: "secret-123", fetch, retry: fast, ...extra }) };
};
const members = { params: { path: { appUserIds: ["1"] } } };
const del = (c: ReturnType<typeof client>["c"]) => c.deleteMembers(members);
const login = (c: ReturnType<typeof client>["c"]) => c.loginMember({ body: { appUserId: "u1" } });
const ok204 = () => new Response(null, { status: 204 });
const wireDel = (c: ReturnType<typeof client>["c"], init: object = {}) => c.DELETE("/v2/apps/me/members/{appUserIds}", { ...members, ...init });

// The transport itself, for what only a direct caller can do: call it as fetch is called, or hand it a limiter.
const direct = directTransport;

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

  it("traces a wire-layer request back to its operation under a base URL with a path of its own", async () => {
    // The base path is matched as it is written ("." is no wildcard to drop or match anything) and with its
    // leading slash; were it not matched, the wire layer's DELETE would count as unknown and not be retried.
    const { c, fetch } = client((_, i) => (i === 0 ? json({}, 503) : ok204()), { baseUrl: "https://proxy.test/flip.flop" });
    const { response } = await wireDel(c);
    expect(response.status).toBe(204);
    expect(fetch.calls.map((r) => r.url.pathname)).toEqual(["/flip.flop/v2/apps/me/members/1", "/flip.flop/v2/apps/me/members/1"]);
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
    const tooLarge = { name: "TransportError", reason: "too-large", message: "flipflop.loginMember: the response is larger than 1000 bytes" };
    expect(await caught(() => login(declared.c))).toMatchObject(tooLarge);
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
    expect(await caught(() => login(streamed.c))).toMatchObject(tooLarge);
    expect(pulled).toBeLessThan(10); // stopped reading, did not buffer the rest
    // Declared over the limit with no body at all (a HEAD-like answer): refused the same, with nothing to cancel.
    const bodyless = client(() => new Response(null, { headers: { "content-length": "5000" } }), { maxResponseBytes: 1000 });
    expect(await caught(() => login(bodyless.c))).toMatchObject(tooLarge);
  });

  it("accepts a body of exactly maxResponseBytes, declared or streamed in pieces, and hands on every byte in order", async () => {
    const body = { accessToken: "a".repeat(100), streamingToken: "s" };
    const bytes = new TextEncoder().encode(JSON.stringify(body));
    const limit = { maxResponseBytes: bytes.byteLength };
    const declared = client(() => new Response(bytes, { headers: { "content-type": "application/json", "content-length": String(bytes.byteLength) } }), limit);
    expect(await login(declared.c)).toEqual(body);
    // No Content-Length: the size is counted while reading, and the three pieces are joined as they came.
    const pieces = [bytes.subarray(0, 10), bytes.subarray(10, 50), bytes.subarray(50)];
    const stream = () => new ReadableStream<Uint8Array>({
      start(controller) {
        for (const piece of pieces) controller.enqueue(piece);
        controller.close();
      },
    });
    const streamed = client(() => new Response(stream(), { headers: { "content-type": "application/json" } }), limit);
    expect(await login(streamed.c)).toEqual(body);
  });

  it("an already aborted signal sends nothing", async () => {
    const { c, fetch } = client(() => ok204());
    const err = await caught(() => c.deleteMembers({ ...members, signal: AbortSignal.abort() }));
    expect(err).toMatchObject({ name: "TransportError", reason: "aborted", message: "flipflop.deleteMembers: the request was aborted" });
    expect(fetch.calls).toHaveLength(0);
  });

  it("a retried call leaves no listener on the caller's signal", async () => {
    const { c, fetch } = client((_, i) => (i < 2 ? json({}, 503) : ok204()));
    const { signal } = new AbortController();
    await c.deleteMembers({ ...members, signal });
    expect(fetch.calls).toHaveLength(3);
    expect(getEventListeners(signal, "abort")).toHaveLength(0); // none per attempt, none per wait between them
  });
});

describe("what a failed attempt says", () => {
  it.each([
    ["a connection error with a code", new TypeError("fetch failed", { cause: Object.assign(new Error("connect refused"), { code: "ECONNREFUSED" }) }), "fetch failed: ECONNREFUSED"],
    ["a cause without a code", new TypeError("fetch failed", { cause: new Error("socket hang up") }), "fetch failed: socket hang up"],
    ["an error without a cause", new TypeError("Failed to fetch"), "Failed to fetch"],
    ["a thrown value that is no Error", "offline", "offline"],
  ])("a network failure names its cause: %s", async (_, thrown, said) => {
    const { c } = client(() => {
      throw thrown;
    }, { retry: false });
    expect(await caught(() => login(c))).toMatchObject({ name: "TransportError", reason: "network", message: `flipflop.loginMember: the request failed: ${said}` });
  });
});

describe("retry decisions at their boundaries (fake clock)", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());
  /** The call's outcome once every timer it sets has fired (a wait that should not happen then shows as a second call). */
  const outcome = async (call: () => Promise<unknown>) => {
    const settled = call().then((value) => ({ value }), (error: unknown) => ({ error }));
    await vi.runAllTimersAsync();
    return settled;
  };
  const busyThenOk = (retryAfter: string) => (_: unknown, i: number) =>
    i === 0 ? json({ errorCode: "BUSY", errorMessage: "later" }, 503, { "retry-after": retryAfter }) : ok204();

  it.each([
    { case: "a Retry-After past maxRetryAfterMs, well within the deadline", retryAfter: "2", maxRetryAfterMs: 1000, deadlineMs: 60_000, waits: false },
    { case: "a Retry-After of exactly maxRetryAfterMs", retryAfter: "1", maxRetryAfterMs: 1000, deadlineMs: 60_000, waits: true },
    { case: "a Retry-After that ends exactly at the deadline", retryAfter: "1", maxRetryAfterMs: 60_000, deadlineMs: 1000, waits: false },
    { case: "a Retry-After that ends 1 ms before the deadline", retryAfter: "1", maxRetryAfterMs: 60_000, deadlineMs: 1001, waits: true },
  ])("$case: waits and retries = $waits", async ({ retryAfter, maxRetryAfterMs, deadlineMs, waits }) => {
    const { c, fetch } = client(busyThenOk(retryAfter), { retry: { ...fast, maxRetryAfterMs }, deadlineMs });
    const result = await outcome(() => del(c));
    if (waits) expect(result).toEqual({ value: undefined });
    else expect(result).toMatchObject({ error: { name: "ProviderError", status: 503, code: "BUSY" } }); // the answer, handed over at once
    expect(fetch.calls).toHaveLength(waits ? 2 : 1);
  });

  it.each([
    { deadlineMs: 300, retries: false },
    { deadlineMs: 301, retries: true },
  ])("a failed attempt whose 300 ms backoff reaches the deadline (deadlineMs $deadlineMs) is not retried: $retries", async ({ deadlineMs, retries }) => {
    const { c, fetch } = client((_, i) => {
      if (i === 0) throw new TypeError("fetch failed");
      return ok204();
    }, { retry: { maxRetries: 2, baseDelayMs: 300, random: () => 0 }, deadlineMs });
    const result = await outcome(() => del(c));
    if (retries) expect(result).toEqual({ value: undefined });
    // The failure itself, not a deadline error after a pointless wait.
    else expect(result).toMatchObject({ error: { name: "TransportError", reason: "network", message: "flipflop.deleteMembers: the request failed: fetch failed" } });
    expect(fetch.calls).toHaveLength(retries ? 2 : 1);
  });

  it("a deadline that passes while waiting for the rate limiter sends nothing", async () => {
    for (const [held, sent] of [[500, 0], [499, 1]] as const) {
      const limiter: Limiter = { acquire: () => new Promise((resolve) => setTimeout(resolve, held)) };
      const { transport, fetch } = direct(() => ok204(), { limiter, deadlineMs: 500 });
      const result = await outcome(() => transport(new Request(membersUrl, { method: "DELETE" })));
      if (sent) expect(result).toMatchObject({ value: { status: 204 } });
      else expect(result).toMatchObject({ error: { name: "TransportError", reason: "deadline", message: "flipflop.deleteMembers: the overall deadline of 500 ms passed" } });
      expect(fetch.calls).toHaveLength(sent);
    }
  });

  it("an abort during the wait between attempts ends the call at once, leaving no timer and no listener", async () => {
    const { c, fetch } = client(busyThenOk("10"));
    const controller = new AbortController();
    const call = caught(() => c.deleteMembers({ ...members, signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(1000); // the 503 is in; 9 s of its 10 s wait are left
    expect(fetch.calls).toHaveLength(1);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    expect(await call).toMatchObject({ name: "TransportError", reason: "aborted", message: "flipflop.deleteMembers: the request was aborted" });
    expect(fetch.calls).toHaveLength(1);
  });

  it("an abort that lands while an answer is read (a fetch that ignores signals) ends the call before the wait", async () => {
    const controller = new AbortController();
    const { c, fetch } = client(() => {
      controller.abort();
      return json({}, 503, { "retry-after": "10" });
    });
    const call = caught(() => wireDel(c, { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(0); // no 10 s wait begun
    expect(await call).toMatchObject({ name: "TransportError", reason: "aborted", message: "flipflop.deleteMembers: the request was aborted" });
    expect(fetch.calls).toHaveLength(1);
  });
});

describe("called directly", () => {
  it("takes what fetch takes: a URL with an init, a URL alone, a Request with an init that overrides it", async () => {
    const { transport, fetch } = direct(() => ok204());
    await transport(membersUrl, { method: "DELETE", headers: { "x-n": "1" } });
    await transport(new URL(membersUrl));
    await transport(new Request(membersUrl), { method: "DELETE", headers: { "x-n": "3" } });
    expect(fetch.calls.map((r) => `${r.method} ${r.url.pathname} ${r.headers.get("x-n")}`)).toEqual([
      "DELETE /v2/apps/me/members/1 1",
      "GET /v2/apps/me/members/1 null",
      "DELETE /v2/apps/me/members/1 3",
    ]);
  });

  it("an abort while queued for the rate limiter is an abort, and sends nothing", async () => {
    const queued: Limiter = {
      acquire: (signal) => new Promise((_, reject) => signal!.addEventListener("abort", () => reject(signal!.reason), { once: true })),
    };
    const { transport, fetch } = direct(() => ok204(), { limiter: queued });
    const controller = new AbortController();
    const call = caught(() => transport(new Request(membersUrl, { method: "DELETE", signal: controller.signal })));
    controller.abort();
    expect(await call).toMatchObject({ name: "TransportError", reason: "aborted", message: "flipflop.deleteMembers: the request was aborted" });
    expect(fetch.calls).toHaveLength(0);
  });
});

describe("the Response handed on", () => {
  it("bufferedText gives the text of a Response the transport read, and nothing for any other", async () => {
    const { c } = client(() => json({ errorCode: "X", errorMessage: "no" }, 400));
    const { response } = await wireDel(c);
    expect(bufferedText(response)).toBe('{"errorCode":"X","errorMessage":"no"}');
    expect(bufferedText(new Response("made up elsewhere"))).toBeUndefined();
  });

  it.each([204, 304])("a custom fetch's %i that carries an (empty) body stream is handed on without a body", async (status) => {
    // Node's own fetch gives these statuses a null body, other fetch implementations an empty stream: a copy
    // with a body, even an empty one, cannot be made for them (the Response constructor throws).
    const { c } = client(() => Object.defineProperty(new Response(""), "status", { value: status }));
    const { response } = await wireDel(c);
    expect(response.status).toBe(status);
    expect(response.body).toBeNull();
    expect(bufferedText(response)).toBeUndefined();
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
    const events: { type: string; attempt?: number; error?: string }[] = [];
    const fetch = recordingFetch(() => {
      throw new TypeError("fetch failed: secret-123");
    });
    const c = createFlipFlopClient({ apiKey: "k", apiSecret: "secret-123", fetch, retry: false, logger: (e) => void events.push(e) });
    await caught(() => login(c));
    expect(events.map((e) => `${e.type}#${e.attempt}`)).toEqual(["request#1", "error#1"]);
    expect(events[1]!.error).toContain("TransportError");
    expect(JSON.stringify(events)).not.toContain("secret-123");
  });
});

describe("first attempt", () => {
  it("with the platform's fetch, a named operation without middleware builds no Request: every attempt is fetch(url, init), on its own signal", async () => {
    const seen: [unknown, string | undefined, string | null, AbortSignal | undefined | null, boolean][] = [];
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      seen.push([typeof input, init?.method, new Headers(init?.headers).get("authorization")?.slice(0, 6) ?? null, init?.signal, FIRST_ATTEMPT in (init ?? {})]);
      return seen.length === 1 ? json({}, 503) : ok204();
    }) as unknown as typeof globalThis.fetch;
    vi.stubGlobal("fetch", fetch); // the platform's fetch, as a test double of it is
    const c = createFlipFlopClient({ apiKey: "k", apiSecret: "secret-123", retry: fast });
    try {
      await del(c);
    } finally {
      vi.unstubAllGlobals();
    }
    expect(seen.map(([type, method, auth, , marked]) => [type, method, auth, marked])).toEqual([
      ["string", "DELETE", "Basic ", false],
      ["string", "DELETE", "Basic ", false],
    ]);
    // One signal per attempt, neither aborted by the other's end.
    expect(seen[0]![3]).toBeInstanceOf(AbortSignal);
    expect(seen[1]![3]).toBeInstanceOf(AbortSignal);
    expect(seen[0]![3]).not.toBe(seen[1]![3]);
  });

  it("a fetch the app passes is always handed a Request, so a one-argument wrapper written for openapi-fetch still sends the whole request", async () => {
    const seen: string[] = [];
    // A wrapper as openapi-fetch users write them: it forwards the Request alone (here to a recording stub).
    const wrapper = ((request: Request) => {
      seen.push(`${request.method} ${new URL(request.url).pathname} ${request.headers.get("authorization")?.slice(0, 6)}`);
      return Promise.resolve(json({ accessToken: "a".repeat(20), expiresIn: 3600, appUserId: "u1" }));
    }) as unknown as typeof globalThis.fetch;
    const c = createFlipFlopClient({ apiKey: "k", apiSecret: "secret-123", fetch: wrapper });
    await c.loginMember({ body: { appUserId: "u1" } }).catch(() => undefined);
    expect(seen).toEqual(["POST /v2/apps/me/members/login Basic "]);
  });

  it("with an app middleware, a named operation's first attempt is openapi-fetch's own Request, not a copy; a retry sends a copy", async () => {
    const seen: boolean[] = [];
    const fetch = (async (input: Request) => {
      seen.push(FIRST_ATTEMPT in input);
      return seen.length === 1 ? json({}, 503) : ok204();
    }) as unknown as typeof globalThis.fetch;
    const c = createFlipFlopClient({ apiKey: "k", apiSecret: "secret-123", fetch, retry: fast });
    c.use({ onRequest: () => undefined });
    await del(c);
    expect(seen).toEqual([true, false]);
  });

  it("the first attempt's timeout still reads as a timeout, and the caller's abort as an abort", async () => {
    const hang = ((input: Request, init?: RequestInit) => {
      const signal = init?.signal ?? input.signal;
      return new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
    }) as unknown as typeof globalThis.fetch;
    const c = createFlipFlopClient({ apiKey: "k", apiSecret: "secret-123", fetch: hang, timeoutMs: 30, retry: false });
    expect(await caught(() => login(c))).toMatchObject({ reason: "timeout" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    const slow = createFlipFlopClient({ apiKey: "k", apiSecret: "secret-123", fetch: hang, timeoutMs: 5_000, retry: false });
    expect(await caught(() => slow.loginMember({ body: { appUserId: "u1" }, signal: controller.signal }))).toMatchObject({ reason: "aborted" });
  });
});
