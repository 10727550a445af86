// The client factory (src/core/client.ts) as a caller sees it: which option a ConfigError names, how a failure the
// wire layer throws is worded, what an error status's body and message carry, a caller's signal that is already
// aborted, and a spec's response range (`2XX`). FlipFlop and Polyv with an injected fetch are the vehicles; a
// made-up definition covers what no provider's spec has (a range key, a provider without middleware).
import { getEventListeners } from "node:events";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createFlipFlopClient } from "../../src/flipflop/index.js";
import { createPolyvClient } from "../../src/polyv/index.js";
import { ConfigError, ProviderError, TransportError } from "../../src/index.js";
import type { Middleware } from "openapi-fetch";
import { createProviderClient, thrownError, type ProviderHooks } from "../../src/core/client.js";
import { FORM, formSupport } from "../../src/core/form.js";
import type { OperationIndex, OperationMeta } from "../../src/core/operation.js";
import { Redactor } from "../../src/core/redact.js";
import type { LogEvent } from "../../src/core/logger.js";
import { json, recordingFetch } from "../helpers/fetch.js";
import { caught } from "../helpers/secrets.js";

const make = (respond: Parameters<typeof recordingFetch>[0], extra: object = {}) => {
  const fetch = recordingFetch(respond);
  return { fetch, c: createFlipFlopClient({ apiKey: "key-abc", apiSecret: "s3cr3t-value-xyz", fetch, retry: false, ...extra }) };
};
const login = (c: ReturnType<typeof make>["c"], init: object = {}) => c.loginMember({ body: { appUserId: "a" }, ...init });

describe("options a ConfigError names", () => {
  it.each(["timeoutMs", "deadlineMs", "maxResponseBytes"])("names `%s` when it is not a positive number", (option) => {
    const fetch = recordingFetch(() => json({}));
    let err: unknown;
    try {
      createFlipFlopClient({ apiKey: "k", apiSecret: "secret-123", fetch, [option]: 0 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ option, message: `flipflop: option \`${option}\` must be a positive number of milliseconds` });
  });
});

describe("failures the wire layer throws", () => {
  it("words a success body that is not JSON, and keeps only the start of V8's parse message (no body text)", async () => {
    const { c } = make(() => new Response("not json", { status: 200, headers: { "content-type": "application/json" } }));
    const err = await caught(() => login(c));
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ reason: "invalid-body", message: "flipflop.loginMember: the response body is not valid JSON" });
    // V8: `Unexpected token 'o', "not json" is not valid JSON` (a short body is quoted whole, without "...").
    expect([err.cause.name, err.cause.message]).toEqual(["SyntaxError", "Unexpected token 'o'"]);
  });

  it("cuts V8's excerpt of a long body too (quoted after `...`)", async () => {
    const body = `{"a":${" ".repeat(30)}private words${" ".repeat(30)}}`;
    const { c } = make(() => new Response(body, { status: 200, headers: { "content-type": "application/json" } }));
    const err = await caught(() => login(c));
    expect(err).toMatchObject({ reason: "invalid-body", message: "flipflop.loginMember: the response body is not valid JSON" });
    expect([err.cause.name, err.cause.message]).toEqual(["SyntaxError", "Unexpected token 'p'"]);
  });

  it("cuts the token JavaScriptCore (Bun) quotes in its parse message too", () => {
    const ctx = { provider: "flipflop", operation: "loginMember", redactor: new Redactor() };
    const err = thrownError(ctx, new SyntaxError('JSON Parse error: Unexpected identifier "private"')) as TransportError;
    expect(err).toMatchObject({ reason: "invalid-body", message: "flipflop.loginMember: the response body is not valid JSON" });
    expect((err.cause as Error).message).toBe("JSON Parse error: Unexpected identifier");
  });

  it("words anything else thrown on the way (an app middleware's error) as a failed request, keeping the cause", async () => {
    const { c, fetch } = make(() => json({ accessToken: "a", streamingToken: "s" }));
    c.use({
      onRequest() {
        throw new Error("middleware broke");
      },
    });
    const err = await caught(() => login(c));
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ reason: "network", message: "flipflop.loginMember: the request failed" });
    expect(err.cause.message).toBe("middleware broke");
    expect(fetch.calls).toHaveLength(0);
  });
});

