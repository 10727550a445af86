// Arctos with an injected fetch: the automatic login, the single re-login after a dead token, concurrency,
// credentials only where the spec asks for them, error mapping, secrets, options and input validation.
import { describe, expect, it } from "vitest";
import { createArctosClient, info, type ArctosLicenseKeyOptions } from "../../src/arctos/index.js";
import { ConfigError, ProviderError, TransportError, ValidationError } from "../../src/index.js";
import { createMemoryStore, type Store } from "../../src/core/store.js";
import { createFakeArctos } from "../../src/testing/index.js";
import { json, recordingFetch, type Recorded } from "../helpers/fetch.js";
import { caught, expectNoSecrets } from "../helpers/secrets.js";

const licenseKey = "arc-license-0123456789abcdef";
const baseUrl = "https://arctos.example.test";
const user = { user_id: "USER-12345678", name: "Ann", role: "MODERATOR" } as const;
// What the fake answers checkAuthToken for `user` (the first user of a fake gets ihh ID 1010000001).
const claims = { status: 1, message: "", info: { client_id: "arctos-webapp", user_id: 1010000001, role: "MODERATOR" } };
// A failure as the document's tables give it: the specific code in `status`, the table's text as the message.
const dead = (code: number, message = code === 1404 ? "令牌已過期" : "令牌無效") => json({ status: code, message }, 401);

type Respond = (req: Recorded, n: number) => Response | undefined | Promise<Response | undefined>;

/**
 * Arctos as its fake (streamspec/testing) answers it, seen through a recording fetch; `check`/`code`/`login` may
 * script an answer of their own for a request instead (the n-th of that operation), which the fake then never sees.
 * `codes()` and `tokens()` are what the fake issued, in order.
 */
function arctos(over: { check?: Respond; code?: Respond; login?: Respond } = {}) {
  const fake = createFakeArctos({ licenseKey });
  const n = { code: 0, login: 0, check: 0 };
  const fetch = recordingFetch(async (req) => {
    const op = ({ "/api/auth/code": "code", "/api/auth/login": "login", "/api/auth/check": "check" } as const)[req.url.pathname];
    if (op) {
      n[op]++;
      const own = await over[op]?.(req, n[op]);
      if (own) return own;
    }
    return fake.fetch(req.url, { method: req.method, headers: req.headers, ...(req.body ? { body: req.body } : {}) });
  });
  const codes = () => fake.requests.filter((r) => r.operationId === "getAuthCode" && r.answer?.status === 200).map((r) => JSON.parse(r.answer!.body).info.code as string);
  const tokens = () => fake.sessions().map((s) => s.accessToken);
  return Object.assign(fetch, { fake, codes, tokens });
}

const make = (fetch: ReturnType<typeof arctos>, extra: Partial<ArctosLicenseKeyOptions> = {}) =>
  createArctosClient({ licenseKey, baseUrl, clientId: "arctos-webapp", user, fetch, retry: false, ...extra });

/** The request sequence as operation names. */
const route = (calls: Recorded[]) => calls.map((r) => ({ "/api/auth/code": "code", "/api/auth/login": "login", "/api/auth/check": "check" })[r.url.pathname] ?? r.url.pathname);
const bearer = (r: Recorded) => r.headers.get("authorization");

