// The Polyv fake: appId, the 3-minute timestamp and the signature (MD5 and SHA256) as Polyv checks them, the
// per-IP budget and its 5-minute block, custom-field values and channel secretKeys as state, and the custom
// authorization callback played end to end against an app that uses verifyPolyvCustomAuth.
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, ProviderError } from "../../src/index.js";
import { createPolyvClient, signPolyvParams, verifyPolyvCustomAuth } from "../../src/polyv/index.js";
import { createFakePolyv, type FakePolyv } from "../../src/testing/index.js";
import { caught } from "../helpers/secrets.js";
import { expectAnswersValid } from "../helpers/spec-answers.js";

const appId = "pv-app-7";
const appSecret = "pv-secret-7";
const userId = "pv-user-7";
const V4 = "https://api.polyv.net/live/v4/user/custom-field/viewer-value/save";
const V2 = `https://api.polyv.net/live/v2/channelSetting/${userId}/oauth-custom`;
const rows = [{ viewerId: "v1", customFieldId: "PAY_ORDER", customFieldValue: "paid" }];

const fakes: FakePolyv[] = [];
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function setup(options: Partial<Parameters<typeof createFakePolyv>[0]> = {}, client: Partial<Parameters<typeof createPolyvClient>[0]> = {}) {
  const fake = createFakePolyv({ appId, appSecret, userId, ...options });
  fakes.push(fake);
  const make = (extra: Partial<Parameters<typeof createPolyvClient>[0]> = {}) =>
    createPolyvClient({ appId, appSecret, userId, fetch: fake.fetch, rateLimit: false, retry: false, now: fake.now, ...client, ...extra });
  return { fake, client: make(), make };
}

/** A signed v4 request made by hand. */
function v4(fake: FakePolyv, params: Record<string, string>, body: unknown = rows) {
  const url = new URL(V4);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return fake.fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });
}
const signed = (fake: FakePolyv, extra: Record<string, string> = {}, secret = appSecret, method: "MD5" | "SHA256" = "MD5") => {
  const params = { appId, timestamp: String(fake.now()), ...extra };
  return { ...params, sign: signPolyvParams(params, secret, method) };
};

describe("Polyv fake: signed requests", () => {
  it("a wrong appSecret is `invalid signature.`; an unknown appId is `application not found.` (20001)", async () => {
    const { fake, make } = setup();
    const wrongSecret = await caught(() => make({ appSecret: "other" }).saveViewerCustomFieldValues({ body: rows }));
    expect(wrongSecret).toMatchObject({ name: "ProviderError", status: 400, message: expect.stringContaining("invalid signature.") });
    const wrongApp = await caught(() => make({ appId: "other" }).saveViewerCustomFieldValues({ body: rows }));
    expect(wrongApp).toMatchObject({ status: 400, code: 20001, message: expect.stringContaining("application not found.") });
    const v2 = await caught(() => make({ appSecret: "other" }).updateChannelOauthCustom({ body: { customUri: "https://app.example.com/auth" } }));
    expect(v2).toMatchObject({ status: 400, code: 400, message: expect.stringContaining("invalid signature.") });
    expect(fake.viewerValues("v1")).toEqual({});
    expectAnswersValid("polyv", fake.requests);
  });

  it("a timestamp older than 3 minutes (by the fake's clock) is `invalid timestamp.`", async () => {
    const { fake, make } = setup();
    const ownClock = make({ now: Date.now });
    await ownClock.saveViewerCustomFieldValues({ body: rows });
    fake.advance(3 * 60_000 + 1_000);
    const stale = await caught(() => ownClock.saveViewerCustomFieldValues({ body: rows }));
    expect(stale).toMatchObject({ status: 400, message: expect.stringContaining("invalid timestamp.") });
    // A client on the fake's clock is in step again.
    await expect(make().saveViewerCustomFieldValues({ body: rows })).resolves.toMatchObject({ code: 200 });
  });

  it("a timestamp 3 minutes ahead, or not 13 digits, is `invalid timestamp.` too", async () => {
    const { fake } = setup();
    const ahead = await v4(fake, signed(fake, { timestamp: String(fake.now() + 3 * 60_000 + 1_000) }));
    expect(await ahead.json()).toMatchObject({ code: 400, error: { desc: "invalid timestamp." } });
    const short = await v4(fake, signed(fake, { timestamp: "1700000000" }));
    expect(await short.json()).toMatchObject({ code: 400, error: { desc: "invalid timestamp." } });
    expectAnswersValid("polyv", fake.requests);
  });

  it("SHA256: accepted whether or not signatureMethod is part of the signed string (unconfirmed); an MD5 sign with SHA256 is not", async () => {
    const { fake } = setup();
    const base = { appId, timestamp: String(fake.now()) };
    const withMethod = { ...base, signatureMethod: "SHA256" };
    const a = await v4(fake, { ...withMethod, sign: signPolyvParams(withMethod, appSecret, "SHA256") });
    const b = await v4(fake, { ...withMethod, sign: signPolyvParams(base, appSecret, "SHA256") });
    const c = await v4(fake, { ...withMethod, sign: signPolyvParams(base, appSecret, "MD5") });
    const lower = await v4(fake, { ...base, sign: signPolyvParams(base, appSecret).toLowerCase() });
    expect([a.status, b.status, c.status, lower.status]).toEqual([200, 200, 400, 400]);
    expect((await c.json()).error.desc).toBe("invalid signature.");
  });

  it("v2 signs every parameter: changing customUri after signing is `invalid signature.`", async () => {
    const { fake } = setup();
    const params = { appId, timestamp: String(fake.now()), customUri: "https://app.example.com/auth" };
    const form = new URLSearchParams({ ...params, sign: signPolyvParams(params, appSecret), customUri: "https://evil.example.com/auth" });
    const res = await fake.fetch(V2, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: 400, status: "error", message: "invalid signature.", data: "" });
    expect(fake.channel("2191532")!.customUri).toBeUndefined();
  });

  it("v2 failures can be answered under HTTP 200, as Polyv may (the client still throws)", async () => {
    const { fake, make } = setup({ v2FailuresWithHttp200: true });
    const err = await caught(() => make({ appSecret: "other" }).updateChannelOauthCustom({ body: { customUri: "https://app.example.com/auth" } }));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ status: 200, code: 400 });
    expectAnswersValid("polyv", fake.requests);
  });
});