describe("an error status", () => {
  const failWith = async (text: string) => {
    const { c } = make(() => new Response(text, { status: 400, headers: { "content-type": "text/plain" } }));
    return caught(() => login(c));
  };

  it("keeps a text body of up to 4096 characters as it is", async () => {
    for (const text of ["short", "x".repeat(4096)]) {
      const err = await failWith(text);
      expect(err).toBeInstanceOf(ProviderError);
      expect(err.body).toBe(text);
    }
  });

  it("cuts a longer text body to its first 4096 characters and `...`", async () => {
    const text = `${"x".repeat(4096)}yz`;
    const err = await failWith(text);
    expect(err).toMatchObject({ name: "ProviderError", status: 400, message: "flipflop.loginMember: HTTP 400 (HTTP 400)" });
    expect(err.body).toBe(`${"x".repeat(4096)}...`);
    expect((await failWith(`${"x".repeat(4097)}`)).body).toBe(`${"x".repeat(4096)}...`);
  });

  it("leaves a JSON body whole, however long", async () => {
    const long = "m".repeat(5000);
    const { c } = make(() => json({ errorCode: "E1", errorMessage: "bad", detail: long }, 400));
    const err = await caught(() => login(c));
    expect(err.body).toEqual({ errorCode: "E1", errorMessage: "bad", detail: long });
  });

  it("is named by the status and its statusText when the provider reads no failure from the body", async () => {
    const polyv = (statusText?: string) =>
      createPolyvClient({
        appId: "frlr1zazn3",
        appSecret: "fsq2k5weced1h8vui657xtdva66whf0g",
        userId: "1b448be323",
        rateLimit: false,
        retry: false,
        fetch: recordingFetch(() => new Response("<html>down</html>", { status: 503, statusText, headers: { "content-type": "text/html" } })),
      });
    const call = (c: ReturnType<typeof polyv>) => caught(() => c.saveViewerCustomFieldValues({ body: [{ viewerId: "v", customFieldId: "F", customFieldValue: "x" }] }));
    const named = await call(polyv("Service Unavailable"));
    expect(named).toBeInstanceOf(ProviderError);
    expect(named.message).toBe("polyv.saveViewerCustomFieldValues: HTTP 503 Service Unavailable (HTTP 503)");
    expect((await call(polyv())).message).toBe("polyv.saveViewerCustomFieldValues: HTTP 503 (HTTP 503)");
  });
});

describe("the caller's signal", () => {
  it("already aborted: nothing is sent, even when an app middleware replaces the Request", async () => {
    const { c, fetch } = make(() => json({ accessToken: "a", streamingToken: "s" }));
    // A replacement Request loses what the transport knows of the call: only the signal in it says "aborted".
    c.use({ onRequest: ({ request }) => new Request(request) });
    const reason = new Error("caller gave up");
    const err = await caught(() => login(c, { signal: AbortSignal.abort(reason) }));
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ reason: "aborted", message: "flipflop.loginMember: the request was aborted" });
    expect(fetch.calls).toHaveLength(0);
  });
});

describe("a made-up provider (what no provider's spec has)", () => {
  const operations: OperationIndex = {
    getThing: { method: "GET", path: "/thing", retrySafe: true, credentials: [], params: {}, responses: { "2XX": ["application/json"] } },
  };
  const create = (respond: Parameters<typeof recordingFetch>[0]) => {
    const fetch = recordingFetch(respond);
    const c = createProviderClient<any, any, "getThing">(
      { provider: "madeup", operations, validators: { getThing: () => true }, defaultBaseUrl: "https://api.example.test" },
      { fetch, retry: false },
      { redactor: new Redactor(), failure: () => undefined },
    ) as unknown as { getThing: () => Promise<unknown> };
    return { c, fetch };
  };

  it("works without provider middleware", async () => {
    const { c, fetch } = create(() => json({ ok: 1 }));
    await expect(c.getThing()).resolves.toEqual({ ok: 1 });
    expect(fetch.calls.map((r) => r.url.href)).toEqual(["https://api.example.test/thing"]);
  });

  it("holds a status to its range (`2XX`): an empty body where the range promises JSON is a TransportError", async () => {
    const { c } = create(() => new Response(null, { status: 201, headers: { "content-length": "0" } }));
    const err = await caught(() => c.getThing());
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ reason: "invalid-body", message: "madeup.getThing: the 201 response has an empty body where the spec promises application/json" });
  });
});

