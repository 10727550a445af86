// The SOOP fake: client credentials, single-use codes, expiring access tokens and rotating refresh tokens; broadcast
// settings, stream key reset, filters per type and the paged broadcast list as state; and failures in SOOP's shape
// (HTTP 200 with result < 0 where the answer is an envelope, the spec's marked 400/401 elsewhere).
import { describe, expect, it } from "vitest";
import { ProviderError } from "../../src/index.js";
import { createSoopClient, type SoopToken } from "../../src/soop/index.js";
import { createFakeSoop, type FakeSoop } from "../../src/testing/index.js";
import { caught } from "../helpers/secrets.js";
import { expectAnswersValid } from "../helpers/spec-answers.js";

const clientId = "soop-id-3";
const clientSecret = "soop-secret-3";
const BASE = "https://openapi.sooplive.co.kr";

function setup(options: Partial<Parameters<typeof createFakeSoop>[0]> = {}, token?: SoopToken) {
  const fake = createFakeSoop({ clientId, clientSecret, ...options });
  const announced: SoopToken[] = [];
  const make = (extra: Partial<Parameters<typeof createSoopClient>[0]> = {}) =>
    createSoopClient({ clientId, clientSecret, fetch: fake.fetch, now: fake.now, retry: false, token: token ?? fake.grantToken(), onToken: (t) => void announced.push(t), ...extra });
  return { fake, client: make(), make, announced };
}

const form = (fake: FakeSoop, path: string, fields: Record<string, string>, method = "POST") =>
  fake.fetch(`${BASE}${path}`, { method, headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) });

describe("SOOP fake: codes and tokens", () => {
  it("a verification code is single-use", async () => {
    const { fake, client } = setup();
    const { code } = await client.issueAuthCode({ body: { auth_type: "api", certification_number: "111111" } });
    await client.exchangeCode(code);
    const again = await caught(() => client.exchangeCode(code));
    expect(again).toBeInstanceOf(ProviderError);
    expect(again).toMatchObject({ status: 401, code: -1, message: expect.stringContaining("Invalid verification code.") });
    expectAnswersValid("soop", fake.requests);
  });

  it("a wrong certification number, client_id or client_secret is refused", async () => {
    const { fake, client, make } = setup({ certificationNumber: "654321" });
    expect(await caught(() => client.issueAuthCode({ body: { auth_type: "api", certification_number: 111111 } }))).toMatchObject({ status: 401, code: -1 });
    expect(await caught(() => make({ clientId: "other" }).issueAuthCode({ body: { auth_type: "api", certification_number: 654321 } }))).toMatchObject({ status: 401 });
    const { code } = await client.issueAuthCode({ body: { auth_type: "api", certification_number: 654321 } });
    expect(await caught(() => make({ clientSecret: "other" }).exchangeCode(code))).toMatchObject({ status: 401, message: expect.stringContaining("client_secret") });
    // The code was not spent by the refused exchange.
    await expect(client.exchangeCode(code)).resolves.toMatchObject({ accessToken: expect.any(String) });
    expectAnswersValid("soop", fake.requests);
  });

  it("a code can expire when the fake is told how long codes live", async () => {
    const { fake, client } = setup({ codeTtlMs: 60_000 });
    const code = fake.issueCode();
    fake.advance(60_000);
    expect(await caught(() => client.exchangeCode(code))).toMatchObject({ status: 401, code: -1 });
  });

  it("an access token expires: a client on its own clock gets result -1; one on the fake's clock refreshes first", async () => {
    const { fake, make, announced } = setup({ accessTokenTtlSeconds: 3_600 });
    const token = fake.grantToken();
    const own = make({ token, now: Date.now, onToken: undefined });
    const synced = make({ token });
    await own.getStationInfo();
    fake.advance(3_600_000);
    const expired = await caught(() => own.getStationInfo());
    expect(expired).toMatchObject({ name: "ProviderError", status: 200, code: -1, message: expect.stringContaining("expired") });

    await expect(synced.getStationInfo()).resolves.toMatchObject({ result: 1 });
    expect(announced).toHaveLength(1); // refreshed once, before the call
    expect(fake.requests.slice(-2).map((r) => r.operationId)).toEqual(["issueToken", "getStationInfo"]);
    // The client dates the new token by the same clock the fake issued it by.
    expect(announced[0]!.expiresAt - (fake.requests.at(-2)!.at + 3_600_000)).toBeGreaterThanOrEqual(0);
    expect(announced[0]!.expiresAt - (fake.requests.at(-2)!.at + 3_600_000)).toBeLessThan(1_000);
    expectAnswersValid("soop", fake.requests);
  });

  it("refresh tokens rotate: the used one is refused, whoever sends it", async () => {
    const { fake, make } = setup();
    const token = fake.grantToken();
    const first = make({ token });
    const second = make({ token }); // another process holding the same saved token
    const rotated = await first.refreshToken();
    expect(rotated.refreshToken).not.toBe(token.refreshToken);
    expect(await caught(() => second.refreshToken())).toMatchObject({ status: 401, code: -1, message: expect.stringContaining("Invalid refresh token.") });
    // The rotated one works once more, and the old access token stays usable until it expires.
    await expect(first.refreshToken()).resolves.toMatchObject({ accessToken: expect.any(String) });
    await expect(second.getStationInfo()).resolves.toMatchObject({ result: 1 });
    expectAnswersValid("soop", fake.requests);
  });

  it("expireAccessToken ends a token at once; an unknown token is `Invalid access token.`", async () => {
    const { fake, client, make } = setup();
    await client.getRtmpInfo({ body: { platform_type: "SOOP" } });
    const used = fake.requests.at(-1)!.body;
    fake.expireAccessToken(new URLSearchParams(used).get("access_token")!);
    expect(await caught(() => client.getRtmpInfo({ body: { platform_type: "SOOP" } }))).toMatchObject({ status: 200, code: -1, message: expect.stringContaining("expired") });
    const stranger = make({ token: { accessToken: "not-issued", refreshToken: "nope", expiresAt: fake.now() + 3_600_000 } });
    expect(await caught(() => stranger.resetStreamKey())).toMatchObject({ status: 200, code: -1, message: expect.stringContaining("Invalid access token.") });
    expectAnswersValid("soop", fake.requests);
  });

  it("GET auth/code over HTTP: SOOP's redirect to the Redirect URI carries a code the client can exchange", async () => {
    const fake = createFakeSoop({ clientId, clientSecret, redirectUri: "https://app.example.com/cb?state=1" });
    try {
      const client = createSoopClient({ clientId, clientSecret, baseUrl: await fake.listen(), now: fake.now });
      const { location, code } = await client.getAuthCode();
      expect(location).toBe(`https://app.example.com/cb?state=1&code=${code}`);
      await expect(client.exchangeCode(code!)).resolves.toMatchObject({ accessToken: expect.any(String) });
      const wrong = createSoopClient({ clientId: "other", clientSecret, baseUrl: fake.url });
      expect(await caught(() => wrong.getAuthCode())).toMatchObject({ status: 400, code: -1 });
      expectAnswersValid("soop", fake.requests);
    } finally {
      await fake.close();
    }
  });
});