describe("Polyv fake: the per-IP budget", () => {
  it("over the limit within the interval: `qps exceeds number of calls`, then blocked for 5 minutes", async () => {
    const { fake, client } = setup({ rateLimit: { limit: 5, intervalMs: 1_000 } });
    for (let i = 0; i < 5; i++) await client.saveViewerCustomFieldValues({ body: rows });
    const over = await caught(() => client.saveViewerCustomFieldValues({ body: rows }));
    expect(over).toMatchObject({ name: "ProviderError", status: 429, message: expect.stringContaining("qps exceeds number of calls") });
    expect(fake.blockedUntil()).toBe(fake.requests.at(-1)!.at + 5 * 60_000);
    // Blocked: the window passing is not enough, and every Polyv path answers the same.
    fake.advance(1_000);
    expect(await caught(() => client.updateChannelOauthCustom({ body: { customUri: "https://app.example.com/a" } }))).toMatchObject({ status: 429 });
    fake.advance(5 * 60_000);
    expect(fake.blockedUntil()).toBeUndefined();
    await expect(client.saveViewerCustomFieldValues({ body: rows })).resolves.toMatchObject({ code: 200 });
    expectAnswersValid("polyv", fake.requests);
  });

  it("the window slides: requests spread over time stay under the limit", async () => {
    const { fake, client } = setup({ rateLimit: { limit: 3, intervalMs: 1_000 } });
    for (let i = 0; i < 9; i++) {
      await client.saveViewerCustomFieldValues({ body: rows });
      fake.advance(400);
    }
    expect(fake.blockedUntil()).toBeUndefined();
  });

  it("the client's own limiter keeps it under the fake's budget", async () => {
    const { fake, make } = setup({ rateLimit: { limit: 4, intervalMs: 200 } }, { now: Date.now });
    const client = make({ rateLimit: { limit: 4, intervalMs: 250 } });
    await Promise.all(Array.from({ length: 10 }, () => client.saveViewerCustomFieldValues({ body: rows })));
    expect(fake.count("saveViewerCustomFieldValues")).toBe(10);
    expect(fake.blockedUntil()).toBeUndefined();
  });

  it("the budget is per client IP (listen(): 127.0.0.2 is not blocked by 127.0.0.1)", async () => {
    const { fake } = setup({ rateLimit: { limit: 1, intervalMs: 60_000 } });
    const url = new URL(await fake.listen());
    const post = (localAddress: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: url.hostname, port: url.port, path: "/live/v4/user/custom-field/viewer-value/save", method: "POST", localAddress }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode!));
        });
        req.on("error", reject);
        req.end("[]");
      });
    expect(await post("127.0.0.1")).toBe(400); // unsigned, but counted
    expect(await post("127.0.0.1")).toBe(429);
    expect(await post("127.0.0.2")).toBe(400);
    expect(fake.blockedUntil("127.0.0.1")).toBeDefined();
    expect(fake.blockedUntil("127.0.0.2")).toBeUndefined();
    expect(fake.requests.map((r) => r.ip)).toEqual(["127.0.0.1", "127.0.0.1", "127.0.0.2"]);
  });
});

