// What every fake shares: injected faults (in-process and over HTTP, through the client), the request record, the
// clock, listen()/close(), options refused with ConfigError, and random requests that never crash or hang a fake
// and always get an answer the spec allows.
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { createFlipFlopClient } from "../../src/flipflop/index.js";
import { ConfigError, ProviderError, TransportError } from "../../src/index.js";
import { createSoopClient } from "../../src/soop/index.js";
import { createFakeArctos, createFakeFlipFlop, createFakePolyv, createFakeSoop, type Fake, type RecordedRequest } from "../../src/testing/index.js";
import { caught } from "../helpers/secrets.js";
import { answerProblems, expectAnswersValid } from "../helpers/spec-answers.js";

const ff = { apiKey: "ff-key", apiSecret: "ff-secret" };
const open: Fake[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.close()));
});

async function flipflop(mode: "fetch" | "listen", extra: object = {}) {
  const fake = createFakeFlipFlop(ff);
  open.push(fake);
  const to = mode === "fetch" ? { fetch: fake.fetch } : { baseUrl: await fake.listen() };
  const client = createFlipFlopClient({ ...ff, ...to, retry: false, timeoutMs: 300, ...extra });
  return { fake, client };
}

describe.each(["fetch", "listen"] as const)("injected faults (%s)", (mode) => {
  const login = { body: { appUserId: "m1" } };

  it("{ status, body }: the client sees that answer; the fake's state is untouched; the next call is normal", async () => {
    const { fake, client } = await flipflop(mode);
    fake.inject("loginMember", { status: 503, body: { errorCode: "MAINTENANCE", errorMessage: "down" }, headers: { "retry-after": "1" } });
    expect(await caught(() => client.loginMember(login))).toMatchObject({ name: "ProviderError", status: 503, code: "MAINTENANCE" });
    expect(fake.member("m1")).toBeUndefined();
    await client.loginMember(login);
    expect(fake.member("m1")).toBeDefined();
    expect(fake.requests.map((r) => [r.fault, r.answer?.status])).toEqual([
      [{ status: 503, body: { errorCode: "MAINTENANCE", errorMessage: "down" }, headers: { "retry-after": "1" } }, 503],
      [undefined, 200],
    ]);
    expect(fake.requests[0]!.answer!.headers["retry-after"]).toBe("1");
  });

  it('"reset" is a network failure, "timeout" a timeout, "invalid-json" an invalid body', async () => {
    const { fake, client } = await flipflop(mode);
    fake.inject("loginMember", "reset");
    fake.inject("loginMember", "timeout");
    fake.inject("loginMember", "invalid-json");
    const errors = [await caught(() => client.loginMember(login)), await caught(() => client.loginMember(login)), await caught(() => client.loginMember(login))];
    expect(errors.every((e) => e instanceof TransportError)).toBe(true);
    expect(errors.map((e) => e.reason)).toEqual(["network", "timeout", "invalid-body"]);
    expect(fake.requests.map((r) => r.answer?.status)).toEqual([undefined, undefined, 200]);
    expect(fake.members.size).toBe(0);
    await expect(client.loginMember(login)).resolves.toMatchObject({ accessToken: expect.any(String) });
  });

  it("times: n requests in a row, Infinity until clearFaults(); other operations are not affected", async () => {
    const { fake, client } = await flipflop(mode);
    fake.inject("deleteMembers", { status: 500, body: { errorCode: "INTERNAL_SERVER_ERROR", errorMessage: "x" } }, { times: 2 });
    fake.inject("forceTerminateMemberStreamKey", "reset", { times: Infinity });
    await client.loginMember(login);
    const del = () => client.deleteMembers({ params: { path: { appUserIds: ["m1"] } } });
    expect(await caught(del)).toMatchObject({ status: 500 });
    expect(await caught(del)).toMatchObject({ status: 500 });
    await del();
    for (let i = 0; i < 3; i++) expect(await caught(() => client.forceTerminateMemberStreamKey({ params: { path: { appUserId: "m1" } } }))).toMatchObject({ reason: "network" });
    fake.clearFaults();
    expect(await caught(() => client.forceTerminateMemberStreamKey({ params: { path: { appUserId: "m1" } } }))).toMatchObject({ status: 404 });
  });

  it("a retry-safe operation is retried past a transient fault, and the fake counts both attempts", async () => {
    const { fake, client } = await flipflop(mode, { retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    fake.inject("deleteMembers", "reset");
    await client.deleteMembers({ params: { path: { appUserIds: ["m1"] } } });
    expect(fake.count("deleteMembers")).toBe(2);
    fake.inject("loginMember", "reset");
    expect(await caught(() => client.loginMember(login))).toMatchObject({ reason: "network" });
    expect(fake.count("loginMember")).toBe(1); // a login is never sent twice
  });
});

describe("inject: refused arguments", () => {
  it.each([
    ["an unknown operation", (f: Fake) => f.inject("nope" as never, "reset"), "operationId"],
    ["a status out of range", (f: Fake) => f.inject("loginMember", { status: 99 }), "fault"],
    ["an unknown fault", (f: Fake) => f.inject("loginMember", "explode" as never), "fault"],
    ["times 0", (f: Fake) => f.inject("loginMember", "reset", { times: 0 }), "times"],
    ["times 1.5", (f: Fake) => f.inject("loginMember", "reset", { times: 1.5 }), "times"],
  ])("%s is a ConfigError", (_what, act, option) => {
    const fake = createFakeFlipFlop(ff);
    let err: unknown;
    try {
      act(fake as Fake);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ option });
  });
});

describe("the request record and the clock", () => {
  it("keeps method, URL, path, query, lower-case headers, body, IP, the fake's time and the answer", async () => {
    const fake = createFakeSoop({ clientId: "id", clientSecret: "secret", now: () => 1_700_000_000_000 });
    const client = createSoopClient({ clientId: "id", clientSecret: "secret", fetch: fake.fetch, token: fake.grantToken(), now: fake.now });
    fake.advance(5_000);
    await client.listCategories({ params: { query: { locale: "en_US" } } });
    await client.upsertFilter({ params: { path: { type: "keyword" } }, body: { keyword: "k", reason: "r" } });
    const [list, upsert] = fake.requests as [RecordedRequest, RecordedRequest];
    expect(list).toMatchObject({
      operationId: "listCategories",
      method: "GET",
      url: "https://openapi.sooplive.co.kr/broad/category/list?locale=en_US&client_id=id",
      path: "/broad/category/list",
      query: { locale: "en_US", client_id: "id" },
      body: "",
      ip: "127.0.0.1",
      at: 1_700_000_005_000,
      fault: undefined,
    });
    expect(list.answer).toMatchObject({ status: 200, headers: { "content-type": expect.stringContaining("application/json") } });
    expect(JSON.parse(list.answer!.body).broad_category).toHaveLength(3);
    // Secrets are recorded as they came: the test owns them.
    expect(new URLSearchParams(upsert.body).get("client_secret")).toBe("secret");
    expect(upsert.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(fake.count()).toBe(2);
    expect(fake.count("upsertFilter")).toBe(1);
  });

  it("record: false keeps the counts and no requests", async () => {
    const fake = createFakeArctos({ licenseKey: "k", record: false });
    for (let i = 0; i < 3; i++) await fake.fetch("https://arctos.example/api/auth/check", { method: "POST" });
    await fake.fetch("https://arctos.example/elsewhere");
    expect(fake.requests).toEqual([]);
    expect(fake.count("checkAuthToken")).toBe(3);
    expect(fake.count()).toBe(4);
  });

  it("advance() moves now(); it refuses a negative or non-finite step", () => {
    const fake = createFakeArctos({ licenseKey: "k", now: () => 1_000 });
    fake.advance(250);
    expect(fake.now()).toBe(1_250);
    const { now } = fake; // bound: usable as a client's `now`
    expect(now()).toBe(1_250);
    for (const bad of [-1, Infinity, NaN, "5"]) expect(() => fake.advance(bad as number)).toThrow(ConfigError);
  });
});

describe("listen() and close()", () => {
  it("listen() twice gives one server; close() stops it and can be called again", async () => {
    const fake = createFakeArctos({ licenseKey: "k" });
    const [a, b] = await Promise.all([fake.listen(), fake.listen()]);
    expect(a).toBe(b);
    expect(a).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fake.url).toBe(a);
    expect((await fetch(`${a}/api/auth/nothing`, { method: "POST" })).status).toBe(404);
    await fake.close();
    expect(fake.url).toBeUndefined();
    await expect(fetch(`${a}/api/auth/check`, { method: "POST" })).rejects.toThrow();
    await fake.close();
  });

  it('close() ends a request a "timeout" fault holds, in either mode', async () => {
    const fake = createFakeFlipFlop(ff);
    const url = await fake.listen();
    fake.inject("deleteMembers", "timeout", { times: 2 });
    const init = { method: "DELETE", headers: { authorization: `Basic ${btoa("ff-key:ff-secret")}` } };
    const inProcess = fake.fetch("https://api.flipflop.cloud/v2/apps/me/members/m1", init); // no signal: only close() ends it
    const overHttp = fetch(`${url}/v2/apps/me/members/m1`, init);
    await new Promise((r) => setTimeout(r, 50));
    await fake.close();
    await expect(inProcess).rejects.toThrow(TypeError);
    await expect(overHttp).rejects.toThrow();
  });

  it("an aborted in-process request rejects with the abort reason", async () => {
    const fake = createFakeFlipFlop(ff);
    fake.inject("loginMember", "timeout");
    const controller = new AbortController();
    const pending = fake.fetch("https://api.flipflop.cloud/v2/apps/me/members/login", { method: "POST", body: "{}", signal: controller.signal });
    await new Promise((r) => setTimeout(r, 20));
    expect(fake.requests).toHaveLength(1); // it arrived, and hangs
    controller.abort(new Error("gave up"));
    await expect(pending).rejects.toThrow("gave up");
    await expect(fake.fetch("https://api.flipflop.cloud/x", { signal: controller.signal })).rejects.toThrow("gave up");
  });
});

describe("options a fake can not work with are a ConfigError naming them", () => {
  const build = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return e;
    }
    return undefined;
  };
  it.each([
    ["apiKey", () => createFakeFlipFlop({ apiSecret: "s" } as never)],
    ["apiSecret", () => createFakeFlipFlop({ apiKey: "k", apiSecret: " " })],
    ["terminateLockMs", () => createFakeFlipFlop({ ...ff, terminateLockMs: -5 })],
    ["members[1]", () => createFakeFlipFlop({ ...ff, members: ["a1", "bad id"] })],
    ["members[1]", () => createFakeFlipFlop({ ...ff, members: ["a1", { appUserId: "a1" }] })],
    ["now", () => createFakeFlipFlop({ ...ff, now: 5 as never })],
    ["record", () => createFakeFlipFlop({ ...ff, record: "no" as never })],
    ["appSecret", () => createFakePolyv({ appId: "a" } as never)],
    ["rateLimit.limit", () => createFakePolyv({ appId: "a", appSecret: "s", rateLimit: { limit: 0 } })],
    ["rateLimit.intervalMs", () => createFakePolyv({ appId: "a", appSecret: "s", rateLimit: { intervalMs: -1 } })],
    ["rateLimit.blockMs", () => createFakePolyv({ appId: "a", appSecret: "s", rateLimit: { blockMs: NaN } })],
    ["rateLimit", () => createFakePolyv({ appId: "a", appSecret: "s", rateLimit: "fast" as never })],
    ["channels", () => createFakePolyv({ appId: "a", appSecret: "s", channels: ["abc"] })],
    ["channels", () => createFakePolyv({ appId: "a", appSecret: "s", channels: [0] })],
    ["timestampWindowMs", () => createFakePolyv({ appId: "a", appSecret: "s", timestampWindowMs: 0 })],
    ["v2FailuresWithHttp200", () => createFakePolyv({ appId: "a", appSecret: "s", v2FailuresWithHttp200: "yes" as never })],
    ["clientId", () => createFakeSoop({ clientSecret: "s" } as never)],
    ["certificationNumber", () => createFakeSoop({ clientId: "i", clientSecret: "s", certificationNumber: "12345" })],
    ["accessTokenTtlSeconds", () => createFakeSoop({ clientId: "i", clientSecret: "s", accessTokenTtlSeconds: 0.5 })],
    ["redirectUri", () => createFakeSoop({ clientId: "i", clientSecret: "s", redirectUri: "callback" })],
    ["broadcasts", () => createFakeSoop({ clientId: "i", clientSecret: "s", broadcasts: -1 })],
    ["filters.keyword", () => createFakeSoop({ clientId: "i", clientSecret: "s", filters: { keyword: [{ target: "k", reason: "r", type: 3 as never }] } })],
    ["tokens[0].accessToken", () => createFakeSoop({ clientId: "i", clientSecret: "s", tokens: [{ accessToken: "" }] })],
    ["scope", () => createFakeSoop({ clientId: "i", clientSecret: "s", scope: 5 as never })],
    ["licenseKey", () => createFakeArctos({} as never)],
    ["codeTtlMs", () => createFakeArctos({ licenseKey: "k", codeTtlMs: 0 })],
    ["tokenTtlMs", () => createFakeArctos({ licenseKey: "k", tokenTtlMs: Infinity })],
    ["licenseError", () => createFakeArctos({ licenseKey: "k", licenseError: 1404 as never })],
    ["licenseRoom", () => createFakeArctos({ licenseKey: "k", licenseRoom: "4" as never })],
  ])("%s", (option, make) => {
    const err = build(make);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ option });
    expect((err as Error).message).toContain(option);
  });

  it("no options at all is a ConfigError too, not a TypeError", () => {
    for (const make of [createFakeFlipFlop, createFakePolyv, createFakeSoop, createFakeArctos]) expect(build(() => make(undefined as never))).toBeInstanceOf(ConfigError);
  });
});