describe("createArctosClient: automatic login", () => {
  it("logs in on the first bearer call: code (license key, user), then token (code), then the call with Bearer", async () => {
    const fetch = arctos();
    const c = make(fetch, { redirectUri: "https://app.example.test/back" });
    await expect(c.checkAuthToken()).resolves.toEqual(claims);
    expect(route(fetch.calls)).toEqual(["code", "login", "check"]);
    const [code, login, check] = fetch.calls as [Recorded, Recorded, Recorded];
    expect(code.url.origin).toBe(baseUrl);
    expect(code.headers.get("arc-license-key")).toBe(licenseKey);
    expect(bearer(code)).toBeNull();
    expect(JSON.parse(code.body)).toEqual(user);
    expect(login.headers.get("arc-license-key")).toBeNull();
    expect(bearer(login)).toBeNull();
    expect(JSON.parse(login.body)).toEqual({ grant_type: "authorization_code", client_id: "arctos-webapp", code: fetch.codes()[0], redirect_uri: "https://app.example.test/back" });
    expect(check.headers.get("arc-license-key")).toBeNull();
    expect(bearer(check)).toBe(`Bearer ${fetch.tokens()[0]}`);
  });

  it("caches the token: later calls log in no more, and leave out redirect_uri when none is configured", async () => {
    const fetch = arctos();
    const c = make(fetch);
    expect(c.token()).toBeUndefined();
    await c.checkAuthToken();
    await c.checkAuthToken({ body: {} });
    expect(route(fetch.calls)).toEqual(["code", "login", "check", "check"]);
    expect(JSON.parse(fetch.calls[1]!.body)).not.toHaveProperty("redirect_uri");
    expect(bearer(fetch.calls[3]!)).toBe(`Bearer ${fetch.tokens()[0]}`);
    expect(c.token()).toBe(fetch.tokens()[0]);
  });

  it("20 concurrent first calls share one login", async () => {
    const fetch = arctos();
    const c = make(fetch);
    await Promise.all(Array.from({ length: 20 }, () => c.checkAuthToken()));
    const r = route(fetch.calls);
    expect(r.filter((x) => x === "code")).toHaveLength(1);
    expect(r.filter((x) => x === "login")).toHaveLength(1);
    expect(r.slice(0, 2)).toEqual(["code", "login"]);
    expect(fetch.calls.slice(2).map(bearer)).toEqual(Array(20).fill(`Bearer ${fetch.tokens()[0]}`));
    expect(fetch.tokens()).toHaveLength(1);
  });

  it("login() forces a new login and token() reports the cached token", async () => {
    const fetch = arctos();
    const c = make(fetch);
    const first = await c.login();
    const second = await c.login();
    expect(fetch.tokens()).toEqual([first, second]);
    expect(c.token()).toBe(second);
    await c.checkAuthToken();
    expect(route(fetch.calls)).toEqual(["code", "login", "code", "login", "check"]);
    expect(bearer(fetch.calls[4]!)).toBe(`Bearer ${second}`);
  });

  it("direct getAuthCode / getAuthTokenUseCode calls send only their own credentials and leave the cached token alone", async () => {
    const fetch = arctos();
    const c = make(fetch);
    const issued = await c.getAuthCode({ body: { user_id: "other", role: "PUBLISHER" } });
    expect(issued).toEqual({ status: 1, message: "", info: { code: fetch.codes()[0] } });
    const granted = await c.getAuthTokenUseCode({ body: { grant_type: "authorization_code", client_id: "arctos-client", code: issued.info.code } });
    expect(granted.info).toEqual({ user_id: 1010000001, access_token: fetch.tokens()[0] });
    expect(route(fetch.calls)).toEqual(["code", "login"]);
    expect(fetch.calls[0]!.headers.get("arc-license-key")).toBe(licenseKey);
    expect(fetch.calls[1]!.headers.get("arc-license-key")).toBeNull();
    expect(fetch.calls.map(bearer)).toEqual([null, null]);
    expect(c.token()).toBeUndefined();
  });

  it("the methods resolve to the success envelope (its types: arctos.test-d.ts)", async () => {
    const c = make(arctos());
    const data = await c.checkAuthToken();
    expect(data).toEqual(claims);
  });

  it("the wire layer gets the same Bearer token and login", async () => {
    const fetch = arctos();
    const c = make(fetch);
    const { data, response } = await c.POST("/api/auth/check", { body: {} });
    expect(response.status).toBe(200);
    expect(data).toEqual(claims);
    expect(route(fetch.calls)).toEqual(["code", "login", "check"]);
    expect(bearer(fetch.calls[2]!)).toBe(`Bearer ${fetch.tokens()[0]}`);
  });
});

