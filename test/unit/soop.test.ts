// SOOP with an injected fetch: credential injection from the operation index, the envelope, JSONP, the auth/code
// redirect, validation, retry safety and secrets.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSoopClient, operations, type SoopClient } from "../../src/soop/index.js";
import { fieldCredentials } from "../../src/soop/credentials.js";
import { createMemoryStore } from "../../src/core/store.js";
import type { OperationIndex } from "../../src/core/operation.js";
import { ConfigError, ProviderError, TransportError, ValidationError } from "../../src/index.js";
import type { LogEvent } from "../../src/index.js";
import { json, recordingFetch, type Recorded } from "../helpers/fetch.js";
import { soopCalls } from "../helpers/soop-calls.js";
import { caught, expectNoSecrets } from "../helpers/secrets.js";
import { createFakeSoop, type FakeSoop } from "../../src/testing/index.js";

const clientId = "soop-client-id-1";
const clientSecret = "soop-client-secret-very-private";
const accessToken = "soop-access-token-abc123";
const refreshToken = "soop-refresh-token-xyz789";
const NOW = 1_700_000_000_000;
const token = { accessToken, refreshToken, expiresAt: NOW + 3_600_000 };
const secrets = [clientSecret, accessToken, refreshToken];
const fastRetry = { baseDelayMs: 1, maxDelayMs: 1, random: () => 0 };

const make = (respond: Parameters<typeof recordingFetch>[0], extra: object = {}) => {
  const fetch = recordingFetch(respond);
  return { fetch, c: createSoopClient({ clientId, clientSecret, token, now: () => NOW, fetch, ...extra }) };
};
const form = (r: Recorded) => Object.fromEntries(new URLSearchParams(r.body));
const ok = () => json({ result: 1, msg: "Success" });

const calls = soopCalls;