describe("random requests never crash or hang a fake, and routed answers stay within the spec", () => {
  const fakes = {
    flipflop: () => createFakeFlipFlop({ ...ff, members: ["m1"] }),
    polyv: () => createFakePolyv({ appId: "a", appSecret: "s" }),
    soop: () => createFakeSoop({ clientId: "i", clientSecret: "s", broadcasts: 3 }),
    arctos: () => createFakeArctos({ licenseKey: "k" }),
  };
  const PATHS: Record<keyof typeof fakes, string[]> = {
    flipflop: ["/v2/apps/me/members/login", "/v2/apps/me/members/m1,x-y", "/v2/apps/me/members/m1/stream-key/force-terminate", "/v2/apps/me/members/%ZZ/stream-key/force-terminate"],
    polyv: ["/live/v4/user/custom-field/viewer-value/save", "/live/v2/channelSetting/u/oauth-custom"],
    soop: ["/auth/code", "/auth/token", "/broad/rtmp", "/broad/info/update", "/broad/rtmp/reset", "/broad/list", "/aqua/component/get", "/filter/streamer", "/filter/%00", "/broad/category/list", "/oembed/embedinfo", "/user/stationinfo"],
    arctos: ["/api/auth/code", "/api/auth/login", "/api/auth/check"],
  };
  const text = fc.oneof(fc.string({ maxLength: 40 }), fc.json({ maxDepth: 2 }), fc.constantFrom("", "{}", "[]", "null", "a=1&b=%", "access_token=x&client_id=i"));

  it.each(Object.keys(fakes) as (keyof typeof fakes)[])("%s", async (name) => {
    const fake = fakes[name]();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("GET", "POST", "DELETE", "PUT"),
        fc.oneof(fc.constantFrom(...PATHS[name]), fc.webPath()),
        fc.dictionary(fc.constantFrom("client_id", "access_token", "callback", "page_no", "appId", "sign", "timestamp", "x"), fc.string({ maxLength: 10 }), { maxKeys: 4 }),
        fc.record({ authorization: fc.constantFrom("", "Basic ZmYta2V5OmZmLXNlY3JldA==", "Bearer x", "Basic ???"), "arc-license-key": fc.constantFrom("", "k") }),
        text,
        fc.constantFrom("application/json", "application/x-www-form-urlencoded", "text/plain"),
        async (method, path, query, auth, body, type) => {
          const url = new URL(`https://provider.example${path.startsWith("/") ? path : `/${path}`}`);
          for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
          const headers: Record<string, string> = { "content-type": type };
          for (const [k, v] of Object.entries(auth)) if (v) headers[k] = v;
          const res = await fake.fetch(url, { method, headers, ...(method === "GET" ? {} : { body }) });
          expect(res.status).toBeGreaterThanOrEqual(200);
          expect(res.status).toBeLessThan(600);
          await res.text();
          expect(answerProblems(name, fake.requests.at(-1)!)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
    expect(fake.requests.length).toBeGreaterThanOrEqual(300);
    expect(fake.requests.some((r) => r.operationId !== undefined)).toBe(true);
  });
});

describe("the answer checker itself", () => {
  const rec = (operationId: string, status: number, body: string, headers: Record<string, string> = { "content-type": "application/json" }): RecordedRequest => ({
    operationId,
    method: "GET",
    url: "https://x/",
    path: "/",
    query: {},
    headers: {},
    body: "",
    ip: "127.0.0.1",
    at: 0,
    answer: { status, headers, body },
    fault: undefined,
  });

  it("catches a wrong type, an undeclared status, a wrong media type, a missing Location and a broken JSONP", () => {
    expect(answerProblems("soop", rec("listBroadcasts", 200, '{"total_cnt":"6","page_no":1,"broad":[]}')).join()).toMatch(/total_cnt/);
    expect(answerProblems("flipflop", rec("loginMember", 418, "{}")).join()).toMatch(/does not declare/);
    expect(answerProblems("flipflop", rec("loginMember", 200, "x", { "content-type": "text/plain" })).join()).toMatch(/not one of/);
    expect(answerProblems("soop", rec("getAuthCode", 302, "", {})).join()).toMatch(/Location/);
    expect(answerProblems("soop", rec("listBroadcasts", 200, "cb({);", { "content-type": "text/javascript" })).length).toBeGreaterThan(0);
    expect(answerProblems("flipflop", rec("deleteMembers", 204, "unexpected")).join()).toMatch(/declares none/);
    expect(answerProblems("flipflop", rec("loginMember", 200, '{"accessToken":"a","streamingToken":"b"}'))).toEqual([]);
    expect(() => expectAnswersValid("flipflop", [rec("loginMember", 200, "{}")])).toThrow();
    expect(ProviderError).toBeDefined();
  });
});