describe("createArctosClient: re-login after a dead token", () => {
  it("the spec's reauth codes are 1404 and 1405", () => {
    expect(info.reauthCodes).toEqual([1404, 1405]);
  });

  it.each(info.reauthCodes.map((code) => [code]))("after %i it logs in again once and repeats the call", async (code) => {
    const fetch = arctos({ check: (_, n) => (n === 1 ? dead(code) : undefined) });
    const c = make(fetch);
    await expect(c.checkAuthToken({ body: {} })).resolves.toEqual(claims);
    expect(route(fetch.calls)).toEqual(["code", "login", "check", "code", "login", "check"]);
    expect(fetch.calls.filter((r) => r.url.pathname === "/api/auth/check").map(bearer)).toEqual(fetch.tokens().map((t) => `Bearer ${t}`));
    expect(fetch.tokens()).toHaveLength(2);
    expect(fetch.calls[5]!.body).toBe("{}"); // the same request, body included
    await c.checkAuthToken();
    expect(route(fetch.calls)).toHaveLength(7);
    expect(bearer(fetch.calls[6]!)).toBe(`Bearer ${fetch.tokens()[1]}`);
  });

  it("a bodyless request is sent again as it is, with the new token; the first attempt went with the old one", async () => {
    const fetch = arctos({ check: (_, n) => (n === 1 ? dead(1404) : undefined) });
    const c = make(fetch);
    await expect(c.checkAuthToken()).resolves.toEqual(claims);
    expect(fetch.calls[2]!.body).toBe("");
    expect(route(fetch.calls)).toEqual(["code", "login", "check", "code", "login", "check"]);
    expect(fetch.tokens()).toHaveLength(2);
    expect(fetch.calls.filter((r) => r.url.pathname === "/api/auth/check").map(bearer)).toEqual(fetch.tokens().map((t) => `Bearer ${t}`));
  });

  it("never loops: a second 1404 after the re-login surfaces as ProviderError", async () => {
    const fetch = arctos({ check: () => dead(1404) });
    const c = make(fetch);
    const err = await caught(() => c.checkAuthToken());
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ provider: "arctos", operation: "checkAuthToken", status: 401, code: 1404 });
    expect(err.message).toContain("令牌已過期");
    expect(route(fetch.calls)).toEqual(["code", "login", "check", "code", "login", "check"]);
    // The next call gets its own single re-login, no more.
    await caught(() => c.checkAuthToken());
    expect(route(fetch.calls).slice(6)).toEqual(["check", "code", "login", "check"]);
  });

  it("does not log in again for other token errors (1403)", async () => {
    const fetch = arctos({ check: () => json({ status: 1403, message: "未經授權" }, 401) });
    const err = await caught(() => make(fetch).checkAuthToken());
    expect(err).toMatchObject({ name: "ProviderError", status: 401, code: 1403, message: expect.stringContaining("未經授權") });
    expect(route(fetch.calls)).toEqual(["code", "login", "check"]);
  });

  it("re-logs in on a dead-token code inside an HTTP 200 envelope too", async () => {
    const fetch = arctos({ check: (_, n) => (n === 1 ? json({ status: 1405, message: "令牌無效" }) : undefined) });
    await expect(make(fetch).checkAuthToken()).resolves.toEqual(claims);
    expect(route(fetch.calls)).toEqual(["code", "login", "check", "code", "login", "check"]);
  });

  it("reads a status sent as a numeric string (the document's tables type it string)", async () => {
    const fetch = arctos({ check: (_, n) => (n === 1 ? json({ status: "1404", message: "令牌已過期" }, 401) : undefined) });
    await expect(make(fetch).checkAuthToken()).resolves.toEqual(claims);
    expect(route(fetch.calls)).toEqual(["code", "login", "check", "code", "login", "check"]);
  });

  it("does not log in again for a body that carries 1404 anywhere but in status", async () => {
    const fetch = arctos({ check: () => json({ status: 0, message: "未授權訪問", code: 1404 }) });
    const err = await caught(() => make(fetch).checkAuthToken());
    expect(err).toMatchObject({ name: "ProviderError", status: 200, code: 0 });
    expect(route(fetch.calls)).toEqual(["code", "login", "check"]);
  });

  it("concurrent calls rejected for the same token share one re-login", async () => {
    const fetch = arctos({ check: (req) => (bearer(req) === `Bearer ${fetch.tokens()[0]}` ? dead(1404) : undefined) });
    const c = make(fetch);
    await Promise.all(Array.from({ length: 5 }, () => c.checkAuthToken()));
    const r = route(fetch.calls);
    expect(r.filter((x) => x === "code")).toHaveLength(2);
    expect(r.filter((x) => x === "login")).toHaveLength(2);
    expect(r.filter((x) => x === "check")).toHaveLength(10);
  });

  it("a rejection that arrives after another call already logged in again reuses that new token", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fetch = arctos({
      check: async (req, n) => {
        if (bearer(req) !== `Bearer ${fetch.tokens()[0]}`) return undefined;
        if (n === 2) await gate; // the second call's rejection comes late
        return dead(1404);
      },
    });
    const c = make(fetch);
    await c.login();
    const first = c.checkAuthToken();
    const second = c.checkAuthToken();
    await first;
    release();
    await second;
    expect(route(fetch.calls)).toEqual(["code", "login", "check", "check", "code", "login", "check", "check"]);
    expect(fetch.calls.slice(6).map(bearer)).toEqual(Array(2).fill(`Bearer ${fetch.tokens()[1]}`));
  });

  it("a failed re-login surfaces as that operation's ProviderError, without another attempt", async () => {
    const fetch = arctos({
      check: () => dead(1404),
      code: (_, n) => (n === 2 ? json({ status: 3404, message: "許可已過期" }, 403) : undefined),
    });
    const err = await caught(() => make(fetch).checkAuthToken());
    expect(err).toMatchObject({ name: "ProviderError", operation: "getAuthCode", status: 403, code: 3404 });
    expect(route(fetch.calls)).toEqual(["code", "login", "check", "code"]);
  });

  it.each(["text", "arrayBuffer", "blob", "stream"])("reads the dead-token code from a body the caller asked for with parseAs %s, and repeats the call", async (parseAs) => {
    const fetch = arctos({ check: (_, n) => (n === 1 ? json({ status: 1404, message: "令牌已過期" }) : undefined) });
    const body = await make(fetch).checkAuthToken({ parseAs } as never);
    expect(JSON.parse(await new Response(body as unknown as BodyInit).text())).toEqual(claims);
    expect(route(fetch.calls)).toEqual(["code", "login", "check", "code", "login", "check"]);
  });

  it("a caller's abort during the re-login ends the call as aborted, and the call is not sent again", async () => {
    const controller = new AbortController();
    const fetch = arctos({
      check: (_, n) => (n === 1 ? dead(1404) : undefined),
      code: (_, n) => {
        if (n === 2) controller.abort(new Error("user left"));
        return undefined;
      },
    });
    const err = await caught(() => make(fetch).checkAuthToken({ signal: controller.signal }));
    expect(err).toMatchObject({ name: "TransportError", reason: "aborted", operation: "checkAuthToken" });
    expect(route(fetch.calls).filter((r) => r === "check")).toHaveLength(1);
  });

  it("the repeat after a re-login does not go out on the signal of an attempt that timed out before it", async () => {
    const inner = arctos({ check: (_, n) => (n === 1 ? dead(1404) : undefined) }); // the checks that get past the hang
    let checks = 0;
    // Like every fetch: an aborted signal fails at once; the first check hangs until its timeout aborts it.
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const signal = init?.signal ?? (input as Request).signal;
      if (signal?.aborted) throw new DOMException("This operation was aborted", "AbortError");
      if (new URL(input instanceof Request ? input.url : String(input)).pathname === "/api/auth/check" && ++checks === 1) {
        return new Promise<Response>((_, reject) => signal!.addEventListener("abort", () => reject(signal!.reason), { once: true }));
      }
      return inner(input, init);
    }) as typeof globalThis.fetch;
    const events: string[] = [];
    const c = createArctosClient({ licenseKey, baseUrl, clientId: "arctos-webapp", user, fetch, timeoutMs: 400, retry: { maxRetries: 1, baseDelayMs: 1, random: () => 0 }, logger: (e) => void (e.type === "error" && events.push(e.error)) });
    await expect(c.checkAuthToken()).resolves.toEqual(claims);
    expect(checks).toBe(3); // timed out, 1404, then the repeat with the new token, which went out
    expect(events).toEqual(["TransportError: arctos.checkAuthToken: no complete answer within 400 ms"]);
  });

  it("the repeat after a re-login keeps the call's overall deadline (deadlineMs covers the whole call)", async () => {
    const slow = async () => void (await new Promise((resolve) => setTimeout(resolve, 700)));
    // The first login is already done; the re-login's two requests take 700 ms each, within their own deadlines
    // but past the checkAuthToken call's 1000 ms, so its repeat is never sent.
    let relogin = false;
    const fetch = arctos({
      check: (_, n) => {
        if (n === 2) relogin = true;
        return n === 2 ? dead(1404) : undefined;
      },
      code: async () => (relogin ? (await slow(), undefined) : undefined),
      login: async () => (relogin ? (await slow(), undefined) : undefined),
    });
    const c = make(fetch, { deadlineMs: 1000 });
    await c.checkAuthToken();
    const err = await caught(() => c.checkAuthToken());
    expect(err).toMatchObject({ name: "TransportError", reason: "deadline", operation: "checkAuthToken", message: "arctos.checkAuthToken: the overall deadline of 1000 ms passed" });
    expect(route(fetch.calls)).toEqual(["code", "login", "check", "check", "code", "login"]);
  });

  it("logs in again only for an operation that carried a token: a 1404 to the code exchange is its own failure", async () => {
    const fetch = arctos({ login: (_, n) => (n === 1 ? dead(1404) : undefined) });
    const c = make(fetch);
    const err = await caught(() => c.getAuthTokenUseCode({ body: { grant_type: "authorization_code", client_id: "arctos-client", code: "c1" } }));
    expect(err).toMatchObject({ name: "ProviderError", operation: "getAuthTokenUseCode", code: 1404 });
    expect(route(fetch.calls)).toEqual(["login"]);
  });

  it("reads the dead-token code from an answer the app's own middleware made (not read by the transport)", async () => {
    for (const [status, parseAs] of [[401, "json"], [200, "text"]] as const) {
      const fetch = arctos();
      const c = make(fetch);
      let replaced = 0;
      c.use({
        onResponse: ({ request }) =>
          new URL(request.url).pathname === "/api/auth/check" && replaced++ === 0
            ? new Response(JSON.stringify({ status: 1404, message: "令牌已過期" }), { status, headers: { "content-type": "application/json" } })
            : undefined,
      });
      const body = await c.checkAuthToken({ parseAs } as never);
      expect([status, typeof body === "string" ? JSON.parse(body) : body]).toEqual([status, claims]);
      expect(route(fetch.calls)).toEqual(["code", "login", "check", "code", "login", "check"]);
    }
  });

  it("the wire layer adds no Bearer token (and logs in for none) to an operation without bearer security", async () => {
    const fetch = arctos();
    const c = make(fetch);
    const issued = await c.getAuthCode({ body: user });
    await c.POST("/api/auth/login", { body: { grant_type: "authorization_code", client_id: "arctos-webapp", code: issued.info.code } });
    expect(route(fetch.calls)).toEqual(["code", "login"]);
    expect(fetch.calls.map(bearer)).toEqual([null, null]);
  });

  it("the wire layer re-logs in too, and resolves to the repeated call's answer", async () => {
    const fetch = arctos({ check: (_, n) => (n === 1 ? dead(1404) : undefined) });
    const { data, response } = await make(fetch).POST("/api/auth/check", {});
    expect(response.status).toBe(200);
    expect(data).toEqual(claims);
    expect(route(fetch.calls)).toEqual(["code", "login", "check", "code", "login", "check"]);
  });

  it("a call aborted before it starts leaves the login it would have waited for handled, even when that fails", async () => {
    const unhandled: unknown[] = [];
    const note = (reason: unknown) => void unhandled.push(reason);
    process.on("unhandledRejection", note);
    try {
      const c = createArctosClient({ baseUrl, clientId: "arctos-webapp", getCode: async () => Promise.reject(new Error("no code today")), fetch: arctos() });
      const err = await caught(() => c.checkAuthToken({ signal: AbortSignal.abort() }));
      expect(err).toMatchObject({ name: "TransportError", reason: "aborted" });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", note);
    }
  });

  it("the wire layer reads the dead-token code from an answer an app middleware made (not the transport's)", async () => {
    const fetch = arctos();
    const c = make(fetch);
    let replaced = 0;
    // Runs before the re-login middleware on the way back: its Response has no bytes kept by the transport.
    c.use({ onResponse: ({ request, response }) => (new URL(request.url).pathname === "/api/auth/check" && replaced++ === 0 ? dead(1404) : response) });
    const { data, response } = await c.POST("/api/auth/check", {});
    expect([response.status, data]).toEqual([200, claims]);
    expect(route(fetch.calls)).toEqual(["code", "login", "check", "code", "login", "check"]);
  });
});