describe("Polyv fake: state", () => {
  it("custom-field values are kept per viewer and field; a later save overwrites", async () => {
    const { fake, client } = setup();
    await client.saveViewerCustomFieldValues({
      body: [
        { viewerId: "v1", customFieldId: "PAY_ORDER", customFieldValue: "未支付" },
        { viewerId: "v1", customFieldId: "LEVEL", customFieldValue: "gold" },
        { viewerId: "v2", customFieldId: "PAY_ORDER", customFieldValue: "未支付" },
      ],
    });
    await client.saveViewerCustomFieldValues({ body: [{ viewerId: "v1", customFieldId: "PAY_ORDER", customFieldValue: "已支付" }] });
    expect(fake.viewerValues("v1")).toEqual({ PAY_ORDER: "已支付", LEVEL: "gold" });
    expect(fake.viewerValues("v2")).toEqual({ PAY_ORDER: "未支付" });
  });

  it("one secretKey per channel, kept across calls; channelId absent, empty or 0 means every channel", async () => {
    const { fake, client } = setup({ channels: [100, "200"] });
    const first = await client.updateChannelOauthCustom({ body: { customUri: "https://app.example.com/a", channelId: 100 } });
    expect(first.data).toEqual([{ channelId: 100, secretKey: expect.stringMatching(/^[a-z0-9]{10}$/) }]);
    for (const channelId of [undefined, "", 0]) {
      const all = await client.updateChannelOauthCustom({ body: { customUri: "https://app.example.com/b", channelId } });
      expect(all.data).toEqual([
        { channelId: 100, secretKey: (first.data as { secretKey: string }[])[0]!.secretKey },
        { channelId: 200, secretKey: fake.channel(200)!.secretKey },
      ]);
    }
    expect(fake.channels.map((c) => c.customUri)).toEqual(["https://app.example.com/b", "https://app.example.com/b"]);
  });

  it("a channel not on the account, or another account's userId, is `access forbidden` (500, status fail; an assumption)", async () => {
    const { fake, client } = setup();
    expect(await caught(() => client.updateChannelOauthCustom({ body: { customUri: "https://app.example.com/a", channelId: "999" } }))).toMatchObject({ status: 500, message: expect.stringContaining("access forbidden") });
    expect(await caught(() => client.updateChannelOauthCustom({ params: { path: { userId: "someone-else" } }, body: { customUri: "https://app.example.com/a" } }))).toMatchObject({ status: 500 });
    fake.addChannel(999);
    await expect(client.updateChannelOauthCustom({ body: { customUri: "https://app.example.com/a", channelId: "999" } })).resolves.toMatchObject({ code: 200 });
    expectAnswersValid("polyv", fake.requests);
  });
});

describe("Polyv fake: bad input", () => {
  it.each([
    ["a body that is not JSON", "[{"],
    ["an object instead of an array", { viewerId: "v1" }],
    ["an item whose viewerId is a number", [{ viewerId: 1, customFieldId: "F", customFieldValue: "x" }]],
    ["an item that is a string", ["v1"]],
  ])("v4 with %s: 400 in the v4 envelope, nothing saved", async (_what, body) => {
    const { fake } = setup();
    const res = await v4(fake, signed(fake), body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 400, status: "error", success: false, error: { desc: expect.stringMatching(/^invalid parameter/) } });
    expect(fake.viewerValues("v1")).toEqual({});
    expectAnswersValid("polyv", fake.requests);
  });

  it("v4 items may leave fields out or carry others (the document requires none): accepted, the complete ones saved", async () => {
    const { fake } = setup();
    const res = await v4(fake, signed(fake), [{ customFieldId: "F", customFieldValue: "x" }, { viewerId: "v1", customFieldId: "F", customFieldValue: "y", note: 1 }]);
    expect(res.status).toBe(200);
    expect(fake.viewerValues("v1")).toEqual({ F: "y" });
    expectAnswersValid("polyv", fake.requests);
  });

  it.each([
    ["no sign", (p: Record<string, string>) => ({ appId: p.appId!, timestamp: p.timestamp! }), "invalid signature."],
    ["no timestamp", (p: Record<string, string>) => ({ appId: p.appId!, sign: p.sign! }), "invalid timestamp."],
    ["no appId", (p: Record<string, string>) => ({ timestamp: p.timestamp!, sign: p.sign! }), "application not found."],
    ["an unknown signatureMethod", (p: Record<string, string>) => ({ ...p, signatureMethod: "SHA1" }), "invalid signature."],
  ])("v4 with %s → %s", async (_what, edit, desc) => {
    const { fake } = setup();
    const res = await v4(fake, edit(signed(fake)));
    expect(await res.json()).toMatchObject({ code: 400, error: { desc } });
  });

  it("v2 with a customUri carrying a query string, or none at all: 400 naming the field", async () => {
    const { fake } = setup();
    for (const customUri of ["https://app.example.com/a?x=1", undefined]) {
      const params = signed(fake, customUri === undefined ? {} : { customUri });
      const res = await fake.fetch(V2, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(params) });
      expect(res.status).toBe(400);
      expect((await res.json()).message).toMatch(/^invalid parameter: customUri/);
    }
    expectAnswersValid("polyv", fake.requests);
  });

  it("another path or method: 404", async () => {
    const { fake } = setup();
    expect((await fake.fetch("https://api.polyv.net/live/v3/nothing")).status).toBe(404);
    expect((await fake.fetch(V4)).status).toBe(404);
  });
});