describe("SOOP fake: broadcast settings and stream key", () => {
  it("settings update shows in broad/rtmp; a standby time outside 1-10 is result -1320 (documented)", async () => {
    const { fake, client } = setup();
    await client.updateBroadcastInfo({ body: { title: "제목", category: 40066, hashtags: "게임, 배그", broad_pwd_chk: 1, broad_pwd: "pass12", water_mark: "3", broad_grade: 19 } });
    const { data } = await client.getRtmpInfo({ body: { platform_type: "SOOP" } });
    expect(data!.data).toMatchObject({ title: "제목", category: "00040066", hashtags: "게임, 배그", is_password: 1, water_mark: 3, broad_grade: 19 });
    const bad = await form(fake, "/broad/info/update", { access_token: fake.grantToken().accessToken, waiting_time: "11" });
    expect(bad.status).toBe(200);
    expect(await bad.json()).toEqual({ result: -1320, msg: "The broadcast standby time setting is incorrect.(515)" });
    const long = await caught(() => client.POST("/broad/info/update", { body: { title: "x".repeat(76) } }).then(({ data }) => (data?.result === 1 ? data : Promise.reject(data))));
    expect(long).toMatchObject({ result: -1, msg: expect.stringContaining("title") });
    expect(fake.settings.title).toBe("제목");
    expectAnswersValid("soop", fake.requests);
  });

  it("a stream key reset issues a new key and ends the live broadcast", async () => {
    const { fake, client } = setup({ broadcasts: 2 });
    fake.startBroadcast({ total_view_cnt: "99999" });
    expect(fake.live).toBe(true);
    expect(((await client.listBroadcasts()).broad as { user_id?: string }[])[0]).toMatchObject({ user_id: "soop1234" });
    const old = fake.streamKey;
    const { stream_key } = await client.resetStreamKey();
    expect(stream_key).not.toBe(old);
    expect(fake.live).toBe(false);
    expect((await client.listBroadcasts()).broad).toHaveLength(2);
  });
});