describe("createArctosClient: answers", () => {
  it("status 2 (warning) resolves to the body, whose message says why", async () => {
    const warning = { ...claims, status: 2, message: "License expires in 3 days" };
    const fetch = arctos({ check: () => json(warning) });
    await expect(make(fetch).checkAuthToken()).resolves.toEqual(warning);
  });

  it("status 0 on HTTP 200 without a specific code is ProviderError with code 0 and the body's message", async () => {
    const fetch = arctos({ code: () => json({ status: 0, message: "未授權訪問" }) });
    const err = await caught(() => make(fetch).checkAuthToken());
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ operation: "getAuthCode", status: 200, code: 0 });
    expect(err.message).toBe("arctos.getAuthCode: 未授權訪問 (HTTP 200, code 0)");
  });

  it.each([
    [1401, 401],
    [1403, 401],
    [3401, 403],
    [3406, 403],
  ])("a failure with status %i (HTTP %i) is ProviderError with that code", async (code, http) => {
    const fetch = arctos({ check: () => json({ status: code, message: "" }, http) });
    const err = await caught(() => make(fetch).checkAuthToken());
    expect(err).toMatchObject({ name: "ProviderError", status: http, code });
    expect(err.message).toContain(info.errorMessages[String(code) as keyof typeof info.errorMessages]);
  });

  it("an empty message is replaced by the code's meaning from the spec", async () => {
    const fetch = arctos({ check: () => json({ status: 3405, message: "" }, 403) });
    const err = await caught(() => make(fetch).checkAuthToken());
    expect(err).toMatchObject({ status: 403, code: 3405 });
    expect(err.message).toContain("許可房間超出限制");
  });

  it.each([
    ["a body that is no envelope", () => new Response("<html>nope</html>", { status: 404, headers: { "content-type": "text/html" } }), 404, "資源未找到"],
    ["status 0", () => json({ status: 0, message: "" }, 404), 404, "資源未找到"],
    ["status 0 on 403", () => json({ status: 0, message: "" }, 403), 403, "不允許訪問請求的資源"],
  ])("an error status without a specific code (%s) uses the HTTP status as the code", async (_, answer, http, meaning) => {
    const fetch = arctos({ check: answer });
    const err = await caught(() => make(fetch).checkAuthToken());
    expect(err).toMatchObject({ name: "ProviderError", status: http, code: http });
    expect(err.message).toContain(meaning);
  });

  it("a login answer without the promised code or token is a TransportError", async () => {
    const fetch = arctos({ login: () => json({ status: 2, message: "odd", info: {} }) });
    const err = await caught(() => make(fetch).checkAuthToken());
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ operation: "getAuthTokenUseCode", reason: "invalid-body" });
  });
});