describe("createSoopClient: credentials", () => {
  it("covers every operation of the spec", () => {
    expect(Object.keys(calls).sort()).toEqual(Object.keys(operations).sort());
  });

  const values: Record<string, string> = { client_id: clientId, client_secret: clientSecret, access_token: accessToken };
  it.each(Object.keys(calls) as (keyof typeof operations)[])(
    "%s carries exactly the credentials its operation index names, where it names them",
    async (id) => {
      const { c, fetch } = make(ok);
      await calls[id](c);
      expect(fetch.calls).toHaveLength(1);
      const req = fetch.calls[0]!;
      expect(req.url.origin).toBe("https://openapi.sooplive.co.kr");
      expect(req.method).toBe(operations[id].method);
      const wanted = operations[id].credentials.map((cred) => `${cred.kind === "field" ? cred.in : "?"}:${cred.kind === "field" ? cred.name : ""}`);
      const body = req.headers.get("content-type")?.startsWith("application/x-www-form-urlencoded") ? form(req) : {};
      const seen: string[] = [];
      for (const name of Object.keys(values)) {
        if (req.url.searchParams.has(name)) {
          seen.push(`query:${name}`);
          expect(req.url.searchParams.get(name)).toBe(values[name]);
        }
        if (name in body) {
          seen.push(`body:${name}`);
          expect(body[name]).toBe(values[name]);
        }
      }
      expect(seen.sort()).toEqual(wanted.sort());
    },
  );

  it("keeps the caller's form fields next to the injected ones", async () => {
    const { c, fetch } = make(ok);
    await c.updateBroadcastInfo({ body: { title: "제목 & more", waiting_time: 5, is_wait: 1 } });
    expect(form(fetch.calls[0]!)).toEqual({ title: "제목 & more", waiting_time: "5", is_wait: "1", access_token: accessToken });
    await c.upsertFilter({ params: { path: { type: "keyword" } }, body: { keyword: "사설", reason: "copyright" } });
    expect(form(fetch.calls[1]!)).toEqual({ keyword: "사설", reason: "copyright", client_id: clientId, client_secret: clientSecret });
  });

  it("the app's own middleware runs on every named call (the JSONP ones too) until it is ejected", async () => {
    const { c } = make((req) => (req.url.pathname.endsWith("/broad/list") ? json({ total_cnt: 0, page_no: 1, broad: [] }) : ok()));
    const seen: string[] = [];
    const mine = { onRequest: ({ request }: { request: Request }) => void seen.push(new URL(request.url).pathname) };
    c.use(mine);
    await c.listBroadcasts();
    await c.updateBroadcastInfo({ body: { waiting_time: 5 } });
    await c.GET("/broad/list", {});
    c.eject(mine);
    await c.listBroadcasts();
    await c.updateBroadcastInfo({ body: { waiting_time: 5 } });
    expect(seen).toEqual(["/broad/list", "/broad/info/update", "/broad/list"]);
  });

  it("injects on the wire layer too", async () => {
    const { c, fetch } = make(ok);
    await c.POST("/broad/rtmp/reset");
    await c.GET("/filter/{type}", { params: { path: { type: "streamer" } } });
    expect(form(fetch.calls[0]!)).toEqual({ access_token: accessToken });
    expect(Object.fromEntries(fetch.calls[1]!.url.searchParams)).toEqual({ client_id: clientId, client_secret: clientSecret });
  });

  it("sends a wire-layer request to a path the spec does not list as it is, with no credential", async () => {
    const { c, fetch } = make(() => json({ anything: true }));
    const { data } = await c.GET("/not/in/the/spec" as never, { params: { query: { a: "1" } } } as never);
    expect(data).toEqual({ anything: true });
    expect(fetch.calls[0]!.url.search).toBe("?a=1");
    expect(fetch.calls[0]!.body).toBe("");
  });

  it.each([
    ["a header", { kind: "field", in: "header", name: "client_id" }],
    ["a cookie", { kind: "field", in: "cookie", name: "client_id" }],
    ["a field nobody supplies", { kind: "field", in: "query", name: "api_key" }],
    ["a bearer token", { kind: "bearer" }],
    ["an apiKey scheme (even one named like a field)", { kind: "apiKey", in: "query", name: "client_id" }],
  ])("an operation index naming a credential in %s fails at construction, not at the first request", (_, credential) => {
    const index = { op: { ...operations.listFilters, credentials: [operations.listFilters.credentials[0]!, credential] } } as unknown as OperationIndex;
    expect(() => fieldCredentials(index, { client_id: () => clientId })).toThrow(`soop: operation op needs credential ${JSON.stringify(credential)}`);
    expect(() => fieldCredentials({ op: { ...index.op!, credentials: [operations.listFilters.credentials[0]!] } }, { client_id: () => clientId })).not.toThrow();
  });

  it("resetStreamKey needs no argument and resolves to the new key", async () => {
    const { c } = make(() => json({ result: 1, msg: "Success", stream_key: "afid-1" }));
    await expect(c.resetStreamKey()).resolves.toEqual({ result: 1, msg: "Success", stream_key: "afid-1" });
  });
});

