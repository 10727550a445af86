// Arctos with `getCode` (the browser client: the license key stays on the app's server, which hands out one-time
// codes): the code comes from getCode for the first login and for every re-login after a dead token, the license
// key is never asked for or sent, and the options take exactly one of licenseKey and getCode.
import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { createArctosClient } from "../../src/arctos/index.js";
import { ConfigError, ProviderError, TransportError } from "../../src/index.js";
import { json, recordingFetch, type Recorded } from "../helpers/fetch.js";
import { responseExamples } from "../helpers/spec.js";
import { createFakeArctos, type FakeArctos } from "../../src/testing/index.js";
import { caught, expectNoSecrets } from "../helpers/secrets.js";

const baseUrl = "https://arctos.example.test";
const licenseKey = "arc-license-on-the-app-server";
const appUser = { user_id: "USER-12345678", role: "MODERATOR" } as const;
// What the fake answers checkAuthToken for `appUser` (the first user of a fake gets ihh ID 1010000001).
const claims = { status: 1, message: "", info: { client_id: "arctos-webapp", user_id: 1010000001, role: "MODERATOR" } };
// The spec's own documented "token expired" answer (whatever shape the spec gives it).
const expired = responseExamples("arctos").find((e) => e.operationId === "checkAuthToken" && e.status === 401 && JSON.stringify(e.value).includes("1404"))!;

/** Arctos as its fake (streamspec/testing) answers it, through a recording fetch; `check` may script its own answer. */
function arctos(check?: (req: Recorded) => Response | undefined) {
  const fake = createFakeArctos({ licenseKey });
  const fetch = recordingFetch(async (req) => {
    const own = req.url.pathname === "/api/auth/check" ? check?.(req) : undefined;
    return own ?? fake.fetch(req.url, { method: req.method, headers: req.headers, ...(req.body ? { body: req.body } : {}) });
  });
  return Object.assign(fetch, { fake, tokens: () => fake.sessions().map((s) => s.accessToken) });
}

/**
 * getCode as an app would write it: its server buys one fresh code from Arctos with the license key (here straight
 * from the fake, not through the client's fetch), counted.
 */
function codes(fake: FakeArctos) {
  const issued: string[] = [];
  const getCode = async () => {
    const res = await fake.fetch(`${baseUrl}/api/auth/code`, {
      method: "POST",
      headers: { "content-type": "application/json", "arc-license-key": licenseKey },
      body: JSON.stringify(appUser),
    });
    const code: string = (await res.json()).info.code;
    issued.push(code);
    return code;
  };
  return Object.assign(getCode, { issued });
}

/** A promise that stays pending until `release()`: a login held open while the test aborts a call. */
function gate() {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  return { held, release };
}

const make = (fetch: typeof globalThis.fetch, getCode: () => Promise<string>) =>
  createArctosClient({ getCode, baseUrl, clientId: "arctos-webapp", fetch, retry: false });
const paths = (calls: Recorded[]) => calls.map((r) => r.url.pathname);