describe("a wire-layer call whose Request the provider's middleware replaces (core/request.ts rebuild)", () => {
  const V4 = "/live/v4/user/custom-field/viewer-value/save";
  const body = [{ viewerId: "v", customFieldId: "F", customFieldValue: "x" }];
  const polyv = () => {
    const seen: Request[] = [];
    const c = createPolyvClient({
      appId: "frlr1zazn3",
      appSecret: "fsq2k5weced1h8vui657xtdva66whf0g",
      userId: "1b448be323",
      rateLimit: false,
      retry: false,
      fetch: async (input, init) => {
        seen.push(new Request(input, init));
        return json({ code: 200, status: "success", requestId: "r-1", data: null, success: true });
      },
    });
    return { c, seen };
  };

  it("keeps the caller's request options (redirect, cache) in the signed Request", async () => {
    const { c, seen } = polyv();
    await c.POST(V4, { body, redirect: "manual", cache: "no-store" });
    expect(seen).toHaveLength(1);
    expect(new URL(seen[0]!.url).searchParams.has("sign")).toBe(true);
    expect([seen[0]!.redirect, seen[0]!.cache]).toEqual(["manual", "no-store"]);
  });

  it("keeps the caller's signal: one already aborted sends nothing", async () => {
    const { c, seen } = polyv();
    const err = await caught(() => c.POST(V4, { body, signal: AbortSignal.abort(new Error("caller gave up")) }));
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ reason: "aborted", message: "polyv.saveViewerCustomFieldValues: the request was aborted" });
    expect(seen).toHaveLength(0);
  });
});