describe("SOOP fake: filters", () => {
  it("per type; SOOP's own entries can not be deleted; deleting what is not there is a failure (an assumption)", async () => {
    const { fake, client } = setup({ filters: { streamer: [{ target: "soop1", reason: "토토 방송 근절", type: 2 }] } });
    await client.upsertFilter({ params: { path: { type: "streamer" } }, body: { black_id: "soop2", reason: "불법 방송 근절" } });
    await client.upsertFilter({ params: { path: { type: "category" } }, body: { cate_no: "00040019", reason: "저작권" } });
    expect(await client.listFilters({ params: { path: { type: "streamer" } } })).toEqual({
      filter_list: [
        { black_id: "soop1", reason: "토토 방송 근절", type: 2 },
        { black_id: "soop2", reason: "불법 방송 근절", type: 1 },
      ],
    });
    expect((await client.listFilters({ params: { path: { type: "category" } } })).filter_list).toEqual([{ cate_name: "LOL", cate_no: "00040019", reason: "저작권", type: 1 }]);
    expect((await client.listFilters({ params: { path: { type: "keyword" } } })).filter_list).toEqual([]);

    const own = await caught(() => client.deleteFilter({ params: { path: { type: "streamer" } }, body: { black_id: "soop1" } }));
    expect(own).toMatchObject({ status: 200, code: -1 });
    await client.deleteFilter({ params: { path: { type: "streamer" } }, body: { black_id: "soop2" } });
    expect(await caught(() => client.deleteFilter({ params: { path: { type: "streamer" } }, body: { black_id: "soop2" } }))).toMatchObject({ code: -1 });
    expect(fake.filters("streamer").map((e) => e.target)).toEqual(["soop1"]);
    expectAnswersValid("soop", fake.requests);
  });

  it("the body must carry the field of the path's type; wrong client credentials are refused", async () => {
    const { fake, client, make } = setup();
    expect(await caught(() => client.upsertFilter({ params: { path: { type: "keyword" } }, body: { black_id: "soop2", reason: "r" } }))).toMatchObject({ status: 200, code: -1, message: expect.stringContaining("keyword") });
    expect(await caught(() => make({ clientSecret: "other" }).upsertFilter({ params: { path: { type: "keyword" } }, body: { keyword: "k", reason: "r" } }))).toMatchObject({ status: 200, code: -1 });
    expect(await caught(() => make({ clientSecret: "other" }).listFilters({ params: { path: { type: "keyword" } } }))).toMatchObject({ status: 401, code: -1 });
    expect(fake.filters("keyword")).toEqual([]);
    expectAnswersValid("soop", fake.requests);
  });

  it("filters take their broadcasts out of broad/list", async () => {
    const { fake, client } = setup({ broadcasts: [{ user_id: "a", broad_cate_no: "00040019", broad_title: "LOL ranked" }, { user_id: "b", broad_cate_no: "00130000", broad_title: "토토 talk" }, { user_id: "c", broad_cate_no: "00330000", broad_title: "cooking" }, { user_id: "d", broad_cate_no: "00040066", broad_title: "pubg" }] });
    const ids = async () => ((await client.listBroadcasts()).broad as { user_id?: string }[]).map((b) => b.user_id).sort();
    expect(await ids()).toEqual(["a", "b", "c", "d"]);
    await client.upsertFilter({ params: { path: { type: "streamer" } }, body: { black_id: "c", reason: "r" } });
    await client.upsertFilter({ params: { path: { type: "keyword" } }, body: { keyword: "토토", reason: "r" } });
    await client.upsertFilter({ params: { path: { type: "category" } }, body: { cate_no: "00040000", reason: "r" } }); // a parent: its children go too
    expect(await ids()).toEqual([]);
    expect(fake.broadcasts).toHaveLength(4);
  });
});