describe("createSoopClient: options", () => {
  const build = (opts: object) => () => createSoopClient(opts as never);
  it.each([
    ["clientId", undefined, "is required and must be a non-empty string"],
    ["clientId", { clientSecret }, "is required and must be a non-empty string"],
    ["clientId", { clientId: "", clientSecret }, "is required and must be a non-empty string"],
    ["clientSecret", { clientId, clientSecret: " " }, "is required and must be a non-empty string"],
    ["redirectUri", { clientId, clientSecret, redirectUri: "not a url" }, "must be an absolute http(s) URL (the Redirect URI registered with SOOP)"],
    ["redirectUri", { clientId, clientSecret, redirectUri: "javascript:alert(1)" }, "must be an absolute http(s) URL"],
    ["redirectUri", { clientId, clientSecret, redirectUri: "git+https://app.example.com/cb" }, "must be an absolute http(s) URL"],
    ["token.accessToken", { clientId, clientSecret, token: { accessToken: "", refreshToken, expiresAt: NOW } }, "is required and must be a non-empty string"],
    ["token.refreshToken", { clientId, clientSecret, token: { accessToken, refreshToken: 42, expiresAt: NOW } }, "must be a string"],
    ["token.expiresAt", { clientId, clientSecret, token: { accessToken, refreshToken, expiresAt: "soon" } }, "must be milliseconds since the epoch"],
    ["token.expiresAt", { clientId, clientSecret, token: { accessToken, refreshToken, expiresAt: Number.NaN } }, "must be milliseconds since the epoch"],
    ["token.expiresAt", { clientId, clientSecret, token: { accessToken, refreshToken, expiresAt: Number.POSITIVE_INFINITY } }, "must be milliseconds since the epoch"],
    ["token", { clientId, clientSecret, token: "abc" }, "must be { accessToken, refreshToken, expiresAt }"],
    ["token", { clientId, clientSecret, token: null }, "must be { accessToken, refreshToken, expiresAt }"],
    ["onToken", { clientId, clientSecret, onToken: "persist" }, "must be a function"],
    ["now", { clientId, clientSecret, now: 1_700_000_000_000 }, "must be a function"],
    ["baseUrl", { clientId, clientSecret, baseUrl: "http://openapi.example.com" }, "must use https"],
  ])("refuses a bad %s with a ConfigError naming it and the rule", (option, opts, rule) => {
    let err: unknown;
    try {
      build(opts as object)();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ option });
    expect((err as Error).message).toContain(`\`${option}\` ${rule}`);
  });

  it("takes an http Redirect URI (a local app) as well as https, and sends it with the code exchange", async () => {
    const { c, fetch } = make(() => json({ access_token: "soop-access-token-new1", refresh_token: "soop-refresh-token-new1", expires_in: 3600 }), {
      redirectUri: "http://localhost:3000/soop/callback",
    });
    await c.exchangeCode("code-1234");
    expect(form(fetch.calls[0]!).redirect_uri).toBe("http://localhost:3000/soop/callback");
  });

  it("takes a token without expiresAt or refreshToken, and uses it (it counts as fresh until SOOP says otherwise)", async () => {
    const { c, fetch } = make(ok, { token: { accessToken } });
    await c.getStationInfo();
    expect(fetch.calls.map((r) => [r.url.pathname, form(r).access_token])).toEqual([["/user/stationinfo", accessToken]]);
  });

  it.each([
    ["soop:<clientId>:token by default", undefined, `soop:${clientId}:token`],
    ["storeKey when given", "soop:user-42", "soop:user-42"],
  ])("keeps the token in the store under %s", async (_, storeKey, key) => {
    const store = createMemoryStore();
    const issued = { access_token: "soop-access-token-new1", refresh_token: "soop-refresh-token-new1", expires_in: 3600 };
    const { c } = make(() => json(issued), { token: undefined, store, storeKey });
    await c.exchangeCode("code-1234");
    expect((await store.get(key))?.value).toEqual({ accessToken: issued.access_token, refreshToken: issued.refresh_token, expiresAt: NOW + 3_600_000 });
  });

  it("the config errors never show the secret", () => {
    let err: unknown;
    try {
      createSoopClient({ clientId, clientSecret, token: { accessToken: "", refreshToken: clientSecret, expiresAt: NOW } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expectNoSecrets(err, [clientSecret]);
  });
});

describe("authorizeUrl and getAuthCode", () => {
  it("authorizeUrl is GET auth/code with client_id only (the spec has no redirect_uri there)", () => {
    const c = createSoopClient({ clientId, clientSecret, redirectUri: "https://app.example.com/cb" });
    expect(c.authorizeUrl()).toBe(`https://openapi.sooplive.co.kr${operations.getAuthCode.path}?client_id=${clientId}`);
    const other = createSoopClient({ clientId: "id with space", clientSecret, baseUrl: "https://openapi.sooplive.com/" });
    expect(other.authorizeUrl()).toBe("https://openapi.sooplive.com/auth/code?client_id=id+with+space");
  });

  // SOOP is its fake (streamspec/testing) on loopback; the Redirect URI is the app's own server.
  let soop: FakeSoop;
  let callback: Server;
  let callbackHits = 0;
  const url = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  beforeAll(async () => {
    callback = createServer((_, res) => {
      callbackHits++;
      res.end("callback page");
    });
    await new Promise<void>((r) => callback.listen(0, "127.0.0.1", () => r()));
    soop = createFakeSoop({ clientId, clientSecret, redirectUri: `${url(callback)}/cb` });
    await soop.listen();
  });
  afterAll(async () => {
    await soop.close();
    await new Promise((r) => callback.close(r));
  });

  it("does not follow the redirect to the Redirect URI and reports it with its code", async () => {
    const c = createSoopClient({ clientId, clientSecret, baseUrl: soop.url });
    const out = await c.getAuthCode();
    expect(out.code).toMatch(/^[0-9a-f]+$/);
    expect(out).toEqual({ location: `${url(callback)}/cb?code=${out.code}`, code: out.code });
    expect(callbackHits).toBe(0);
    expect(soop.requests.map((r) => r.url.slice(soop.url!.length))).toEqual([`/auth/code?client_id=${clientId}`]);
  });

  it("resolves a relative Location against the API and has no code for the login page", async () => {
    const { c } = make(() => new Response(null, { status: 302, headers: { Location: "/login?next=1" } }));
    expect(await c.getAuthCode()).toEqual({ location: "https://openapi.sooplive.co.kr/login?next=1", code: undefined });
  });

  it("a 2xx answer means the page is auth/code itself: location is authorizeUrl()", async () => {
    const { c } = make(() => new Response("<html>login</html>", { status: 200, headers: { "content-type": "text/html" } }));
    expect(await c.getAuthCode()).toEqual({ location: c.authorizeUrl(), code: undefined });
  });

  it("an envelope error is a ProviderError; a redirect without Location is a TransportError", async () => {
    const { c } = make(() => json({ result: -1, msg: "Invalid client" }, 400));
    expect(await caught(() => c.getAuthCode())).toMatchObject({ name: "ProviderError", operation: "getAuthCode", status: 400, code: -1 });
    const bare = make(() => new Response(null, { status: 302 }));
    expect(await caught(() => bare.c.getAuthCode())).toMatchObject({
      name: "TransportError",
      reason: "invalid-body",
      message: "soop.getAuthCode: the 302 redirect has no Location header",
    });
  });

  it.each([300, 301, 303, 307, 308])("reports a %d answer with a Location as the redirect", async (status) => {
    const { c } = make(() => new Response(null, { status, headers: { Location: "https://app.example.com/cb?code=code-9" } }));
    expect(await c.getAuthCode()).toEqual({ location: "https://app.example.com/cb?code=code-9", code: "code-9" });
  });

  it("an error thrown by the app's own middleware is a TransportError of getAuthCode, with its cause", async () => {
    const { c, fetch } = make(ok);
    c.use({
      onRequest() {
        throw new Error("proxy refused");
      },
    });
    const err = await caught(() => c.getAuthCode());
    expect(err).toMatchObject({ name: "TransportError", provider: "soop", operation: "getAuthCode", reason: "network", cause: { message: "proxy refused" } });
    expect(fetch.calls).toHaveLength(0);
  });

  it("a network failure is a TransportError of getAuthCode, with no secret", async () => {
    const { c } = make((req) => {
      throw new TypeError(`fetch failed for ${req.url.href} (${clientSecret})`);
    }, { retry: false });
    const err = await caught(() => c.getAuthCode());
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ provider: "soop", operation: "getAuthCode", reason: "network" });
    expectNoSecrets(err, secrets);
  });

  it("asks fetch not to follow redirects and is not retried", async () => {
    const modes: string[] = [];
    const c = createSoopClient({
      clientId,
      clientSecret,
      retry: fastRetry,
      fetch: async (input, init) => {
        modes.push(new Request(input, init).redirect);
        return new Response(null, { status: 503 });
      },
    });
    expect(await caught(() => c.getAuthCode())).toMatchObject({ name: "ProviderError", status: 503 });
    expect(modes).toEqual(["manual"]);
  });
});

