// The Arctos fake: the license key buys a single-use code valid ten minutes, the code buys a Bearer token that
// expires; token errors 1401/1402/1404/1405 and license errors 34xx in the document's shape; sessions per user.
import { describe, expect, it } from "vitest";
import { createArctosClient, type ArctosLicenseKeyOptions } from "../../src/arctos/index.js";
import { ProviderError } from "../../src/index.js";
import { createFakeArctos, type FakeArctos } from "../../src/testing/index.js";
import { caught } from "../helpers/secrets.js";
import { expectAnswersValid } from "../helpers/spec-answers.js";

const licenseKey = "arc-license-9";
const baseUrl = "https://arctos.example.test";
const user = { user_id: "USER-9", name: "Ann", role: "MODERATOR" } as const;

function setup(options: Partial<Parameters<typeof createFakeArctos>[0]> = {}) {
  const fake = createFakeArctos({ licenseKey, ...options });
  const make = (extra: Partial<ArctosLicenseKeyOptions> = {}) =>
    createArctosClient({ licenseKey, baseUrl, clientId: "arctos-webapp", user, fetch: fake.fetch, retry: false, ...extra });
  return { fake, client: make(), make };
}

const ops = (fake: FakeArctos) => fake.requests.map((r) => `${r.operationId}:${r.answer?.status}`);
const check = (fake: FakeArctos, authorization?: string) =>
  fake.fetch(`${baseUrl}/api/auth/check`, { method: "POST", headers: { "content-type": "application/json", ...(authorization === undefined ? {} : { authorization }) }, body: "{}" });

describe("Arctos fake: codes", () => {
  it("a code is single-use: the second exchange is status 0 (unauthorized access)", async () => {
    const { fake, client } = setup();
    const { info } = await client.getAuthCode({ body: user });
    await client.getAuthTokenUseCode({ body: { grant_type: "authorization_code", client_id: "arctos-client", code: info.code } });
    const again = await caught(() => client.getAuthTokenUseCode({ body: { grant_type: "authorization_code", client_id: "arctos-client", code: info.code } }));
    expect(again).toBeInstanceOf(ProviderError);
    expect(again).toMatchObject({ status: 200, code: 0 });
    expectAnswersValid("arctos", fake.requests);
  });

  it("a code expires ten minutes after it was issued", async () => {
    const { fake, client } = setup({ now: () => 1_700_000_000_000 }); // a clock that only advance() moves
    const early = (await client.getAuthCode({ body: user })).info.code;
    const late = (await client.getAuthCode({ body: user })).info.code;
    fake.advance(10 * 60_000 - 1);
    await expect(client.getAuthTokenUseCode({ body: { grant_type: "authorization_code", client_id: "arctos-webapp", code: early } })).resolves.toMatchObject({ status: 1 });
    fake.advance(1);
    expect(await caught(() => client.getAuthTokenUseCode({ body: { grant_type: "authorization_code", client_id: "arctos-webapp", code: late } }))).toMatchObject({ code: 0 });
  });

  it("a wrong license key is status 0; a license error is HTTP 403 with its code", async () => {
    const { fake, make } = setup();
    expect(await caught(() => make({ licenseKey: "other" }).checkAuthToken())).toMatchObject({ status: 200, code: 0, operation: "getAuthCode" });
    fake.setLicenseError(3404);
    expect(await caught(() => make().checkAuthToken())).toMatchObject({ status: 403, code: 3404, operation: "getAuthCode" });
    fake.setLicenseError(undefined);
    await expect(make().checkAuthToken()).resolves.toMatchObject({ status: 1 });
    expectAnswersValid("arctos", fake.requests);
  });
});