describe("createArctosClient with getCode", () => {
  it("a caller's abort ends the call at once while getCode is still pending; the shared login goes on for the next call", async () => {
    const fetch = arctos();
    const getCode = codes(fetch.fake);
    const { held, release } = gate();
    const c = make(fetch, async () => (await held, getCode()));
    const controller = new AbortController();
    const call = caught(() => c.checkAuthToken({ signal: controller.signal }));
    controller.abort(new Error("user left"));
    const err = await call;
    expect(err).toMatchObject({ name: "TransportError", reason: "aborted", operation: "checkAuthToken", message: "arctos.checkAuthToken: the request was aborted" });
    expect(fetch.calls).toHaveLength(0);
    release();
    await expect(c.checkAuthToken()).resolves.toEqual(claims);
    expect(paths(fetch.calls)).toEqual(["/api/auth/login", "/api/auth/check"]); // one login, made for the first call
  });

  it("a signal aborted before the call ends it at once, without waiting for the login it started", async () => {
    const fetch = arctos();
    const getCode = codes(fetch.fake);
    const { held, release } = gate();
    const c = make(fetch, async () => (await held, getCode()));
    const err = await caught(() => c.checkAuthToken({ signal: AbortSignal.abort(new Error("too late")) }));
    expect(err).toMatchObject({ name: "TransportError", reason: "aborted", operation: "checkAuthToken" });
    expect(fetch.calls).toHaveLength(0);
    release();
  });

  it("leaves no abort listener on a long-lived signal once calls that waited for a login settle", async () => {
    const fetch = arctos();
    const c = make(fetch, codes(fetch.fake));
    const signal = new AbortController().signal;
    await Promise.all([c.checkAuthToken({ signal }), c.checkAuthToken({ signal })]);
    await c.checkAuthToken({ signal });
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
  });

  it("a caller's abort ends the call at once while the re-login after 1404 is pending", async () => {
    let checks = 0;
    const fetch = arctos(() => (++checks === 1 ? json({ status: 1404, message: "令牌已過期" }, 401) : undefined));
    const getCode = codes(fetch.fake);
    let calls = 0;
    const { held, release } = gate();
    const controller = new AbortController();
    const c = make(fetch, async () => {
      if (++calls === 2) {
        controller.abort(new Error("user left"));
        await held;
      }
      return getCode();
    });
    const err = await caught(() => c.checkAuthToken({ signal: controller.signal }));
    expect(err).toMatchObject({ name: "TransportError", reason: "aborted", operation: "checkAuthToken" });
    expect(checks).toBe(1);
    release();
  });

  it("logs in with the code getCode gives: no getAuthCode request, no license key header, the code in the login body", async () => {
    const fetch = arctos();
    const getCode = codes(fetch.fake);
    const c = make(fetch, getCode);
    await expect(c.checkAuthToken()).resolves.toEqual(claims);
    expect(paths(fetch.calls)).toEqual(["/api/auth/login", "/api/auth/check"]);
    expect(getCode.issued).toHaveLength(1);
    expect(JSON.parse(fetch.calls[0]!.body)).toEqual({ grant_type: "authorization_code", client_id: "arctos-webapp", code: getCode.issued[0] });
    for (const r of fetch.calls) expect(r.headers.has("arc-license-key")).toBe(false);
    expect(fetch.calls[1]!.headers.get("authorization")).toBe(`Bearer ${fetch.tokens()[0]}`);
  });

  it("the spec documents the 1404 answer this relies on", () => {
    expect(expired).toBeDefined();
  });

  it("calls getCode again for the re-login after a dead token (1404), and repeats the call once", async () => {
    const fetch = arctos((req) => (req.headers.get("authorization") === `Bearer ${fetch.tokens()[0]}` ? json(expired.value, expired.status) : undefined));
    const getCode = codes(fetch.fake);
    const c = make(fetch, getCode);
    await expect(c.checkAuthToken()).resolves.toEqual(claims);
    expect(paths(fetch.calls)).toEqual(["/api/auth/login", "/api/auth/check", "/api/auth/login", "/api/auth/check"]);
    expect(getCode.issued).toHaveLength(2);
    expect(JSON.parse(fetch.calls[2]!.body).code).toBe(getCode.issued[1]);
    expect(fetch.calls[3]!.headers.get("authorization")).toBe(`Bearer ${fetch.tokens()[1]}`);
  });

  it("concurrent first calls share one getCode and one login", async () => {
    const fetch = arctos();
    const getCode = codes(fetch.fake);
    const c = make(fetch, getCode);
    await Promise.all([c.checkAuthToken(), c.checkAuthToken(), c.checkAuthToken()]);
    expect(getCode.issued).toHaveLength(1);
    expect(paths(fetch.calls).filter((p) => p === "/api/auth/login")).toHaveLength(1);
  });

  it("a getCode that rejects fails the call with TransportError (cause kept), and nothing is sent", async () => {
    const fetch = arctos();
    const c = make(fetch, async () => {
      throw new Error("the app server is down");
    });
    const err = await caught(() => c.checkAuthToken());
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ provider: "arctos", operation: "getAuthCode", reason: "network" });
    expect(err.message).toContain("getCode() failed, so there is no code to log in with");
    expect(err.cause?.message).toContain("the app server is down");
    expect(fetch.calls).toEqual([]);
  });

  it.each([[""], [12345], [undefined]])("a getCode that resolves to no code (%j) is a ConfigError naming getCode, and nothing is sent", async (value) => {
    const fetch = arctos();
    const err = await caught(() => make(fetch, async () => value as string).checkAuthToken());
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ option: "getCode", message: "arctos: option `getCode` must resolve to a one-time code (a non-empty string)" });
    expect(fetch.calls).toEqual([]);
  });

  it("a streamspec error from getCode (the app server's own Arctos call failing) surfaces as it is", async () => {
    const fetch = arctos();
    const own = new ProviderError({ provider: "arctos", operation: "getAuthCode", status: 403, code: 3401, message: "license expired" });
    const err = await caught(() => make(fetch, async () => Promise.reject(own)).checkAuthToken());
    expect(err).toBe(own);
    expect(fetch.calls).toEqual([]);
  });

  it("getAuthCode itself needs the license key: ConfigError naming licenseKey before anything is sent", async () => {
    const fetch = arctos();
    const c = make(fetch, codes(fetch.fake));
    const err = await caught(() => c.getAuthCode({ body: { user_id: "USER-1", role: "MODERATOR" } }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({
      option: "licenseKey",
      message: "arctos: option `licenseKey` is required for getAuthCode: this client was made with getCode, so its codes come from your server",
    });
    expect(fetch.calls).toEqual([]);
  });

  it("the code never shows in an error", async () => {
    const fetch = recordingFetch(async (req) => json({ status: 0, message: `code ${JSON.parse(req.body).code} refused`, info: null }, 403));
    const getCode = codes(createFakeArctos({ licenseKey }));
    const err = await caught(() => make(fetch, getCode).checkAuthToken());
    expect(err).toBeInstanceOf(ProviderError);
    expect(getCode.issued).toHaveLength(1);
    expectNoSecrets(err, getCode.issued);
  });
});