describe("envelope", () => {
  it("result <= 0 under HTTP 200 is a ProviderError with code, status and message", async () => {
    const { c } = make(() => json({ result: -1320, msg: "The broadcast standby time setting is incorrect.(515)" }));
    const err = await caught(() => c.updateBroadcastInfo({ body: { waiting_time: 10 } }));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ provider: "soop", operation: "updateBroadcastInfo", status: 200, code: -1320 });
    expect(err.message).toContain("The broadcast standby time setting is incorrect.(515)");
  });

  it("result 0 fails too; a positive result succeeds", async () => {
    const zero = make(() => json({ result: 0, msg: "" }));
    expect(await caught(() => zero.c.getStationInfo())).toMatchObject({ code: 0, message: expect.stringContaining("result 0") });
    const two = make(() => json({ result: 2, msg: "Done" }));
    await expect(two.c.getStationInfo()).resolves.toEqual({ result: 2, msg: "Done" });
  });

  it("an error status with an envelope carries its result and msg; without one, the status", async () => {
    const env = make(() => json({ result: -1, msg: "Invalid access token." }, 401));
    expect(await caught(() => env.c.getStationInfo())).toMatchObject({ status: 401, code: -1, message: expect.stringContaining("Invalid access token.") });
    const bare = make(() => new Response("gateway down", { status: 500 }), { retry: false });
    const err = await caught(() => bare.c.getStationInfo());
    expect(err).toMatchObject({ name: "ProviderError", status: 500, code: undefined });
    expect(err.message).toBe("soop.getStationInfo: HTTP 500 (HTTP 500)");
  });

  it.each([400, 503])("an HTTP %d with a positive result still reports the envelope's result and msg", async (status) => {
    const { c } = make(() => json({ result: 1, msg: "Temporarily unavailable" }, status), { retry: false });
    const err = await caught(() => c.getStationInfo());
    expect(err).toMatchObject({ name: "ProviderError", status, code: 1 });
    expect(err.message).toBe(`soop.getStationInfo: Temporarily unavailable (HTTP ${status}, code 1)`);
  });

  it("reads a result sent as text: a negative one fails, a positive one succeeds, a blank one is no result", async () => {
    const neg = make(() => json({ result: "-1320", msg: "Too early" }));
    expect(await caught(() => neg.c.getStationInfo())).toMatchObject({ name: "ProviderError", status: 200, code: -1320 });
    const pos = make(() => json({ result: "1", msg: "Success" }));
    await expect(pos.c.getStationInfo()).resolves.toEqual({ result: "1", msg: "Success" });
    const blank = make(() => json({ result: " ", msg: "" }));
    await expect(blank.c.getStationInfo()).resolves.toEqual({ result: " ", msg: "" });
  });

  it.each([null, false, [-1]])("a result that is neither number nor text (%j) is no result: a 200 succeeds", async (result) => {
    const { c } = make(() => json({ result, msg: "" }));
    await expect(c.getStationInfo()).resolves.toEqual({ result, msg: "" });
  });

  it("words a failure by its result when msg is no text", async () => {
    const { c } = make(() => json({ result: -3, msg: { ko: "오류" } }));
    const err = await caught(() => c.getStationInfo());
    expect(err).toMatchObject({ name: "ProviderError", code: -3 });
    expect(err.message).toBe("soop.getStationInfo: result -3 (HTTP 200, code -3)");
  });

  it("bodies without an envelope are successes", async () => {
    const { c } = make(() => json({ broad_category: [{ cate_name: "게임", cate_no: "00040000" }] }));
    await expect(c.listCategories()).resolves.toEqual({ broad_category: [{ cate_name: "게임", cate_no: "00040000" }] });
  });
});

