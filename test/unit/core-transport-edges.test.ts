// The transport at the edges a mutation run found unchecked: which operation a request is taken for, the exact
// words of a timeout, a deadline and an abort, the signal a named operation's first attempt hands to fetch, the
// size check for Content-Length values a custom fetch may send, and which Response is handed on.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createFlipFlopClient } from "../../src/flipflop/index.js";
import { resolveRetryPolicy } from "../../src/core/retry.js";
import { FIRST_ATTEMPT, type FirstAttempt } from "../../src/core/request.js";
import { bufferedText, type Limiter } from "../../src/core/transport.js";
import { json, recordingFetch } from "../helpers/fetch.js";
import { BASE, directTransport, membersUrl } from "../helpers/transport.js";
import { caught } from "../helpers/secrets.js";

const ok204 = () => new Response(null, { status: 204 });
const busy = () => json({ errorCode: "BUSY", errorMessage: "later" }, 503);

const direct = directTransport;

/** A Request as a named operation hands it to the transport (client.ts marks it with its FirstAttempt). */
const named = (url: string, method: string, first: Partial<FirstAttempt>) =>
  Object.assign(new Request(url, { method }), { [FIRST_ATTEMPT]: { controller: new AbortController(), caller: undefined, ...first } });

const login = (c: ReturnType<typeof createFlipFlopClient>, signal?: AbortSignal) => c.loginMember({ body: { appUserId: "u1" }, ...(signal ? { signal } : {}) });

describe("which operation a request is taken for", () => {
  it("a wire-layer path that only starts or ends like an operation's path is not that operation (no retry of a 503)", async () => {
    // deleteMembers (DELETE /v2/apps/me/members/{appUserIds}) is x-retry-safe; these paths are no operation at all.
    for (const url of [`${membersUrl}/extra`, `${BASE}/api/v2/apps/me/members/1`]) {
      const { transport, fetch } = direct((_, i) => (i === 0 ? busy() : ok204()));
      const response = await transport(new Request(url, { method: "DELETE" }));
      expect(response.status).toBe(503);
      expect(fetch.calls).toHaveLength(1);
    }
    // The operation's own path is retried (the control for the two above).
    const { transport, fetch } = direct((_, i) => (i === 0 ? busy() : ok204()));
    expect((await transport(new Request(membersUrl, { method: "DELETE" }))).status).toBe(204);
    expect(fetch.calls).toHaveLength(2);
  });

  it("a named operation is the operation it says it is, wherever its URL points", async () => {
    const { transport, fetch } = direct((_, i) => (i === 0 ? busy() : ok204()));
    const response = await transport(named(`${BASE}/somewhere/else`, "DELETE", { operation: "deleteMembers" }));
    expect(response.status).toBe(204); // retried: deleteMembers is x-retry-safe, though no route matches the URL
    expect(fetch.calls.map((r) => r.url.pathname)).toEqual(["/somewhere/else", "/somewhere/else"]);
  });

  it("a named operation that is not one of the spec's own (an Object.prototype name) is traced from its URL", async () => {
    const { transport, fetch } = direct((_, i) => (i === 0 ? busy() : ok204()));
    const response = await transport(named(membersUrl, "DELETE", { operation: "toString" }));
    expect(response.status).toBe(204); // deleteMembers, found from the URL, and retried
    expect(fetch.calls).toHaveLength(2);
  });
});

describe("a named call without a signal of its own", () => {
  it("a limiter's own refusal reaches the caller as it is", async () => {
    const refused = new Error("queue full");
    const limiter: Limiter = { acquire: () => Promise.reject(refused) };
    const { transport, fetch } = direct(() => ok204(), { limiter });
    expect(await caught(() => transport(named(membersUrl, "DELETE", { operation: "deleteMembers" })))).toBe(refused);
    expect(fetch.calls).toHaveLength(0);
  });
});