describe("createArctosClient options: exactly one of licenseKey and getCode", () => {
  const base = { baseUrl, clientId: "arctos-webapp" as const };
  const user = { user_id: "USER-12345678", role: "MODERATOR" as const };
  const code = async (): Promise<string> => "c";
  const neither = "arctos: option `licenseKey` or `getCode` is required";
  it.each([
    ["licenseKey", null, neither],
    ["licenseKey", "arc-license-0123456789", neither],
    ["licenseKey", { ...base, user }, `${neither}: the license key on a server, getCode in a browser`],
    ["licenseKey", { ...base, licenseKey: "", user }, "arctos: option `licenseKey` is required and must be a non-empty string"],
    ["getCode", { ...base, licenseKey: "arc-license-0123456789", user, getCode: code }, "arctos: option `getCode` and `licenseKey` exclude each other: pass one (getCode in a browser, licenseKey on a server)"],
    ["getCode", { ...base, getCode: "code" }, "arctos: option `getCode` must be a function returning a Promise of a one-time code"],
    ["user", { ...base, getCode: code, user }, "arctos: option `user` goes with `licenseKey`: with `getCode`, your server chooses the user when it asks for the code"],
    ["user", { ...base, licenseKey: "arc-license-0123456789" }, "arctos: option `user` is required: pass { user_id, name?, role }"],
    ["user", { ...base, licenseKey: "arc-license-0123456789", user: null }, "arctos: option `user` is required: pass { user_id, name?, role }"],
  ])("refuses a bad or missing %s with a ConfigError naming it and the rule", (option, opts, message) => {
    let err: unknown;
    try {
      createArctosClient(opts as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ option, message });
  });

  it("never shows the license key in those errors", () => {
    let err: unknown;
    try {
      createArctosClient({ ...base, licenseKey: "arc-license-0123456789", getCode: code } as never);
    } catch (e) {
      err = e;
    }
    expectNoSecrets(err, ["arc-license-0123456789"]);
  });
});