describe("JSONP", () => {
  const page = { total_cnt: 1, page_no: 1, page_block: 60, broad: [{ broad_no: "1", user_id: "u1" }] };
  it.each([
    ["text/javascript", `cb(${JSON.stringify(page)});`],
    ["application/javascript; charset=utf-8", `cb(${JSON.stringify(page, null, 2)})\n`],
    ["application/x-javascript", `/**/ window.cb_1(${JSON.stringify(page)});`],
  ])("listBroadcasts unwraps %s", async (type, text) => {
    const { c, fetch } = make(() => new Response(text, { headers: { "content-type": type } }));
    await expect(c.listBroadcasts({ params: { query: { callback: "cb" } } })).resolves.toEqual(page);
    expect(fetch.calls[0]!.url.searchParams.get("callback")).toBe("cb");
  });

  it.each([
    ["whitespace around it", `\n  cb(${JSON.stringify(page)});\n`],
    ["/**/ with no space after it", `/**/cb(${JSON.stringify(page)})`],
    ["spaces before ( and before ;", `cb (${JSON.stringify(page)}) ;`],
  ])("unwraps a callback call with %s", async (_, text) => {
    const { c } = make(() => new Response(text, { headers: { "content-type": "text/javascript" } }));
    await expect(c.listBroadcasts({ params: { query: { callback: "cb" } } })).resolves.toEqual(page);
  });

  it.each([
    ["text before the callback", `x cb(${JSON.stringify(page)})`],
    ["text after the call", `cb(${JSON.stringify(page)}) x`],
  ])("does not unwrap a body with %s (it is no JSONP answer): TransportError", async (_, text) => {
    const { c } = make(() => new Response(text, { headers: { "content-type": "text/javascript" } }));
    expect(await caught(() => c.listBroadcasts({ params: { query: { callback: "cb" } } }))).toMatchObject({ name: "TransportError", reason: "invalid-body" });
  });

  it.each(["application/json", "Application/JSON ; charset=utf-8"])("a body labelled %s is read as JSON, never unwrapped", async (type) => {
    const { c } = make(() => new Response(`cb(${JSON.stringify(page)});`, { headers: { "content-type": type } }));
    expect(await caught(() => c.listBroadcasts({ params: { query: { callback: "cb" } } }))).toMatchObject({ name: "TransportError", reason: "invalid-body" });
  });

  it("the wire layer gets the unwrapped answer as a JSON response of the same status", async () => {
    const text = `cb(${JSON.stringify(page)});`;
    const { c } = make(() => new Response(text, { status: 200, statusText: "OK", headers: { "content-type": "text/javascript", "content-length": String(text.length) } }));
    const { data, response } = await c.GET("/broad/list", { params: { query: { callback: "cb" } } });
    expect(data).toEqual(page);
    expect([response.status, response.statusText, response.headers.get("content-type"), response.headers.get("content-length")]).toEqual([200, "OK", "application/json", null]);
  });

  it("plain JSON stays as it is, even labelled text/javascript", async () => {
    const { c } = make(() => new Response(JSON.stringify(page), { headers: { "content-type": "text/javascript" } }));
    await expect(c.listBroadcasts()).resolves.toEqual(page);
  });

  it("a broken JSONP body is a TransportError", async () => {
    const { c } = make(() => new Response("cb({not json});", { headers: { "content-type": "text/javascript" } }));
    expect(await caught(() => c.listBroadcasts({ params: { query: { callback: "cb" } } }))).toMatchObject({ name: "TransportError", reason: "invalid-body" });
  });

  it("only operations whose spec promises JavaScript are unwrapped, on the wire layer too", async () => {
    const { c } = make(() => new Response(`cb(${JSON.stringify({ broad_category: [] })});`, { headers: { "content-type": "text/javascript" } }));
    expect(await caught(() => c.listCategories())).toMatchObject({ name: "TransportError", reason: "invalid-body" });
    await expect(c.GET("/broad/category/list", {})).rejects.toThrow(SyntaxError);
  });
});