describe("Arctos fake: tokens", () => {
  it("an expired token answers 1404 and the client logs in again, once", async () => {
    const { fake, client } = setup({ tokenTtlMs: 60_000 });
    await client.checkAuthToken();
    const first = client.token();
    fake.advance(60_000);
    await expect(client.checkAuthToken()).resolves.toMatchObject({ status: 1 });
    expect(client.token()).not.toBe(first);
    expect(ops(fake)).toEqual([
      "getAuthCode:200",
      "getAuthTokenUseCode:200",
      "checkAuthToken:200",
      "checkAuthToken:401",
      "getAuthCode:200",
      "getAuthTokenUseCode:200",
      "checkAuthToken:200",
    ]);
    expect(JSON.parse(fake.requests[3]!.answer!.body)).toMatchObject({ message: expect.any(String) });
    expect(fake.sessions("USER-9").map((s) => s.state)).toEqual(["expired", "valid"]);
    expectAnswersValid("arctos", fake.requests);
  });

  it.each([
    ["expireToken", 1404],
    ["invalidateToken", 1405],
  ] as const)("%s: the token answers %s, and the client's one re-login recovers", async (control, code) => {
    const { fake, client } = setup();
    await client.checkAuthToken();
    fake[control](client.token()!);
    const raw = await check(fake, `Bearer ${fake.sessions()[0]!.accessToken}`);
    expect(raw.status).toBe(401);
    expect(await raw.json()).toEqual({ status: code, message: expect.any(String) });
    await expect(client.checkAuthToken()).resolves.toMatchObject({ status: 1 });
    expect(fake.count("getAuthCode")).toBe(2);
    expect(fake.count("getAuthTokenUseCode")).toBe(2);
  });

  it("a second rejection after the re-login surfaces as a ProviderError (no loop)", async () => {
    const { fake, client } = setup();
    await client.checkAuthToken();
    fake.inject("checkAuthToken", { status: 401, body: { status: 1404, message: "令牌已過期" } }, { times: 2 });
    const err = await caught(() => client.checkAuthToken());
    expect(err).toMatchObject({ name: "ProviderError", status: 401, code: 1404 });
    expect(fake.count("getAuthCode")).toBe(2);
    expect(fake.count("checkAuthToken")).toBe(3);
  });

  it("no Authorization is 1401, another scheme 1402, an unknown token 1405", async () => {
    const { fake } = setup();
    const codes = [];
    for (const header of [undefined, "Basic abc", "Bearer not-a-token"]) {
      const res = await check(fake, header);
      expect(res.status).toBe(401);
      codes.push((await res.json()).status);
    }
    expect(codes).toEqual([1401, 1402, 1405]);
    expectAnswersValid("arctos", fake.requests);
  });

  it("sessions per user; a user without a name gets a random one, and keeps its numeric ID", async () => {
    const { fake, make } = setup();
    const ann = make();
    const bob = make({ user: { user_id: "USER-10", role: "PUBLISHER" }, clientId: "arctos-client" });
    const a = await ann.checkAuthToken();
    const b = await bob.checkAuthToken();
    await ann.login();
    expect(a.info).toMatchObject({ role: "MODERATOR", client_id: "arctos-webapp" });
    expect(b.info).toMatchObject({ role: "PUBLISHER", client_id: "arctos-client" });
    expect(a.info.user_id).not.toBe(b.info.user_id);
    expect(fake.sessions("USER-9")).toHaveLength(2);
    expect(fake.sessions("USER-9").map((s) => s.ihhUserId)).toEqual([a.info.user_id, a.info.user_id]);
    expect(fake.sessions("USER-10")).toHaveLength(1);
    expect(fake.sessions()).toHaveLength(3);
  });
});

describe("Arctos fake: bad input", () => {
  it("bodies the spec refuses are 403 (an assumption); another path is 404 (documented); all in the envelope", async () => {
    const { fake } = setup();
    const post = (path: string, body: string, headers: Record<string, string> = {}) =>
      fake.fetch(`${baseUrl}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    const answers = await Promise.all([
      post("/api/auth/code", JSON.stringify({ user_id: "u" }), { "arc-license-key": licenseKey }),
      post("/api/auth/code", "not json", { "arc-license-key": licenseKey }),
      post("/api/auth/code", JSON.stringify({ user_id: "u", role: "KING" }), { "arc-license-key": licenseKey }),
      post("/api/auth/login", JSON.stringify({ grant_type: "authorization_code", client_id: "browser", code: "x" })),
      post("/api/auth/login", "[]"),
      post("/api/auth/nothing", "{}"),
      fake.fetch(`${baseUrl}/api/auth/code`),
    ]);
    expect(answers.map((a) => a.status)).toEqual([403, 403, 403, 403, 403, 404, 404]);
    for (const a of answers) expect(await a.json()).toEqual({ status: 0, message: expect.any(String) });
    expect(fake.sessions()).toEqual([]);
    expectAnswersValid("arctos", fake.requests);
  });
});