describe("a made-up provider with `finish` (which client a named call goes through, and what it sends)", () => {
  const json200 = { "200": ["application/json"] };
  const operations: OperationIndex = {
    getThing: { method: "GET", path: "/thing", retrySafe: true, credentials: [], params: { query: { properties: { q: {} } } }, responses: json200 },
    postThing: { method: "POST", path: "/thing", retrySafe: false, credentials: [], params: {}, body: { contentType: "application/json", required: false }, responses: json200 },
    formThing: { method: "POST", path: "/form", retrySafe: false, credentials: [], params: {}, body: { contentType: FORM, required: false }, responses: json200 },
    headThing: { method: "HEAD", path: "/thing", retrySafe: true, credentials: [], params: {}, responses: { "200": [] } },
    emptyThing: { method: "GET", path: "/empty", retrySafe: true, credentials: [], params: {}, responses: { "200": [], "204": [] } },
    jsonpThing: { method: "GET", path: "/jsonp", retrySafe: true, credentials: [], params: {}, responses: json200 },
    syncThing: { method: "PUT", path: "/sync", retrySafe: true, credentials: [], params: {}, body: { contentType: "application/json", required: true }, responses: json200 },
  };
  type Ids = "getThing" | "postThing" | "formThing" | "headThing" | "emptyThing" | "jsonpThing" | "syncThing";
  type Loose = Record<Ids, (init?: Record<string, unknown>) => Promise<unknown>> & {
    use(...m: Middleware[]): void;
    eject(...m: Middleware[]): void;
    GET(path: string, init?: object): Promise<{ data?: unknown; response: Response }>;
  };
  // "full": finish with a finishedMiddleware for /jsonp; "finish": finish alone; "none": credentials by middleware only.
  type Variant = "full" | "finish" | "none";
  const create = (respond: Parameters<typeof recordingFetch>[0], variant: Variant = "full", extra: object = {}) => {
    const fetch = recordingFetch(respond);
    const ran: string[] = [];
    const provider: Middleware = {
      onRequest({ request }) {
        ran.push("provider");
        request.headers.set("X-Cred", "middleware");
      },
    };
    const hooks: ProviderHooks = {
      redactor: new Redactor(),
      failure: () => undefined,
      middleware: [provider],
      form: formSupport,
      ...(variant === "none" ? {} : { finish: () => ({ query: (s: string) => (s ? `${s}&token=F` : "token=F"), headers: { "X-Cred": "finish" } }) }),
      ...(variant === "full"
        ? { finishedMiddleware: { middleware: [{ onRequest: () => void ran.push("extra") }], applies: (meta: OperationMeta) => meta.path === "/jsonp" } }
        : {}),
    };
    const c = createProviderClient<any, any, Ids>(
      { provider: "madeup", operations, validators: Object.fromEntries(Object.keys(operations).map((id) => [id, () => true])), defaultBaseUrl: "https://api.example.test" },
      { fetch, retry: false, ...extra },
      hooks,
    ) as unknown as Loose;
    return { c, fetch, ran };
  };
  const sent = (fetch: ReturnType<typeof recordingFetch>) => fetch.calls.map((r) => [r.method, r.url.pathname + r.url.search, r.headers.get("x-cred")]);

  describe("finish, or the middleware when the caller serialises", () => {
    it("a named call goes through finish: its query step and headers, and not the provider's middleware", async () => {
      const { c, fetch, ran } = create(() => json({ a: 1 }));
      await expect(c.getThing({ params: { query: { q: "1" } } })).resolves.toEqual({ a: 1 });
      expect(sent(fetch)).toEqual([["GET", "/thing?q=1&token=F", "finish"]]);
      expect(ran).toEqual([]);
    });

    it("a caller's own querySerializer: finish stands aside, the serialiser is used and the middleware adds credentials", async () => {
      const { c, fetch, ran } = create(() => json({ a: 1 }));
      await c.getThing({ params: { query: { q: "1" } }, querySerializer: (q: Record<string, unknown>) => `custom=${String(q.q)}` });
      expect(sent(fetch)).toEqual([["GET", "/thing?custom=1", "middleware"]]);
      expect(ran).toEqual(["provider"]);
    });

    it("a caller's own bodySerializer: finish stands aside, the serialiser is used and the middleware adds credentials", async () => {
      const { c, fetch, ran } = create(() => json({ a: 1 }));
      await c.postThing({ body: { b: 2 }, bodySerializer: (b: unknown) => `custom:${JSON.stringify(b)}` });
      expect(sent(fetch)).toEqual([["POST", "/thing", "middleware"]]);
      expect(fetch.calls[0]!.body).toBe('custom:{"b":2}');
      expect(ran).toEqual(["provider"]);
    });
  });

  it("a form operation called without a body sends none (finish writes no form text here)", async () => {
    const bodies: (ReadableStream | null)[] = [];
    const { c } = create(() => json({ a: 1 }), "full", {
      fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
        bodies.push(input instanceof Request ? input.body : ((init?.body ?? null) as ReadableStream | null));
        return json({ a: 1 });
      },
    });
    await expect(c.formThing()).resolves.toEqual({ a: 1 });
    expect(bodies).toEqual([null]);
  });

  it("a form operation keeps the caller's headers, as an object or a Headers instance, beside its Content-Type", async () => {
    const { c, fetch } = create(() => json({ a: 1 }), "none");
    await c.formThing({ body: { x: 1 }, headers: new Headers({ "X-Caller": "yes", "content-type": "text/plain" }) });
    await c.formThing({ body: { x: 1 }, headers: { "X-Caller": "yes" } });
    expect(fetch.calls.map((r) => [Object.fromEntries(r.headers.entries()), r.body])).toEqual([
      [{ "content-type": FORM, "x-caller": "yes", "x-cred": "middleware" }, "x=1"],
      [{ "content-type": FORM, "x-caller": "yes", "x-cred": "middleware" }, "x=1"],
    ]);
  });

  describe("finish's headers over the caller's (later wins, case-insensitively)", () => {
    const headersOf = (fetch: ReturnType<typeof recordingFetch>) => Object.fromEntries(fetch.calls[0]!.headers.entries());

    it("no caller headers: finish's alone", async () => {
      const { c, fetch } = create(() => json({ a: 1 }));
      await c.getThing();
      expect(headersOf(fetch)).toEqual({ "x-cred": "finish" });
    });

    it("caller headers as an object: kept beside finish's, a same-named one (other case) replaced, an undefined one left out", async () => {
      const { c, fetch } = create(() => json({ a: 1 }));
      await c.getThing({ headers: { "X-Caller": "yes", "x-cred": "caller", "X-Skip": undefined } });
      expect(headersOf(fetch)).toEqual({ "x-caller": "yes", "x-cred": "finish" });
    });

    it("caller headers as a Headers instance: kept beside finish's, a same-named one replaced", async () => {
      const { c, fetch } = create(() => json({ a: 1 }));
      await c.getThing({ headers: new Headers({ "X-Caller": "yes", "X-CRED": "caller" }) });
      expect(headersOf(fetch)).toEqual({ "x-caller": "yes", "x-cred": "finish" });
    });
  });

  describe("app middleware", () => {
    it.each<Variant>(["full", "finish", "none"])("use and eject reach every internal client (%s)", async (variant) => {
      const { c, ran } = create(() => json({ a: 1 }), variant);
      const app: Middleware = { onRequest: () => void ran.push("app") };
      c.use(app);
      await c.getThing();
      await c.jsonpThing();
      await c.GET("/thing");
      const withApp = ran.splice(0);
      expect(withApp.filter((m) => m === "app")).toHaveLength(3);
      c.eject(app);
      await c.getThing();
      await c.jsonpThing();
      await c.GET("/thing");
      expect(ran.filter((m) => m === "app")).toEqual([]);
      // The provider's own middleware stays where it was: the wire layer always, named calls only without finish.
      expect(ran.filter((m) => m === "provider")).toHaveLength(variant === "none" ? 3 : 1);
      expect(ran.filter((m) => m === "extra")).toHaveLength(variant === "full" ? 1 : 0);
    });

    it("use skips an empty entry and refuses a non-object with openapi-fetch's own message", () => {
      const { c } = create(() => json({ a: 1 }));
      expect(() => c.use(undefined as never)).not.toThrow();
      expect(() => c.use("x" as never)).toThrow(new Error("Middleware must be an object with one of `onRequest()`, `onResponse() or `onError()`"));
    });

    it("an empty entry given to use is not counted as a middleware: named calls still work", async () => {
      const { c } = create(() => json({ a: 1 }));
      c.use(undefined as never);
      await expect(c.getThing()).resolves.toEqual({ a: 1 });
      await expect(c.jsonpThing()).resolves.toEqual({ a: 1 });
    });

    it("an app middleware that reads the Response (onResponse) gets one it can read, on named calls of every client", async () => {
      const { c } = create(() => json({ a: 1 }));
      const read: string[] = [];
      c.use({ onResponse: async ({ response }) => void read.push(await response.clone().text()) });
      await expect(c.getThing()).resolves.toEqual({ a: 1 });
      await expect(c.jsonpThing()).resolves.toEqual({ a: 1 });
      expect(read).toEqual(['{"a":1}', '{"a":1}']);
    });

    it("so does one registered after a middleware without onResponse (any reader keeps the Response readable)", async () => {
      const { c } = create(() => json({ a: 1 }));
      const read: string[] = [];
      c.use({ onRequest: () => undefined }, { onResponse: async ({ response }) => void read.push(await response.clone().text()) });
      await expect(c.getThing()).resolves.toEqual({ a: 1 });
      expect(read).toEqual(['{"a":1}']);
    });

    it("so does a per-call middleware with onResponse", async () => {
      const { c } = create(() => json({ a: 1 }), "none");
      const read: string[] = [];
      const middleware = [{ onResponse: async ({ response }: { response: Response }) => void read.push(await response.clone().text()) }];
      await expect(c.getThing({ middleware })).resolves.toEqual({ a: 1 });
      expect(read).toEqual(['{"a":1}']);
    });

    it("parseAs other than json is honoured: the body is read as the caller asked", async () => {
      const { c } = create(() => json({ a: 1 }));
      await expect(c.getThing({ parseAs: "text" })).resolves.toBe('{"a":1}');
    });
  });

  describe("a named call no middleware sees, with the platform's fetch (fetch(url, init), no Request built)", () => {
    const retry = { maxRetries: 2, baseDelayMs: 1, random: () => 0 };
    afterEach(() => void vi.unstubAllGlobals());
    // The platform's fetch, replaced as a test double of it is; passing it as `fetch` is the same fetch.
    const platform = <F extends (...args: never[]) => unknown>(f: F): F => (vi.stubGlobal("fetch", f), f);

    it("every attempt of a retry-safe call sends the same URL, headers and body, each on its own signal", async () => {
      const seen: { input: unknown; init?: RequestInit }[] = [];
      const fetch = platform(async (input: RequestInfo | URL, init?: RequestInit) => {
        seen.push({ input, init });
        return seen.length < 3 ? json({}, 503) : json({ a: 1 });
      });
      const { c } = create(() => json({}), "finish", { fetch, retry });
      await expect(c.syncThing({ body: { n: 1, s: "é" }, headers: { "X-Caller": "yes" } })).resolves.toEqual({ a: 1 });
      expect(seen.map(({ input, init }) => [input, init?.method, init?.body, new Headers(init?.headers).get("x-cred"), new Headers(init?.headers).get("x-caller")])).toEqual(
        Array.from({ length: 3 }, () => ["https://api.example.test/sync?token=F", "PUT", '{"n":1,"s":"é"}', "finish", "yes"]),
      );
      const signals = seen.map(({ init }) => init?.signal);
      expect(new Set(signals).size).toBe(3);
      expect(signals.every((signal) => signal instanceof AbortSignal && !signal.aborted)).toBe(true);
    });

    it("an error status is read as openapi-fetch reads one: the ProviderError carries the parsed body", async () => {
      const fetch = platform(async () => json({ err: "no such thing" }, 404));
      const { c } = create(() => json({}), "finish", { fetch });
      expect(await caught(() => c.getThing())).toMatchObject({ name: "ProviderError", status: 404, body: { err: "no such thing" } });
    });

    it("parseAs other than json is honoured on a planned call too", async () => {
      const fetch = platform(async () => json({ a: 1 }));
      const { c } = create(() => json({}), "finish", { fetch });
      await expect(c.getThing({ parseAs: "text" })).resolves.toBe('{"a":1}');
    });

    it("the log shows each attempt as sent: method, URL, headers and body", async () => {
      const events: LogEvent[] = [];
      const fetch = platform(async () => (events.length < 2 ? json({}, 503) : json({ a: 1 })));
      const { c } = create(() => json({}), "finish", { fetch, retry, logger: (e: LogEvent) => events.push(e) });
      await c.syncThing({ body: { n: 1 } });
      expect(events.filter((e) => e.type === "request")).toEqual([
        { type: "request", attempt: 1, method: "PUT", url: "https://api.example.test/sync?token=[REDACTED]", headers: { "content-type": "application/json", "x-cred": "finish" }, body: '{"n":1}' },
        { type: "request", attempt: 2, method: "PUT", url: "https://api.example.test/sync?token=[REDACTED]", headers: { "content-type": "application/json", "x-cred": "finish" }, body: '{"n":1}' },
      ]);
      expect(events.filter((e) => e.type === "response").map((e) => (e as { status: number }).status)).toEqual([503, 200]);
    });

    it("a fetch that ignores the signal is not waited for past the timeout, on a retry either", async () => {
      let sent = 0;
      const fetch = platform(() => (++sent === 1 ? Promise.resolve(json({}, 503)) : new Promise<Response>(() => {})));
      const { c } = create(() => json({}), "finish", { fetch, retry, timeoutMs: 30 });
      expect(await caught(() => c.syncThing({ body: {} }))).toMatchObject({ name: "TransportError", reason: "timeout" });
      expect(sent).toBe(3);
    });

    it("a retry gets fresh headers, whatever a fetch did to the ones it was handed", async () => {
      const seen: (string | null)[] = [];
      const fetch = platform(async (_: RequestInfo | URL, init?: RequestInit) => {
        (init!.headers as Headers).append("X-Seen", "t");
        seen.push((init!.headers as Headers).get("x-seen"));
        return seen.length < 3 ? json({}, 503) : json({ a: 1 });
      });
      const { c } = create(() => json({}), "finish", { fetch, retry });
      await c.syncThing({ body: {} });
      expect(seen).toEqual(["t", "t", "t"]);
    });

    it("with a logger, an init that Request refuses is refused before any attempt (as openapi-fetch refuses it): nothing sent or logged, no timer or listener left", async () => {
      let sent = 0;
      const fetch = platform(async () => (sent++, json({ a: 1 })));
      const events: LogEvent[] = [];
      const { c } = create(() => json({}), "finish", { fetch, logger: (e: LogEvent) => events.push(e), timeoutMs: 60_000 });
      const caller = new AbortController();
      const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
      const before = timers();
      const err = await caught(() => c.postThing({ body: {}, cache: "only-if-cached", signal: caller.signal }));
      expect(err).toMatchObject({ name: "TransportError", reason: "network" });
      expect(timers()).toBe(before);
      expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
      expect(events).toEqual([]);
      expect(sent).toBe(0);
    });

    it("a per-call fetch is handed a Request (it is openapi-fetch's to call)", async () => {
      platform(async () => json({ never: true }));
      const seen: string[] = [];
      const own = async (request: Request) => (seen.push(`${request instanceof Request} ${request.method} ${request.url}`), json({ a: 1 }));
      const { c } = create(() => json({}), "finish", { fetch: globalThis.fetch });
      await expect(c.postThing({ body: {}, fetch: own })).resolves.toEqual({ a: 1 });
      expect(seen).toEqual(["true POST https://api.example.test/thing?token=F"]);
    });

    it("a per-call middleware is handed a real Request, and what it sets is sent", async () => {
      const sent: (string | null)[] = [];
      const fetch = platform(async (input: RequestInfo | URL, init?: RequestInit) => (sent.push(new Request(input, init).headers.get("x-per-call")), json({ a: 1 })));
      const { c } = create(() => json({}), "finish", { fetch });
      const middleware: Middleware[] = [{ onRequest: ({ request }) => void request.headers.set("X-Per-Call", String(request instanceof Request)) }];
      await expect(c.getThing({ middleware })).resolves.toEqual({ a: 1 });
      expect(sent).toEqual(["true"]);
    });

    it("use/eject as openapi-fetch counts them: twice used, once ejected still sees the calls; ejecting one never used changes nothing; with none left, calls are planned again", async () => {
      const inputs: string[] = [];
      const fetch = platform(async (input: RequestInfo | URL) => (inputs.push(input instanceof Request ? "Request" : typeof input), json({ a: 1 })));
      const { c } = create(() => json({}), "finish", { fetch });
      const seen: string[] = [];
      const m: Middleware = { onRequest: ({ request }) => void seen.push(request.method) };
      c.use(m, m);
      c.eject(m);
      c.eject({ onRequest: () => undefined });
      await c.getThing();
      expect(seen).toEqual(["GET"]);
      c.eject(m);
      await c.getThing();
      expect(seen).toEqual(["GET"]);
      expect(inputs).toEqual(["Request", "string"]);
    });
  });

  describe("the caller's signal in the Request", () => {
    // A fetch that records what it is handed (a Request and its own signal, or a URL) and waits for the attempt's signal.
    const hanging = (caller: AbortController, reason: Error) => {
      const requests: Request[] = [];
      const fetch = (input: RequestInfo | URL, init?: RequestInit) => {
        requests.push(input as Request);
        inits.push(init);
        const signal = init?.signal ?? (input as Request).signal;
        caller.abort(reason);
        return new Promise<Response>((_, reject) => {
          if (signal.aborted) reject(signal.reason);
          signal.addEventListener("abort", () => reject(signal.reason), { once: true });
        });
      };
      return { fetch, requests };
    };
    const inits: (RequestInit | undefined)[] = [];
    const run = async (setup: (c: Loose) => Record<string, unknown>, extra: object = {}, operation: "getThing" | "jsonpThing" = "getThing") => {
      inits.length = 0;
      const caller = new AbortController();
      const reason = new Error("caller gave up");
      const { fetch, requests } = hanging(caller, reason);
      const { platformFetch, ...rest } = extra as { platformFetch?: boolean };
      if (platformFetch) vi.stubGlobal("fetch", fetch);
      const { c } = create(() => json({}), "full", { fetch, timeoutMs: 2000, ...rest });
      vi.unstubAllGlobals(); // the client has resolved its fetch; what it is handed is what is recorded
      const init = setup(c);
      const err = await caught(() => c[operation]({ ...init, signal: caller.signal }));
      expect(err).toBeInstanceOf(TransportError);
      expect(err).toMatchObject({ reason: "aborted", message: `madeup.${operation}: the request was aborted` });
      expect(requests).toHaveLength(1);
      return { request: requests[0]!, reason };
    };

    it("without app middleware, with the platform's fetch, no Request is built: fetch gets the URL and an init with the attempt's signal, which the abort reaches", async () => {
      const { request, reason } = await run(() => ({}), { platformFetch: true });
      expect(request).toBe("https://api.example.test/thing?token=F");
      expect([inits[0]?.method, inits[0]?.signal?.aborted, inits[0]?.signal?.reason]).toEqual(["GET", true, reason]);
      expect(inits[0]).not.toHaveProperty("streamspecFirstAttempt");
    });

    it("with an app middleware registered, the Request's own signal follows the caller's, and the attempt's goes beside it", async () => {
      const { request, reason } = await run((c) => (c.use({ onRequest: () => undefined }), {}));
      expect([request.signal.aborted, request.signal.reason]).toEqual([true, reason]);
      expect([inits[0]?.signal?.aborted, inits[0]?.signal?.reason]).toEqual([true, reason]);
    });

    it("through the provider's own extra middleware (finishedMiddleware) none goes into the Request: the attempt's goes beside it", async () => {
      const { request, reason } = await run(() => ({}), {}, "jsonpThing");
      expect(request).toBeInstanceOf(Request);
      expect(request.signal.aborted).toBe(false);
      expect([inits[0]?.signal?.aborted, inits[0]?.signal?.reason]).toEqual([true, reason]);
    });

    it("with a per-call middleware, the Request's own signal follows the caller's", async () => {
      const { request, reason } = await run(() => ({ middleware: [{ onRequest: () => undefined }] }));
      expect([request.signal.aborted, request.signal.reason]).toEqual([true, reason]);
    });

    it("an abort mid-flight reaches a Request an app middleware replaced (it knows only its own signal)", async () => {
      const { request, reason } = await run((c) => (c.use({ onRequest: ({ request }) => new Request(request) }), {}), { timeoutMs: 1000 });
      expect([request.signal.aborted, request.signal.reason]).toEqual([true, reason]);
    });
  });

  describe("a success body read from the transport's bytes", () => {
    it("HEAD: no body, whatever the Response carries", async () => {
      const { c } = create(() => json({ a: 1 }));
      await expect(c.headThing()).resolves.toBeUndefined();
    });

    it("204: no body, even with a stray Content-Length", async () => {
      const { c } = create(() => new Response(null, { status: 204, headers: { "content-length": "2" } }));
      await expect(c.emptyThing()).resolves.toBeUndefined();
    });

    it("Content-Length 0 with another transfer coding: no body", async () => {
      const { c } = create(() => new Response(null, { status: 200, headers: { "content-length": "0", "transfer-encoding": "gzip" } }));
      await expect(c.emptyThing()).resolves.toBeUndefined();
    });

    it("Content-Length 0 but chunked: the body is read", async () => {
      const { c } = create(() => new Response('{"a":1}', { status: 200, headers: { "content-length": "0", "transfer-encoding": "chunked" } }));
      await expect(c.emptyThing()).resolves.toEqual({ a: 1 });
    });

    it("an empty body without a length: no body", async () => {
      const { c } = create(() => new Response("", { status: 200 }));
      await expect(c.emptyThing()).resolves.toBeUndefined();
    });

    it("an empty body that declares a length is not JSON", async () => {
      const { c } = create(() => new Response("", { status: 200, headers: { "content-length": "2" } }));
      const err = await caught(() => c.emptyThing());
      expect(err).toMatchObject({ name: "TransportError", reason: "invalid-body", message: "madeup.emptyThing: the response body is not valid JSON" });
    });
  });
});