describe("validation", () => {
  it.each([
    ["an unknown filter type", (c: SoopClient) => c.listFilters({ params: { path: { type: "user" as never } } }), "path.type", "enum"],
    ["an unknown filter type on delete", (c: SoopClient) => c.deleteFilter({ params: { path: { type: "vod" as never } }, body: { keyword: "k" } }), "path.type", "enum"],
    ["a title over 75 characters", (c: SoopClient) => c.updateBroadcastInfo({ body: { title: "가".repeat(76) } }), "body.title", "maxLength"],
    ["a waiting_time of 15", (c: SoopClient) => c.updateBroadcastInfo({ body: { waiting_time: 15 } }), "body.waiting_time", "maximum"],
    ["a password of 3 characters", (c: SoopClient) => c.updateBroadcastInfo({ body: { broad_pwd: "abc" } }), "body.broad_pwd", "minLength"],
    ["a keyword over 20 characters", (c: SoopClient) => c.upsertFilter({ params: { path: { type: "keyword" } }, body: { keyword: "k".repeat(21), reason: "r" } }), "body.keyword", "maxLength"],
    ["a filter without its target field", (c: SoopClient) => c.upsertFilter({ params: { path: { type: "streamer" } }, body: { reason: "r" } as never }), "body", "anyOf"],
    ["a language that is no string", (c: SoopClient) => c.updateBroadcastInfo({ body: { language: 1 as never } }), "body.language", "type"],
  ])("refuses %s with a ValidationError naming the field, before any request", async (_, call, path, rule) => {
    const { c, fetch } = make(ok);
    const err = await caught(() => call(c));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues).toContainEqual(expect.objectContaining({ path, rule }));
    expect(err.message).toContain(path);
    expect(fetch.calls).toHaveLength(0);
  });

  it("sends any broadcast language string: zh_TW (not in broad/list's language list) and the guide's own sample `ipsum`", async () => {
    const { c, fetch } = make(ok);
    await c.updateBroadcastInfo({ body: { language: "zh_TW" } });
    await c.updateBroadcastInfo({ body: { language: "ipsum" } });
    expect(fetch.calls.map((r) => new URLSearchParams(r.body).get("language"))).toEqual(["zh_TW", "ipsum"]);
  });

  it("sends what the guide leaves open: any page_no, a width or height of 0, a vod_url that is no URI, an empty reason", async () => {
    const { c, fetch } = make(ok);
    await c.listBroadcasts({ params: { query: { page_no: 0, callback: "" } } });
    await c.getEmbedInfo({ params: { query: { vod_url: "71021072", width: 0, height: 0 } } });
    await c.upsertFilter({ params: { path: { type: "streamer" } }, body: { black_id: "soop1", reason: "" } });
    await c.deleteFilter({ params: { path: { type: "keyword" } }, body: { keyword: "k".repeat(21) } });
    expect(fetch.calls).toHaveLength(4);
    expect(fetch.calls[0]!.url.searchParams.get("page_no")).toBe("0");
    expect(fetch.calls[1]!.url.searchParams.get("vod_url")).toBe("71021072");
  });

  it("accepts the title at exactly 75 characters and a 6-character password", async () => {
    const { c, fetch } = make(ok);
    await c.updateBroadcastInfo({ body: { title: "가".repeat(75), broad_pwd: "pass12", waiting_time: 10 } });
    expect(fetch.calls).toHaveLength(1);
  });
});