describe("Polyv fake: simulateViewerVisit, end to end", () => {
  /** The app: its custom-authorization endpoint, checking the visit with the secretKey it saved. */
  function app(secretKeys: Map<string, string>) {
    return async (input: RequestInfo | URL): Promise<Response> => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const q = Object.fromEntries(url.searchParams);
      const secretKey = secretKeys.get(q.id!);
      if (!secretKey || !verifyPolyvCustomAuth({ secretKey, id: q.id!, ts: q.ts!, sign: q.sign! })) return new Response("forbidden", { status: 403 });
      return new Response(null, { status: 302, headers: { location: q.url! } });
    };
  }

  async function configured() {
    const { fake, client } = setup();
    const res = await client.updateChannelOauthCustom({ body: { customUri: "https://app.example.com/polyv/auth", channelId: "2191532" } });
    const secretKeys = new Map((res.data as { channelId: number; secretKey: string }[]).map((c) => [String(c.channelId), c.secretKey]));
    return { fake, secretKeys };
  }

  it("a genuine visit passes verifyPolyvCustomAuth; a forged or stale one does not", async () => {
    const { fake, secretKeys } = await configured();
    const fetch = app(secretKeys) as typeof globalThis.fetch;
    const before = fake.now();
    const visit = await fake.simulateViewerVisit({ channelId: 2191532, fetch });
    expect(Number(visit.params.ts)).toBeGreaterThanOrEqual(before);
    expect(Number(visit.params.ts)).toBeLessThanOrEqual(fake.now());
    expect(visit.response.status).toBe(302);
    expect(visit.response.headers.get("location")).toBe("https://live.polyv.cn/watch/2191532");
    expect(visit.url.startsWith("https://app.example.com/polyv/auth?")).toBe(true);
    expect(visit.params).toMatchObject({ id: "2191532", ts: expect.stringMatching(/^\d{13}$/), sign: expect.stringMatching(/^[0-9a-f]{32}$/) });

    expect((await fake.simulateViewerVisit({ channelId: "2191532", fetch, secretKey: "not-the-key" })).response.status).toBe(403);
    expect((await fake.simulateViewerVisit({ channelId: "2191532", fetch, ts: fake.now() - 4 * 60_000 })).response.status).toBe(403);
  });

  it("over HTTP: Polyv's GET reaches the app's own server with id, ts, sign and url", async () => {
    const { fake, secretKeys } = await configured();
    const seen: string[] = [];
    const handler = app(secretKeys);
    const server = createServer(async (req, res) => {
      seen.push(req.url!);
      const answer = await handler(`http://127.0.0.1${req.url}`);
      res.writeHead(answer.status, Object.fromEntries(answer.headers)).end(await answer.text());
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const customUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/polyv/auth`;
    const visit = await fake.simulateViewerVisit({ channelId: 2191532, customUri, returnUrl: "https://watch.example.com/back" });
    expect(visit.response.status).toBe(302);
    expect(visit.response.headers.get("location")).toBe("https://watch.example.com/back");
    expect(seen).toHaveLength(1);
    expect(Object.keys(Object.fromEntries(new URL(seen[0]!, "http://x").searchParams)).sort()).toEqual(["id", "sign", "ts", "url"]);
  });

  it("a channel without custom authorization, or unknown, is a ConfigError", async () => {
    const { fake } = setup();
    expect(await caught(() => fake.simulateViewerVisit({ channelId: 2191532 }))).toBeInstanceOf(ConfigError);
    expect(await caught(() => fake.simulateViewerVisit({ channelId: 1 }))).toBeInstanceOf(ConfigError);
  });
});
