// The client factory (src/core/client.ts) as a caller sees it: which option a ConfigError names, how a failure the
// wire layer throws is worded, what an error status's body and message carry, a caller's signal that is already
// aborted, and a spec's response range (`2XX`). FlipFlop and Polyv with an injected fetch are the vehicles; a
// made-up definition covers what no provider's spec has (a range key, a provider without middleware).
import { describe, expect, it } from "vitest";
import { createFlipFlopClient } from "../../src/flipflop/index.js";
import { createPolyvClient } from "../../src/polyv/index.js";
import { ConfigError, ProviderError, TransportError } from "../../src/index.js";
import { createProviderClient, thrownError } from "../../src/core/client.js";
import type { OperationIndex } from "../../src/core/operation.js";
import { Redactor } from "../../src/core/redact.js";
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
