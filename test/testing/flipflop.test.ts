// The FlipFlop fake: Basic credentials as FlipFlop checks them, members and stream keys as state, the login body's
// documented error codes, and bad requests answered as documented — through the client where it can send them,
// through raw fetch where the client would refuse to.
import { describe, expect, it } from "vitest";
import { createFlipFlopClient } from "../../src/flipflop/index.js";
import { ProviderError } from "../../src/index.js";
import { createFakeFlipFlop } from "../../src/testing/index.js";
import { caught } from "../helpers/secrets.js";
import { expectAnswersValid } from "../helpers/spec-answers.js";

const apiKey = "ff-key-1";
const apiSecret = "ff-secret-1";
const BASE = "https://api.flipflop.cloud";
const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`;

function setup(extra: Parameters<typeof createFakeFlipFlop>[0] extends infer O ? Partial<O> : never = {}) {
  const fake = createFakeFlipFlop({ apiKey, apiSecret, ...extra });
  const client = createFlipFlopClient({ apiKey, apiSecret, fetch: fake.fetch, retry: false });
  const raw = (path: string, init: RequestInit = {}) =>
    fake.fetch(`${BASE}${path}`, { ...init, headers: { authorization: basic(apiKey, apiSecret), "content-type": "application/json", ...(init.headers as object) } });
  return { fake, client, raw };
}

describe("FlipFlop fake: credentials", () => {
  it.each([
    ["no Authorization header", undefined, "EMPTY_APP_CREDENTIALS"],
    ["an empty header", "", "EMPTY_APP_CREDENTIALS"],
    ["Basic with nothing after it", "Basic ", "EMPTY_APP_CREDENTIALS"],
    ["a wrong secret", basic(apiKey, "nope"), "INVALID_APP_CREDENTIALS"],
    ["a wrong key", basic("other", apiSecret), "INVALID_APP_CREDENTIALS"],
    ["a Bearer token", "Bearer abc", "INVALID_APP_CREDENTIALS"],
    ["base64 that is not", "Basic !!!", "INVALID_APP_CREDENTIALS"],
    ["no colon", `Basic ${btoa("keysecret")}`, "INVALID_APP_CREDENTIALS"],
  ])("%s → 401 %s", async (_what, header, errorCode) => {
    const { fake } = setup();
    const res = await fake.fetch(`${BASE}/v2/apps/me/members/login`, {
      method: "POST",
      headers: header === undefined ? { "content-type": "application/json" } : { authorization: header, "content-type": "application/json" },
      body: JSON.stringify({ appUserId: "m1" }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ errorCode, errorMessage: expect.any(String) });
    expect(fake.members.size).toBe(0);
    expectAnswersValid("flipflop", fake.requests);
  });

  it("the client with the wrong secret gets ProviderError 401 INVALID_APP_CREDENTIALS", async () => {
    const fake = createFakeFlipFlop({ apiKey, apiSecret });
    const client = createFlipFlopClient({ apiKey, apiSecret: "wrong-secret", fetch: fake.fetch });
    expect(await caught(() => client.loginMember({ body: { appUserId: "m1" } }))).toMatchObject({ name: "ProviderError", status: 401, code: "INVALID_APP_CREDENTIALS" });
  });
});

describe("FlipFlop fake: members and stream keys", () => {
  it("a login creates the member once; later logins update its profile and issue new tokens", async () => {
    const { fake, client } = setup();
    const first = await client.loginMember({ body: { appUserId: "m1", appUserName: "Ann", customData: { plan: "free" } } });
    const second = await client.loginMember({ body: { appUserId: "m1", customData: { plan: "gold" } } });
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.streamingToken).not.toBe(first.streamingToken);
    expect(fake.member("m1")).toMatchObject({ appUserName: "Ann", customData: { plan: "gold" }, accessToken: second.accessToken, logins: 2 });
    expect(fake.members.size).toBe(1);
  });

  it("appUserId is case-sensitive: m1 and M1 are two members", async () => {
    const { fake, client } = setup();
    await client.loginMember({ body: { appUserId: "m1" } });
    await client.loginMember({ body: { appUserId: "M1" } });
    expect([...fake.members.keys()].sort()).toEqual(["M1", "m1"]);
  });

  it("deleteMembers removes every listed member, and deleting a missing one still answers 204", async () => {
    const { fake, client } = setup({ members: ["a1", "b2", "c3"] });
    await client.deleteMembers({ params: { path: { appUserIds: ["a1", "c3", "zz9"] } } });
    expect([...fake.members.keys()]).toEqual(["b2"]);
    await expect(client.deleteMembers({ params: { path: { appUserIds: ["a1"] } } })).resolves.toBeUndefined();
  });

  it("force-terminate: MEMBER_NOT_FOUND, STREAM_KEY_NOT_FOUND, a no-op 204 when not ingesting", async () => {
    const { fake, client } = setup({ members: ["m1"] });
    const terminate = (appUserId: string) => client.forceTerminateMemberStreamKey({ params: { path: { appUserId } } });
    expect(await caught(() => terminate("ghost"))).toMatchObject({ status: 404, code: "MEMBER_NOT_FOUND" });
    const key = fake.member("m1")!.streamKey;
    await expect(terminate("m1")).resolves.toBeUndefined();
    expect(fake.member("m1")!.streamKey).toEqual(key); // nothing happened
    fake.dropStreamKey("m1");
    expect(await caught(() => terminate("m1"))).toMatchObject({ status: 404, code: "STREAM_KEY_NOT_FOUND" });
    expectAnswersValid("flipflop", fake.requests);
  });

  it("force-terminate of an ingesting key: INACTIVE, reissued, REQUEST_LOCKED on an immediate duplicate, free again later", async () => {
    const { fake, client } = setup({ members: ["m1"], terminateLockMs: 2_000 });
    const terminate = () => client.forceTerminateMemberStreamKey({ params: { path: { appUserId: "m1" } } });
    fake.startIngest("m1");
    const before = fake.member("m1")!.streamKey!.streamKey;
    await terminate();
    const after = fake.member("m1")!.streamKey!;
    expect(after.streamKeyState).toBe("INACTIVE");
    expect(after.ingesting).toBe(false);
    expect(after.streamKey).not.toBe(before);

    const duplicate = await caught(terminate);
    expect(duplicate).toBeInstanceOf(ProviderError);
    expect(duplicate).toMatchObject({ status: 400, code: "REQUEST_LOCKED" });
    expect(fake.member("m1")!.streamKey).toEqual(after); // the duplicate changed nothing

    fake.advance(2_000);
    fake.startIngest("m1");
    await terminate();
    expect(fake.member("m1")!.streamKey!.streamKey).not.toBe(after.streamKey);
    expect(fake.count("forceTerminateMemberStreamKey")).toBe(3);
    expectAnswersValid("flipflop", fake.requests);
  });

  it("the access token expires 24 hours after the login (documented)", async () => {
    const { fake, client } = setup();
    await client.loginMember({ body: { appUserId: "m1" } });
    expect(fake.member("m1")!.accessTokenExpiresAt! - fake.now()).toBeLessThanOrEqual(24 * 3_600_000);
    expect(fake.member("m1")!.accessTokenExpiresAt! - fake.now()).toBeGreaterThan(24 * 3_600_000 - 1_000);
  });

  it("controls refuse members the fake does not have", () => {
    const { fake } = setup();
    expect(() => fake.startIngest("nobody")).toThrow(/appUserId/);
    expect(() => fake.dropStreamKey("nobody")).toThrow(/appUserId/);
  });
});

describe("FlipFlop fake: bad input, as documented", () => {
  const login = (raw: ReturnType<typeof setup>["raw"], body: unknown) =>
    raw("/v2/apps/me/members/login", { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });

  it.each([
    ["appUserId missing", {}, "EMPTY_APP_USER_ID"],
    ["appUserId empty", { appUserId: "" }, "EMPTY_APP_USER_ID"],
    ["appUserId with a dash", { appUserId: "user-1" }, "INVALID_APP_USER_ID_FORMAT"],
    ["customType of 51 characters", { appUserId: "u1", customType: "x".repeat(51) }, "CUSTOM_TYPE_SIZE_UPPER_LIMIT_EXCEEDED"],
    ["11 customData items", { appUserId: "u1", customData: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, "v"])) }, "CUSTOM_DATA_ITEM_COUNT_UPPER_LIMIT_EXCEEDED"],
    ["a customData name of 51 characters", { appUserId: "u1", customData: { ["n".repeat(51)]: "v" } }, "CUSTOM_DATA_ITEM_NAME_SIZE_UPPER_LIMIT_EXCEEDED"],
    ["a customData value of 51 characters", { appUserId: "u1", customData: { k: "v".repeat(51) } }, "CUSTOM_DATA_ITEM_VALUE_SIZE_UPPER_LIMIT_EXCEEDED"],
    ["a body that is not JSON", "{appUserId:", "INVALID_HTTP_MESSAGE_BODY"],
    ["a JSON array", [], "INVALID_HTTP_MESSAGE_BODY"],
    ["appUserId a number", { appUserId: 42 }, "INVALID_HTTP_MESSAGE_BODY"],
    ["customData a string", { appUserId: "u1", customData: "x" }, "INVALID_HTTP_MESSAGE_BODY"],
  ])("%s → 400 %s", async (_what, body, errorCode) => {
    const { fake, raw } = setup();
    const res = await login(raw, body);
    expect(res.status).toBe(400);
    expect((await res.json()).errorCode).toBe(errorCode);
    expect(fake.members.size).toBe(0);
    expectAnswersValid("flipflop", fake.requests);
  });

  it("an empty appUserId takes precedence over the other errors (the document's table order)", async () => {
    const { raw } = setup();
    const res = await login(raw, { appUserId: "", customType: "x".repeat(60) });
    expect((await res.json()).errorCode).toBe("EMPTY_APP_USER_ID");
  });

  it("another method on an API path is 400 UNSUPPORTED_HTTP_METHOD; another path is 404", async () => {
    const { fake, raw } = setup();
    const wrong = await raw("/v2/apps/me/members/login", { method: "GET" });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).errorCode).toBe("UNSUPPORTED_HTTP_METHOD");
    expect((await raw("/v2/apps/me/nothing", { method: "GET" })).status).toBe(404);
    expect(fake.requests.map((r) => r.operationId)).toEqual([undefined, undefined]);
  });

  it("deleteMembers with an appUserId the spec refuses is 400 (assumption); force-terminate of one is MEMBER_NOT_FOUND", async () => {
    const { fake, raw } = setup({ members: ["m1"] });
    const del = await raw("/v2/apps/me/members/m1,bad-id", { method: "DELETE" });
    expect(del.status).toBe(400);
    expect((await del.json()).errorCode).toBe("INVALID_HTTP_MESSAGE_BODY");
    expect(fake.member("m1")).toBeDefined(); // nothing was deleted
    const term = await raw(`/v2/apps/me/members/${encodeURIComponent("a b")}/stream-key/force-terminate`, { method: "POST" });
    expect(term.status).toBe(404);
    expect((await term.json()).errorCode).toBe("MEMBER_NOT_FOUND");
    expectAnswersValid("flipflop", fake.requests);
  });
});
