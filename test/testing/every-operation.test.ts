// Every operation of every provider, through the real client, against its fake — once in-process (`fake.fetch`)
// and once over HTTP (`fake.listen()`). Each run checks what the call returned against the fake's state, that every
// operation of the spec was reached, and that every answer the fake gave is one the spec's response schemas allow.
import { afterEach, describe, expect, it } from "vitest";
import { createArctosClient, operations as arctosOperations } from "../../src/arctos/index.js";
import { createFlipFlopClient, operations as flipflopOperations } from "../../src/flipflop/index.js";
import { createPolyvClient, operations as polyvOperations } from "../../src/polyv/index.js";
import { createSoopClient, operations as soopOperations } from "../../src/soop/index.js";
import { createFakeArctos, createFakeFlipFlop, createFakePolyv, createFakeSoop, type Fake } from "../../src/testing/index.js";
import { expectAnswersValid } from "../helpers/spec-answers.js";

type Mode = "fetch" | "listen";
const MODES: Mode[] = ["fetch", "listen"];

const open: Fake[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.close()));
});

/** How a client reaches the fake: its fetch, or its server's URL. */
async function reach(fake: Fake, mode: Mode): Promise<{ fetch?: typeof fetch; baseUrl?: string }> {
  open.push(fake);
  return mode === "fetch" ? { fetch: fake.fetch } : { baseUrl: await fake.listen() };
}

const reached = (fake: Fake) => new Set(fake.requests.map((r) => r.operationId));