describe("SOOP fake: broad/list", () => {
  it("60 a page: listAllBroadcasts walks 130 broadcasts in three pages", async () => {
    const { fake, client } = setup({ broadcasts: 130 });
    const all = [];
    for await (const b of client.listAllBroadcasts()) all.push(b);
    expect(all).toHaveLength(130);
    expect(new Set(all.map((b) => b.broad_no)).size).toBe(130);
    expect(fake.requests.map((r) => r.query.page_no)).toEqual(["1", "2", "3"]);
    const last = await client.listBroadcasts({ params: { query: { page_no: 3 } } });
    expect(last).toMatchObject({ total_cnt: 130, page_no: 3, page_block: 60 });
    expect(last.broad).toHaveLength(10);
    expect((await client.listBroadcasts({ params: { query: { page_no: 4 } } })).broad).toEqual([]);
    expectAnswersValid("soop", fake.requests);
  });

  it("by category (a parent includes its children), in either order", async () => {
    const { client } = setup({ broadcasts: 12 });
    const games = await client.listBroadcasts({ params: { query: { select_key: "cate", select_value: "00040000" } } });
    expect(games.total_cnt).toBe(8);
    expect((games.broad as { broad_cate_no: string }[]).every((b) => b.broad_cate_no.startsWith("0004"))).toBe(true);
    const lol = await client.listBroadcasts({ params: { query: { select_value: "00040019" } } });
    expect(lol.total_cnt).toBe(2);
    const views = (await client.listBroadcasts({ params: { query: { order_type: "view_cnt" } } })).broad as { total_view_cnt: string }[];
    expect(views.map((b) => Number(b.total_view_cnt))).toEqual([...views.map((b) => Number(b.total_view_cnt))].sort((a, b) => b - a));
    const starts = (await client.listBroadcasts({ params: { query: { order_type: "broad_start" } } })).broad as { broad_start: string }[];
    expect(starts.map((b) => b.broad_start)).toEqual([...starts.map((b) => b.broad_start)].sort().reverse());
  });

  it("JSONP with callback, languages with select_key=lang, and a wrong client_id refused", async () => {
    const { fake, client, make } = setup({ broadcasts: 1 });
    const raw = await fake.fetch(`${BASE}/broad/list?client_id=${clientId}&callback=handle`);
    expect(raw.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(await raw.text()).toMatch(/^handle\(\{"total_cnt":1,.*\}\);$/);
    const langs = await client.listBroadcasts({ params: { query: { select_key: "lang" } } });
    expect(langs.broad).toMatchObject({ ko_KR: "Korean", en_US: "English" });
    expect(await caught(() => make({ clientId: "other" }).listBroadcasts())).toMatchObject({ status: 401, code: -1 });
    const bad = await fake.fetch(`${BASE}/broad/list?client_id=${clientId}&callback=${encodeURIComponent("alert(1)//")}`);
    expect(bad.status).toBe(400);
    expectAnswersValid("soop", fake.requests);
  });
});

describe("SOOP fake: categories, embeds, station", () => {
  it("categories per locale; embeds 16:9 from the width or 640x360; an unknown VOD URL is 400", async () => {
    const { fake, client } = setup();
    const ko = await client.listCategories();
    expect(ko.broad_category[2]).toMatchObject({ cate_name: "게임", child: expect.arrayContaining([{ cate_name: "배틀그라운드", cate_no: "00040066" }]) });
    expect((await client.listCategories({ params: { query: { locale: "en_US" } } })).broad_category[2]!.cate_name).toBe("Games");
    const vod_url = "https://v.afree.ca/ST/71021072";
    expect(await client.getEmbedInfo({ params: { query: { vod_url } } })).toMatchObject({ width: 640, height: 360, html: expect.stringContaining("71021072") });
    expect(await client.postEmbedInfo({ body: { vod_url, width: 960 } })).toMatchObject({ width: 960, height: 540 });
    expect(await caught(() => client.getEmbedInfo({ params: { query: { vod_url: "https://example.com/x" } } }))).toMatchObject({ status: 400, code: -1 });
    expect((await client.getStationInfo())?.data).toMatchObject({ user_nick: "꿀잼", station_name: "꿀잼님의 방송국" });
    expectAnswersValid("soop", fake.requests);
  });
});

describe("SOOP fake: bad input", () => {
  it("every malformed request gets an answer the spec allows, and changes nothing", async () => {
    const { fake } = setup();
    const token = fake.grantToken().accessToken;
    const before = { settings: fake.settings, key: fake.streamKey };
    const answers = await Promise.all([
      form(fake, "/auth/token", { grant_type: "password", client_id: clientId, client_secret: clientSecret }),
      form(fake, "/auth/token", { grant_type: "authorization_code", client_id: clientId, client_secret: clientSecret }),
      form(fake, "/auth/code", { client_id: clientId, auth_type: "web", certification_number: "1" }),
      form(fake, "/broad/rtmp", { access_token: token }),
      form(fake, "/broad/info/update", { access_token: token, broad_grade: "7" }),
      form(fake, "/aqua/component/get", { access_token: token, component_type: "banner" }),
      form(fake, "/filter/people", { client_id: clientId, client_secret: clientSecret, black_id: "x", reason: "r" }),
      form(fake, "/filter/keyword", { client_id: clientId, client_secret: clientSecret, keyword: "k" }, "DELETE"),
      fake.fetch(`${BASE}/broad/list?client_id=${clientId}&page_no=two`),
      fake.fetch(`${BASE}/broad/category/list?client_id=${clientId}&locale=xx`),
      fake.fetch(`${BASE}/oembed/embedinfo?vod_url=x&width=wide`),
      form(fake, "/broad/rtmp/reset", {}),
      fake.fetch(`${BASE}/no/such/path`),
      fake.fetch(`${BASE}/broad/rtmp`, { method: "PUT", body: "x" }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 200, 200, 200, 200, 200, 400, 400, 400, 200, 404, 404]);
    for (const a of answers) expect(await a.json()).toMatchObject({ result: expect.any(Number), msg: expect.any(String) });
    expect({ settings: fake.settings, key: fake.streamKey }).toEqual(before);
    expectAnswersValid("soop", fake.requests);
  });
});