describe("retry safety", () => {
  const unavailable = () => new Response(null, { status: 503 });
  const down = () => {
    throw new TypeError("fetch failed");
  };

  it.each([
    ["a 503", unavailable, "ProviderError"],
    ["a network error", down, "TransportError"],
  ])("resetStreamKey reaches the server exactly once after %s", async (_, respond, name) => {
    const { c, fetch } = make(respond, { retry: fastRetry });
    expect(await caught(() => c.resetStreamKey())).toMatchObject({ name, operation: "resetStreamKey" });
    expect(fetch.calls).toHaveLength(1);
  });

  it.each([
    ["a 503", unavailable, "ProviderError"],
    ["a network error", down, "TransportError"],
  ])("issueToken (exchangeCode) reaches the server exactly once after %s", async (_, respond, name) => {
    const { c, fetch } = make(respond, { retry: fastRetry });
    expect(await caught(() => c.exchangeCode("code-1234"))).toMatchObject({ name, operation: "issueToken" });
    expect(fetch.calls).toHaveLength(1);
  });

  it.each([
    ["a 503", unavailable],
    ["a network error", down],
  ])("a read-only GET (listBroadcasts) is retried after %s", async (_, first) => {
    const { c, fetch } = make((_req, i) => (i === 0 ? first() : json({ total_cnt: 0, page_no: 1, broad: [] })), { retry: fastRetry });
    await expect(c.listBroadcasts()).resolves.toEqual({ total_cnt: 0, page_no: 1, broad: [] });
    expect(fetch.calls).toHaveLength(2);
    expect(fetch.calls[1]!.url.searchParams.get("client_id")).toBe(clientId);
  });
});

describe("secrets", () => {
  it("a failure envelope echoing the credentials does not leak them", async () => {
    const { c } = make(() => json({ result: -1, msg: `bad ${clientSecret} / ${accessToken} / ${refreshToken}`, access_token: accessToken }, 401));
    const err = await caught(() => c.upsertFilter({ params: { path: { type: "streamer" } }, body: { black_id: "b", reason: "r" } }));
    expect(err).toBeInstanceOf(ProviderError);
    expectNoSecrets(err, secrets);
  });

  it("a network error quoting the URL with client_secret in its query does not leak it", async () => {
    const { c } = make((req) => {
      throw new TypeError(`fetch failed for ${req.url}`, { cause: new Error(`connect ECONNREFUSED ${req.url}`) });
    }, { retry: false });
    const err = await caught(() => c.listFilters({ params: { path: { type: "streamer" } } }));
    expect(err).toBeInstanceOf(TransportError);
    expectNoSecrets(err, secrets);
  });

  it("the logger sees no secret", async () => {
    const events: LogEvent[] = [];
    const { c } = make(ok, { logger: (e: LogEvent) => events.push(e) });
    await c.getStationInfo();
    await c.listFilters({ params: { path: { type: "streamer" } } });
    const text = JSON.stringify(events);
    expect(events.length).toBe(4);
    for (const s of secrets) expect(text).not.toContain(s);
  });
});