describe("createArctosClient: secrets", () => {
  /** The license key and every code and token the fake issued. */
  const secrets = (fetch: ReturnType<typeof arctos>) => [licenseKey, ...fetch.codes(), ...fetch.tokens()];

  it("keeps the license key, codes and tokens out of a ProviderError that echoes them", async () => {
    const fetch = arctos({ check: (req) => json({ status: 1403, message: `no: ${bearer(req)} ${licenseKey} ${fetch.codes()[0]}`, info: { echo: bearer(req) } }, 401) });
    const err = await caught(() => make(fetch).checkAuthToken());
    expect(err).toBeInstanceOf(ProviderError);
    expect(secrets(fetch)).toHaveLength(3);
    expectNoSecrets(err, secrets(fetch));
  });

  it("keeps them out of a failed re-login and of a TransportError", async () => {
    const relogin = arctos({ check: () => dead(1404), code: (_, n) => (n === 2 ? json({ status: 3401, message: `bad key ${licenseKey}` }, 403) : undefined) });
    expectNoSecrets(await caught(() => make(relogin).checkAuthToken()), secrets(relogin));
    const broken = arctos({
      check: (req) => {
        throw new TypeError(`socket closed after sending ${bearer(req)}`);
      },
    });
    const err = await caught(() => make(broken).checkAuthToken());
    expect(err).toMatchObject({ name: "TransportError", reason: "network" });
    expectNoSecrets(err, secrets(broken));
  });

  it("keeps them out of the debug log", async () => {
    const events: unknown[] = [];
    const fetch = arctos();
    await make(fetch, { logger: (e) => events.push(e) }).checkAuthToken();
    expect(events).toHaveLength(6);
    const text = JSON.stringify(events);
    expect(secrets(fetch)).toHaveLength(3);
    for (const s of secrets(fetch)) expect(text).not.toContain(s);
  });
});