describe.each(MODES)("every operation through the client (%s)", (mode) => {
  it("FlipFlop: login creates the member, force-terminate reissues its ingesting key, delete removes it", async () => {
    const fake = createFakeFlipFlop({ apiKey: "ff-key", apiSecret: "ff-secret" });
    const client = createFlipFlopClient({ apiKey: "ff-key", apiSecret: "ff-secret", ...(await reach(fake, mode)) });

    const body = { appUserId: "1", appUserName: "foobar", email: "foo@bar.com", customType: "MEMBER", customData: { foo: "bar" } };
    const tokens = await client.loginMember({ body });
    expect(fake.member("1")).toMatchObject({ ...body, accessToken: tokens.accessToken, streamingToken: tokens.streamingToken, logins: 1 });
    expect(fake.member("1")!.accessTokenExpiresAt).toBe(fake.requests.at(-1)!.at + 24 * 3_600_000);

    fake.startIngest("1");
    const before = fake.member("1")!.streamKey!;
    await expect(client.forceTerminateMemberStreamKey({ params: { path: { appUserId: "1" } } })).resolves.toBeUndefined();
    const after = fake.member("1")!.streamKey!;
    expect(after).toMatchObject({ streamKeyState: "INACTIVE", ingesting: false });
    expect(after.streamKey).not.toBe(before.streamKey);

    await client.loginMember({ body: { appUserId: "2" } });
    await expect(client.deleteMembers({ params: { path: { appUserIds: ["1", "2"] } } })).resolves.toBeUndefined();
    expect([...fake.members.keys()]).toEqual([]);
    expect(fake.requests.find((r) => r.operationId === "deleteMembers")!.path).toBe("/v2/apps/me/members/1,2");

    expect(reached(fake)).toEqual(new Set(Object.keys(flipflopOperations)));
    expect(expectAnswersValid("flipflop", fake.requests)).toBe(fake.requests.length);
  });

  it("Polyv: signed saves land per viewer; oauth-custom answers the channels' secretKeys (MD5 and SHA256)", async () => {
    const fake = createFakePolyv({ appId: "pv-app", appSecret: "pv-secret", userId: "pv-user", channels: ["2191532", "3000001"] });
    const to = await reach(fake, mode);
    for (const signatureMethod of ["MD5", "SHA256"] as const) {
      const client = createPolyvClient({ appId: "pv-app", appSecret: "pv-secret", userId: "pv-user", signatureMethod, rateLimit: false, ...to });
      const saved = await client.saveViewerCustomFieldValues({
        body: [
          { viewerId: "viewer-1", customFieldId: "PAY_ORDER", customFieldValue: `已支付 ${signatureMethod}` },
          { viewerId: "viewer-2", customFieldId: "PAY_ORDER", customFieldValue: "未支付" },
        ],
      });
      expect(saved).toMatchObject({ code: 200, status: "success", success: true, data: null });
      expect(fake.viewerValues("viewer-1")).toEqual({ PAY_ORDER: `已支付 ${signatureMethod}` });

      const one = await client.updateChannelOauthCustom({ body: { customUri: "https://app.example.com/polyv/auth", channelId: "2191532" } });
      expect(one).toMatchObject({ code: 200, status: "success", data: [{ channelId: 2191532, secretKey: fake.channel("2191532")!.secretKey }] });
      const all = await client.updateChannelOauthCustom({ body: { customUri: "https://app.example.com/polyv/auth" } });
      expect(all.data).toEqual(fake.channels.map((c) => ({ channelId: Number(c.channelId), secretKey: c.secretKey })));
    }
    // The SHA256 requests carried signatureMethod and a 64-character sign.
    expect(fake.requests.filter((r) => r.query.signatureMethod === "SHA256" || r.body.includes("signatureMethod=SHA256"))).toHaveLength(3);
    expect(reached(fake)).toEqual(new Set(Object.keys(polyvOperations)));
    expect(expectAnswersValid("polyv", fake.requests)).toBe(fake.requests.length);
  });

  it("SOOP: codes, tokens and every broadcast, filter, category, embed and station call", async () => {
    const fake = createFakeSoop({ clientId: "soop-id", clientSecret: "soop-secret", broadcasts: 3 });
    const tokens: unknown[] = [];
    const client = createSoopClient({ clientId: "soop-id", clientSecret: "soop-secret", now: fake.now, onToken: (t) => void tokens.push(t), ...(await reach(fake, mode)) });

    // The POST code (certification number), then the browser redirect's code; each is exchanged once.
    const { code } = await client.issueAuthCode({ body: { auth_type: "api", certification_number: 111111 } });
    await client.exchangeCode(code);
    const redirect = await client.getAuthCode();
    expect(redirect.location).toBe(`https://app.example.com/soop/callback?code=${redirect.code}`);
    const token = await client.exchangeCode(redirect.code!);
    expect(tokens).toEqual([expect.objectContaining({ expiresAt: expect.any(Number) }), token]);

    const rtmp = await client.getRtmpInfo({ body: { platform_type: "SOOP" } });
    expect(rtmp.data).toMatchObject({ rtmp: expect.stringMatching(/^rtmp:/), key: fake.streamKey });
    await client.updateBroadcastInfo({ body: { title: "Late night LOL ranked", category: "00040019", waiting_time: 5, is_wait: 1 } });
    expect(fake.settings).toMatchObject({ title: "Late night LOL ranked", category: "00040019", waiting_time: 5, is_wait: 1 });
    const reset = await client.resetStreamKey();
    expect(reset.stream_key).toBe(fake.streamKey);
    expect(reset.stream_key).not.toBe(rtmp.data!.key);

    const list = await client.listBroadcasts({ params: { query: { order_type: "view_cnt" } } });
    expect(list).toMatchObject({ total_cnt: 3, page_no: 1, page_block: 60 });
    const jsonp = await client.listBroadcasts({ params: { query: { callback: "cb" } } });
    expect(jsonp.broad).toEqual(list.broad);
    const aqua = await client.getAquaComponent({ body: { platform_type: "pc", component_type: "goal" } });
    expect(aqua.data!.component_url).toMatch(/^https:\/\/aqua\.sooplive\.co\.kr\//);

    await client.upsertFilter({ params: { path: { type: "keyword" } }, body: { keyword: "토토", reason: "gambling" } });
    expect(await client.listFilters({ params: { path: { type: "keyword" } } })).toEqual({ filter_list: [{ keyword: "토토", reason: "gambling", type: 1 }] });
    await client.deleteFilter({ params: { path: { type: "keyword" } }, body: { keyword: "토토" } });
    expect(fake.filters("keyword")).toEqual([]);

    const categories = await client.listCategories({ params: { query: { locale: "en_US" } } });
    expect(categories.broad_category.map((c) => c.cate_no)).toEqual(["00130000", "00330000", "00040000"]);
    const vod_url = "https://vod.sooplive.co.kr/player/71021072";
    const viaGet = await client.getEmbedInfo({ params: { query: { vod_url, width: 1280 } } });
    expect(viaGet).toMatchObject({ width: 1280, height: 720, provider_name: "SOOP" });
    expect(await client.postEmbedInfo({ body: { vod_url, width: 1280 } })).toEqual(viaGet);
    expect((await client.getStationInfo())?.data).toMatchObject({ user_nick: "꿀잼" });

    // Re-issue: the refresh token rotates.
    const refreshed = await client.refreshToken();
    expect(refreshed.refreshToken).not.toBe(token.refreshToken);

    expect(reached(fake)).toEqual(new Set(Object.keys(soopOperations)));
    expect(expectAnswersValid("soop", fake.requests)).toBe(fake.requests.length);
  });

  it("Arctos: the client logs in (code, then token) and checks the token", async () => {
    const fake = createFakeArctos({ licenseKey: "arc-license", licenseRoom: 4, licensePath: "/rooms" });
    const to = await reach(fake, mode);
    const client = createArctosClient({ licenseKey: "arc-license", baseUrl: to.baseUrl ?? "https://arctos.example.test", fetch: to.fetch, clientId: "arctos-switch", user: { user_id: "USER-1", role: "MODERATOR" } });
    const checked = await client.checkAuthToken();
    const [session] = fake.sessions("USER-1");
    expect(session).toMatchObject({ accessToken: client.token(), clientId: "arctos-switch", role: "MODERATOR", state: "valid" });
    expect(checked).toEqual({ status: 1, message: "", info: { client_id: "arctos-switch", user_id: session!.ihhUserId, role: "MODERATOR", license_room: 4, license_path: "/rooms" } });
    expect(fake.requests.map((r) => r.operationId)).toEqual(["getAuthCode", "getAuthTokenUseCode", "checkAuthToken"]);
    expect(reached(fake)).toEqual(new Set(Object.keys(arctosOperations)));
    expect(expectAnswersValid("arctos", fake.requests)).toBe(3);
  });
});