describe("what a stopped attempt says (fake clock)", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  /** A fetch that never answers by itself and ends only when fetch's own `init.signal` aborts; keeps each signal. */
  const initSignalOnly = () => {
    const signals: (AbortSignal | undefined)[] = [];
    const fetch = ((_: RequestInfo | URL, init?: RequestInit) => {
      const signal = init?.signal ?? undefined;
      signals.push(signal);
      return new Promise<Response>((_, reject) => signal?.addEventListener("abort", () => reject(signal.reason)));
    }) as typeof globalThis.fetch;
    return { fetch, signals };
  };

  it("a timeout says how long it waited, and aborts the signal the first attempt gave fetch", async () => {
    const { fetch, signals } = initSignalOnly();
    const c = createFlipFlopClient({ apiKey: "k", apiSecret: "secret-123", fetch, timeoutMs: 100, retry: false });
    const call = caught(() => login(c));
    await vi.advanceTimersByTimeAsync(99);
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await call).toMatchObject({ name: "TransportError", reason: "timeout", message: "flipflop.loginMember: no complete answer within 100 ms" });
    expect(signals[0]?.aborted).toBe(true); // the fetch itself was stopped, not only left behind
  });

  it("an attempt cut short by the overall deadline says so, with the deadline's length", async () => {
    const { fetch } = initSignalOnly();
    const c = createFlipFlopClient({ apiKey: "k", apiSecret: "secret-123", fetch, timeoutMs: 1000, deadlineMs: 300, retry: false });
    const call = caught(() => login(c));
    await vi.advanceTimersByTimeAsync(300);
    expect(await call).toMatchObject({ name: "TransportError", reason: "deadline", message: "flipflop.loginMember: the overall deadline of 300 ms passed" });
  });

  it("the caller's abort in the middle of an attempt says the request was aborted", async () => {
    const { fetch, signals } = initSignalOnly();
    const c = createFlipFlopClient({ apiKey: "k", apiSecret: "secret-123", fetch, timeoutMs: 1000, retry: false });
    const controller = new AbortController();
    const call = caught(() => login(c, controller.signal));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    expect(await call).toMatchObject({ name: "TransportError", reason: "aborted", message: "flipflop.loginMember: the request was aborted" });
    expect(signals[0]?.aborted).toBe(true);
  });
});

describe("the size limit and the Content-Length a custom fetch sends", () => {
  const tooLarge = { name: "TransportError", reason: "too-large", message: "flipflop.loginMember: the response is larger than 1000 bytes" };

  it("an empty Content-Length is no length: the body is counted while read, and reading stops at the limit", async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new TextEncoder().encode("y".repeat(600)));
        if (pulled >= 200) controller.close();
      },
    });
    const fetch = recordingFetch(() => new Response(stream, { headers: { "content-type": "application/json", "content-length": "" } }));
    const c = createFlipFlopClient({ apiKey: "k", apiSecret: "secret-123", fetch, retry: false, maxResponseBytes: 1000 });
    expect(await caught(() => login(c))).toMatchObject(tooLarge);
    expect(pulled).toBeLessThan(10); // not all 200 pieces buffered first
  });

  it("a body longer than its declared Content-Length is still refused over the limit", async () => {
    const body = JSON.stringify({ accessToken: "x".repeat(2000), streamingToken: "s" });
    const fetch = recordingFetch(() => new Response(body, { headers: { "content-type": "application/json", "content-length": "10" } }));
    const c = createFlipFlopClient({ apiKey: "k", apiSecret: "secret-123", fetch, retry: false, maxResponseBytes: 1000 });
    expect(await caught(() => login(c))).toMatchObject(tooLarge);
  });
});

describe("the Response handed on", () => {
  it("a named operation that reads its success from the buffer gets fetch's own Response; an error status gets a copy", async () => {
    const answers = [json({ accessToken: "a", streamingToken: "s" }), json({ errorCode: "X", errorMessage: "no" }, 400)];
    const { transport } = direct((_, i) => answers[i]!, { retry: false });
    const ok = await transport(named(`${BASE}/v2/apps/me/members/login`, "POST", { operation: "loginMember", handover: true }));
    expect(ok).toBe(answers[0]);
    expect(bufferedText(ok)).toBe('{"accessToken":"a","streamingToken":"s"}');
    const failed = await transport(named(`${BASE}/v2/apps/me/members/login`, "POST", { operation: "loginMember", handover: true }));
    expect(failed).not.toBe(answers[1]);
    expect(await failed.json()).toEqual({ errorCode: "X", errorMessage: "no" });
  });

  it("a copy keeps the answer's own URL and redirect flag (the wire layer's response.url after a redirect)", async () => {
    const answer = json({ errorCode: "X", errorMessage: "no" }, 400);
    Object.defineProperties(answer, { url: { value: `${BASE}/v2/apps/me/members/moved` }, redirected: { value: true } });
    const { transport } = direct(() => answer, { retry: false });
    const copy = await transport(new Request(membersUrl, { method: "DELETE" }));
    expect(copy).not.toBe(answer);
    expect([copy.url, copy.redirected, copy.status]).toEqual([`${BASE}/v2/apps/me/members/moved`, true, 400]);
    expect(await copy.json()).toEqual({ errorCode: "X", errorMessage: "no" });
  });

  it("a Response without a body is handed on as it is, not rebuilt", async () => {
    const answer = new Response(null, { status: 200, statusText: "Fine", headers: { "x-n": "1" } });
    const { transport } = direct(() => answer);
    expect(await transport(new Request(membersUrl, { method: "DELETE" }))).toBe(answer);
  });
});

describe("resolveRetryPolicy", () => {
  it("retry: false resolves to no policy at all", () => {
    expect(resolveRetryPolicy(false)).toBe(false);
  });
});