describe("createArctosClient: options and input", () => {
  const valid = { licenseKey, baseUrl, clientId: "arctos-webapp", user } as const;
  it.each([
    ["baseUrl", { ...valid, baseUrl: undefined }],
    ["baseUrl", { ...valid, baseUrl: "" }],
    ["licenseKey", { ...valid, licenseKey: undefined }],
    ["licenseKey", { ...valid, licenseKey: " " }],
    ["clientId", { ...valid, clientId: undefined }],
    ["user", { ...valid, user: undefined }],
    ["user", { ...valid, user: "USER-1" }],
  ])("refuses a missing or empty %s with ConfigError", (option, opts) => {
    let err: unknown;
    try {
      createArctosClient(opts as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ option });
    expect(String(err)).toContain(option);
    expectNoSecrets(err, [licenseKey]);
  });

  it.each([
    ["a role outside the enum", { user: { user_id: "u1", role: "GUEST" } }, "getAuthCode", "body.role", "enum"],
    ["a user without user_id", { user: { role: "PUBLISHER" } }, "getAuthCode", "body.user_id", "required"],
    ["a clientId outside the enum", { clientId: "webapp_user" }, "getAuthTokenUseCode", "body.client_id", "enum"],
  ])("the automatic login refuses %s with ValidationError before any request", async (_, extra, operation, path, rule) => {
    const fetch = arctos();
    const err = await caught(() => make(fetch, extra as never).checkAuthToken());
    expect(err).toBeInstanceOf(ValidationError);
    expect(err).toMatchObject({ operation, issues: [expect.objectContaining({ path, rule })] });
    expect(fetch.calls).toHaveLength(0);
  });

  it("direct calls with input outside the spec throw ValidationError before any request", async () => {
    const fetch = arctos();
    const c = make(fetch);
    const code = await caught(() => c.getAuthCode({ body: { user_id: 1, role: "GUEST" } as never }));
    expect(code).toBeInstanceOf(ValidationError);
    expect(code.issues.map((i: { path: string; rule: string }) => `${i.path}:${i.rule}`)).toEqual(["body.user_id:type", "body.role:enum"]);
    const token = await caught(() => c.getAuthTokenUseCode({ body: { grant_type: "authorization_code", client_id: "webapp_user" as never } as never }));
    expect(token.issues.map((i: { path: string; rule: string }) => `${i.path}:${i.rule}`)).toEqual(["body.code:required", "body.client_id:enum"]);
    expect(fetch.calls).toHaveLength(0);
  });

  it("sends what the document allows: any user_id, grant_type and redirect_uri string, and any checkAuthToken body object", async () => {
    const fetch = arctos();
    const c = make(fetch, { user: { user_id: "", role: "PUBLISHER" }, redirectUri: "back home" });
    await c.checkAuthToken({ body: { extra: 1 } as never });
    expect(JSON.parse(fetch.calls[0]!.body)).toEqual({ user_id: "", role: "PUBLISHER" });
    expect(JSON.parse(fetch.calls[1]!.body)).toMatchObject({ redirect_uri: "back home" });
    expect(JSON.parse(fetch.calls[2]!.body)).toEqual({ extra: 1 });
    // Sent as given; Arctos (its fake) then answers that no such code was issued: status 0, not a ValidationError.
    const err = await caught(() => c.getAuthTokenUseCode({ body: { grant_type: "password", client_id: "arctos-client", code: "" } }));
    expect(err).toMatchObject({ name: "ProviderError", status: 200, code: 0 });
    expect(JSON.parse(fetch.calls[3]!.body)).toEqual({ grant_type: "password", client_id: "arctos-client", code: "" });
  });
});

describe("createArctosClient: reading the envelope", () => {
  it("a 200 body without status is a success, not a failure", async () => {
    const body = { info: { client_id: "arctos-webapp", user_id: 1, role: "MODERATOR" } };
    const fetch = arctos({ check: () => json(body) });
    await expect(make(fetch).checkAuthToken()).resolves.toEqual(body);
  });

  it.each([[[1404]], [true], ["+1404"], ["1404.0"], ["0x57C"], ["1.404e3"]])(
    "a status that is no integer or plain decimal text (%j) is no status: a 200 succeeds, with no re-login",
    async (status) => {
      const fetch = arctos({ check: () => json({ status, message: "" }) });
      await expect(make(fetch).checkAuthToken()).resolves.toEqual({ status, message: "" });
      expect(route(fetch.calls)).toEqual(["code", "login", "check"]);
    },
  );

  it("HTTP 400 is an error status: code 400 when the body has no specific code, even with status 1", async () => {
    for (const body of [{ status: 0, message: "" }, { status: 1, message: "" }, null]) {
      const fetch = arctos({ check: () => json(body, 400) });
      const err = await caught(() => make(fetch).checkAuthToken());
      expect(err).toMatchObject({ name: "ProviderError", status: 400, code: 400 });
    }
  });

  it("an error answer with no message of its own and a code the spec gives no meaning is worded by the HTTP status", async () => {
    const fetch = arctos({ check: () => json(null, 500) });
    const err = await caught(() => make(fetch).checkAuthToken());
    expect(err).toMatchObject({ name: "ProviderError", status: 500, code: 500 });
    expect(err.message).toBe("arctos.checkAuthToken: HTTP 500 (HTTP 500, code 500)");
  });

  it("the body's own message is used trimmed, over the code's meaning", async () => {
    const fetch = arctos({ code: () => json({ status: 0, message: "  license revoked \n" }) });
    const err = await caught(() => make(fetch).checkAuthToken());
    expect(err.message).toBe("arctos.getAuthCode: license revoked (HTTP 200, code 0)");
  });
});

describe("createArctosClient: login answers without what the spec promises", () => {
  it.each([
    ["getAuthCode", "info.code", { code: () => json({ status: 1, message: "" }) }],
    ["getAuthCode", "info.code", { code: () => json({ status: 1, message: "", info: { code: 12345 } }) }],
    ["getAuthTokenUseCode", "info.access_token", { login: () => json({ status: 1, message: "" }) }],
    ["getAuthTokenUseCode", "info.access_token", { login: () => json({ status: 1, message: "", info: { access_token: "" } }) }],
  ] as const)("%s without a usable %s is a TransportError saying so, and the call is not sent", async (operation, field, over) => {
    const fetch = arctos(over);
    const err = await caught(() => make(fetch).checkAuthToken());
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ operation, reason: "invalid-body" });
    expect(err.message).toContain(`the success body has no ${field}`);
    expect(route(fetch.calls)).not.toContain("check");
  });
});

describe("createArctosClient: the session's place in the store", () => {
  /** A memory store that reports the keys it is asked to write. */
  function recordingStore() {
    const store = createMemoryStore();
    const keys: string[] = [];
    const recording: Store & { keys: string[] } = {
      name: store.name,
      keys,
      set: (key, value, o) => {
        keys.push(key);
        return store.set(key, value, o);
      },
      get: store.get,
      withLock: store.withLock,
    };
    return recording;
  }

  it("is arctos:<clientId>:<user_id>:session by default, or storeKey", async () => {
    const store = recordingStore();
    await make(arctos(), { store }).checkAuthToken();
    expect(new Set(store.keys)).toEqual(new Set(["arctos:arctos-webapp:USER-12345678:session"]));
    const own = recordingStore();
    await make(arctos(), { store: own, storeKey: "my-session" }).checkAuthToken();
    expect(new Set(own.keys)).toEqual(new Set(["my-session"]));
  });

  it("is arctos:<clientId>:getCode:session for a client made with getCode", async () => {
    const store = recordingStore();
    const fetch = arctos();
    const fake = fetch.fake;
    const getCode = async () => {
      const res = await fake.fetch(`${baseUrl}/api/auth/code`, { method: "POST", headers: { "content-type": "application/json", "arc-license-key": licenseKey }, body: JSON.stringify(user) });
      return (await res.json()).info.code as string;
    };
    await createArctosClient({ getCode, baseUrl, clientId: "arctos-client", fetch, retry: false, store }).checkAuthToken();
    expect(new Set(store.keys)).toEqual(new Set(["arctos:arctos-client:getCode:session"]));
  });
});

describe("createArctosClient: the wire layer outside the spec", () => {
  it("a path the spec does not list gets no Bearer and no login", async () => {
    const fetch = arctos();
    const { response } = await make(fetch).GET("/api/other" as never, {} as never);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(route(fetch.calls)).toEqual(["/api/other"]);
    expect(bearer(fetch.calls[0]!)).toBeNull();
  });
});
