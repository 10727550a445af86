// SOOP against a Prism mock of specs/soop.yaml: every operation's request (with the credentials the middleware
// injects) passes Prism's validation, every documented example surfaces as the client promises, and the OAuth
// flow, JSONP and pagination work against the mock.
// Secrets are not checked here: Prism never echoes credentials, so such a check could not fail. The same
// documented failures, answered with the credentials echoed, are checked in test/reliability/secrets.test.ts.
import { describe, expect, inject, it, vi } from "vitest";
import { createSoopClient, operations, type SoopClient, type SoopToken } from "../../src/soop/index.js";
import { ProviderError } from "../../src/index.js";
import { violationCheckingFetch } from "../helpers/fetch.js";
import { loadSpec, requestExample, responseExamples, type DocumentedExample } from "../helpers/spec.js";
import { caught } from "../helpers/secrets.js";

const clientId = "soop-contract-client";
const clientSecret = "soop-contract-secret-9876-private";
const token: SoopToken = { accessToken: "contract-access-token-1", refreshToken: "contract-refresh-token-2", expiresAt: Date.now() + 3_600_000 };
const mock = () => inject("mocks").soop!;

function client(extra: Partial<Parameters<typeof createSoopClient>[0]> = {}) {
  const fetch = violationCheckingFetch();
  const c = createSoopClient({ clientId, clientSecret, token, baseUrl: mock(), fetch, retry: false, ...extra });
  return { c, fetch };
}

/** A documented request example as the caller writes it: without the credentials the middleware injects. */
function example(operationId: string, name?: string): any {
  const value = name ? namedRequestExamples(operationId)[name] : requestExample("soop", operationId);
  const { access_token: _a, client_id: _b, client_secret: _c, ...rest } = value;
  return rest;
}

function namedRequestExamples(operationId: string): Record<string, any> {
  for (const item of Object.values<any>(loadSpec("soop").paths)) {
    for (const op of Object.values<any>(item)) {
      if (op?.operationId !== operationId) continue;
      const media: any = Object.values(op.requestBody.content)[0];
      return Object.fromEntries(Object.entries<any>(media.examples).map(([k, v]) => [k, v.value]));
    }
  }
  throw new Error(`no operation ${operationId}`);
}

describe("soop contract: every operation", () => {
  it("getAuthCode does not follow the redirect and reports the Redirect URI with its code", async () => {
    const { c, fetch } = client();
    const out = await c.getAuthCode({ headers: { Prefer: "code=302" } });
    expect(out).toEqual({ location: "https://sooplive.co.kr/?code=34197c7e4XXXXXXXX", code: "34197c7e4XXXXXXXX" });
    expect(fetch.violations).toEqual([]);
  });

  it("getAuthCode answered 200 (no redirect) points at authorizeUrl()", async () => {
    const { c, fetch } = client();
    expect(await c.getAuthCode()).toEqual({ location: c.authorizeUrl(), code: undefined });
    expect(fetch.violations).toEqual([]);
  });

  it("issueAuthCode sends the certification number and returns the code", async () => {
    const { c, fetch } = client();
    const data = await c.issueAuthCode({ body: example("issueAuthCode") });
    expect(data.code).toEqual(expect.any(String));
    const asString = await c.issueAuthCode({ body: { auth_type: "api", certification_number: "012345" } });
    expect(asString.code).toEqual(expect.any(String));
    expect(fetch.violations).toEqual([]);
  });

  it("issueToken accepts both grant types", async () => {
    const { c, fetch } = client();
    const issued = await c.issueToken({ body: { grant_type: "authorization_code", code: "cfacf4bXXXXXXX", redirect_uri: "https://sooplive.co.kr" } });
    expect(issued).toMatchObject({ access_token: expect.any(String), expires_in: expect.any(Number), refresh_token: expect.any(String) });
    await c.issueToken({ body: { grant_type: "refresh_token", refresh_token: "78d3acb626dXXXXXXX" } });
    expect(fetch.violations).toEqual([]);
  });

  it("getRtmpInfo returns the RTMP URL and stream key", async () => {
    const { c, fetch } = client();
    const data = await c.getRtmpInfo({ body: example("getRtmpInfo") });
    expect(data.result).toBeGreaterThan(0);
    expect(data.data).toMatchObject({ rtmp: expect.any(String), key: expect.any(String) });
    expect(fetch.violations).toEqual([]);
  });

  it("updateBroadcastInfo sends every documented setting", async () => {
    const { c, fetch } = client();
    await expect(c.updateBroadcastInfo({ body: example("updateBroadcastInfo") })).resolves.toMatchObject({ result: 1 });
    await expect(c.updateBroadcastInfo({ body: { title: "Late night LOL ranked", category: "00040066", is_wait: 0, water_mark: 6 } })).resolves.toMatchObject({ result: 1 });
    expect(fetch.violations).toEqual([]);
  });

  it("resetStreamKey needs no argument", async () => {
    const { c, fetch } = client();
    expect((await c.resetStreamKey()).stream_key).toEqual(expect.any(String));
    expect(fetch.violations).toEqual([]);
  });

  it("listBroadcasts returns a page, with or without query", async () => {
    const { c, fetch } = client();
    const data = await c.listBroadcasts({ params: { query: { select_key: "cate", select_value: "00130000", order_type: "view_cnt", page_no: 1 } } });
    expect(Array.isArray(data.broad)).toBe(true);
    expect(data.total_cnt).toEqual(expect.any(Number));
    await c.listBroadcasts();
    expect(fetch.violations).toEqual([]);
  });

  it("listBroadcasts with callback unwraps the JSONP answer", async () => {
    const { c, fetch } = client();
    const data = await c.listBroadcasts({ params: { query: { callback: "callback" } }, headers: { Accept: "text/javascript" } });
    expect(data).toMatchObject({ total_cnt: 6, page_no: 1, page_block: 60 });
    expect((data.broad as unknown[])[0]).toMatchObject({ user_id: "soop1234", paid_promotion: 0 });
    expect(fetch.violations).toEqual([]);
  });

  it("getAquaComponent returns the component URL", async () => {
    const { c, fetch } = client();
    const data = await c.getAquaComponent({ body: example("getAquaComponent") });
    expect(data.data?.component_url).toMatch(/^https:\/\//);
    expect(fetch.violations).toEqual([]);
  });

  it.each(["streamer", "category", "keyword"] as const)("upsertFilter, deleteFilter and listFilters for %s", async (type) => {
    const { c, fetch } = client();
    await expect(c.upsertFilter({ params: { path: { type } }, body: example("upsertFilter", type) })).resolves.toMatchObject({ result: 1 });
    await expect(c.deleteFilter({ params: { path: { type } }, body: example("deleteFilter", type) })).resolves.toMatchObject({ result: 1 });
    const list = await c.listFilters({ params: { path: { type } } });
    expect(Array.isArray(list.filter_list)).toBe(true);
    expect(fetch.violations).toEqual([]);
  });

  it("listCategories returns the categories", async () => {
    const { c, fetch } = client();
    const data = await c.listCategories({ params: { query: { locale: "ko_KR" } } });
    expect(data.broad_category[0]).toMatchObject({ cate_name: expect.any(String), cate_no: expect.any(String) });
    await c.listCategories();
    expect(fetch.violations).toEqual([]);
  });

  it("getEmbedInfo and postEmbedInfo return oEmbed data", async () => {
    const { c, fetch } = client();
    const viaGet = await c.getEmbedInfo({ params: { query: { vod_url: "https://vod.sooplive.co.kr/player/71021072", width: 640, height: 360 } } });
    const viaPost = await c.postEmbedInfo({ body: example("postEmbedInfo") });
    expect(viaGet).toEqual(viaPost);
    expect(viaGet.provider_name).toBe("SOOP");
    expect(fetch.violations).toEqual([]);
  });

  it("getStationInfo needs no argument", async () => {
    const { c, fetch } = client();
    expect((await c.getStationInfo())?.data).toMatchObject({ user_nick: expect.any(String) });
    expect(fetch.violations).toEqual([]);
  });

  it("the wire layer reaches the same mock with the same credentials", async () => {
    const { c, fetch } = client();
    const { data, response } = await c.POST("/broad/rtmp/reset");
    expect(response.status).toBe(200);
    expect(data?.stream_key).toEqual(expect.any(String));
    const filters = await c.GET("/filter/{type}", { params: { path: { type: "keyword" } } });
    expect(filters.response.status).toBe(200);
    expect(fetch.violations).toEqual([]);
  });

  it("Prism sees requests without the injected credentials as violations (the check is live)", async () => {
    const noToken = await fetch(`${mock()}/broad/info/update`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "title=Late+night",
    });
    expect(noToken.headers.get("sl-violations")).toContain("access_token");
    const noSecret = await fetch(`${mock()}/filter/streamer?client_id=${clientId}`);
    expect(noSecret.headers.get("sl-violations")).toContain("client_secret");
    const noBody = await fetch(`${mock()}/broad/rtmp/reset`, { method: "POST" });
    expect(noBody.headers.get("sl-violations")).toBeTruthy();
  });
});

describe("soop contract: documented examples", () => {
  const documented = responseExamples("soop");
  const calls: Record<keyof typeof operations, (c: SoopClient, headers: Record<string, string>) => Promise<unknown>> = {
    getAuthCode: (c, headers) => c.getAuthCode({ headers }),
    issueAuthCode: (c, headers) => c.issueAuthCode({ body: { auth_type: "api", certification_number: 111111 }, headers }),
    issueToken: (c, headers) => c.issueToken({ body: { grant_type: "refresh_token", refresh_token: "78d3acb626dXXXXXXX" }, headers }),
    getRtmpInfo: (c, headers) => c.getRtmpInfo({ body: { platform_type: "SOOP" }, headers }),
    updateBroadcastInfo: (c, headers) => c.updateBroadcastInfo({ body: { waiting_time: 10, is_wait: "1" }, headers }),
    resetStreamKey: (c, headers) => c.resetStreamKey({ headers }),
    listBroadcasts: (c, headers) => c.listBroadcasts({ params: { query: { callback: "callback" } }, headers }),
    getAquaComponent: (c, headers) => c.getAquaComponent({ body: { platform_type: "mobile", component_type: "goal" }, headers }),
    upsertFilter: (c, headers) => c.upsertFilter({ params: { path: { type: "category" } }, body: { cate_no: "00300000", reason: "copyright" }, headers }),
    deleteFilter: (c, headers) => c.deleteFilter({ params: { path: { type: "keyword" } }, body: { keyword: "사설" }, headers }),
    listFilters: (c, headers) => c.listFilters({ params: { path: { type: "streamer" } }, headers }),
    listCategories: (c, headers) => c.listCategories({ headers }),
    getEmbedInfo: (c, headers) => c.getEmbedInfo({ params: { query: { vod_url: "https://v.afree.ca/ST/71021072" } }, headers }),
    postEmbedInfo: (c, headers) => c.postEmbedInfo({ body: { vod_url: "https://v.afree.ca/ST/71021072" }, headers }),
    getStationInfo: (c, headers) => c.getStationInfo({ headers }),
  };

  it("documents examples for every operation", () => {
    expect(new Set(documented.map((e) => e.operationId))).toEqual(new Set(Object.keys(operations)));
  });

  const isFailure = (ex: DocumentedExample) =>
    ex.status >= 400 || (typeof ex.value === "object" && ex.value !== null && typeof ex.value.result === "number" && ex.value.result <= 0);
  const label = (ex: DocumentedExample) => `${ex.operationId} ${ex.status} ${ex.mediaType} ${ex.name}`;

  it("includes failure envelopes under HTTP 200", () => {
    expect(documented.filter((e) => e.status === 200 && isFailure(e)).map((e) => e.name)).toContain("invalidWaitingTime");
  });

  it.each(documented.filter(isFailure).map((e) => [label(e), e] as const))("%s surfaces as ProviderError", async (_, ex) => {
    const { c, fetch } = client();
    const err = await caught(() => calls[ex.operationId as keyof typeof operations](c, { Prefer: `code=${ex.status}, example=${ex.name}`, Accept: ex.mediaType }));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ provider: "soop", operation: ex.operationId, status: ex.status, code: ex.value.result });
    expect(err.message).toContain(ex.value.msg);
    expect(fetch.violations).toEqual([]);
  });

  it.each(documented.filter((e) => !isFailure(e)).map((e) => [label(e), e] as const))("%s resolves", async (_, ex) => {
    const { c, fetch } = client();
    const data = await calls[ex.operationId as keyof typeof operations](c, { Prefer: `code=${ex.status}, example=${ex.name}`, Accept: ex.mediaType });
    if (ex.operationId === "getAuthCode") expect(data).toEqual({ location: c.authorizeUrl(), code: undefined });
    else if (ex.mediaType === "text/javascript") expect(data).toEqual(JSON.parse(/^\s*\w+\(([\s\S]*)\);?\s*$/.exec(ex.value)![1]!));
    else expect(data).toEqual(ex.value);
    expect(fetch.violations).toEqual([]);
  });
});

describe("soop contract: OAuth flow", () => {
  function counted(extra: Partial<Parameters<typeof createSoopClient>[0]> = {}) {
    const checking = violationCheckingFetch();
    const paths: string[] = [];
    const fetch = Object.assign(
      async (input: RequestInfo | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        paths.push(new URL(request.url).pathname);
        return checking(request);
      },
      { violations: checking.violations },
    );
    const onToken = vi.fn();
    const c = createSoopClient({ clientId, clientSecret, baseUrl: mock(), fetch, retry: false, onToken, ...extra });
    return { c, fetch, paths, onToken };
  }

  it("exchanges a code, announces the token once, and uses it", async () => {
    const now = 1_800_000_000_000;
    const { c, fetch, paths, onToken } = counted({ redirectUri: "https://sooplive.co.kr", now: () => now });
    const t = await c.exchangeCode("cfacf4bXXXXXXX");
    expect(t).toEqual({ accessToken: "a3b2d88XXXXXXXX", refreshToken: "a924bfXXXXXXXX", expiresAt: now + 28_800_000 });
    expect(onToken).toHaveBeenCalledTimes(1);
    expect(onToken).toHaveBeenCalledWith(t);
    await c.getStationInfo();
    expect(paths).toEqual(["/auth/token", "/user/stationinfo"]);
    expect(fetch.violations).toEqual([]);
  });

  it("refreshes a token that expires within 60 s before the call", async () => {
    const { c, fetch, paths, onToken } = counted({ token: { ...token, expiresAt: Date.now() + 30_000 } });
    await c.getRtmpInfo({ body: { platform_type: "SOOP" } });
    expect(paths).toEqual(["/auth/token", "/broad/rtmp"]);
    expect(onToken).toHaveBeenCalledTimes(1);
    expect(fetch.violations).toEqual([]);
  });

  it("50 concurrent calls share a single refresh", async () => {
    const { c, fetch, paths, onToken } = counted({ token: { ...token, expiresAt: Date.now() - 1 } });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? c.getStationInfo() : c.getAquaComponent({ body: {} }))));
    expect(results).toHaveLength(50);
    expect(paths.filter((p) => p === "/auth/token")).toHaveLength(1);
    expect(paths).toHaveLength(51);
    expect(onToken).toHaveBeenCalledTimes(1);
    expect(fetch.violations).toEqual([]);
  });

  it("a refused refresh surfaces as a ProviderError", async () => {
    const { c, paths } = counted({ token: { ...token, expiresAt: Date.now() - 1 }, headers: { Prefer: "code=401, example=unauthorized" } });
    const err = await caught(() => c.getStationInfo());
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ operation: "issueToken", status: 401, code: -1 });
    expect(paths).toEqual(["/auth/token"]);
  });
});

describe("soop contract: pagination", () => {
  it("listAllBroadcasts reads the mock's single page and stops at total_cnt", async () => {
    const { c, fetch } = client();
    const all = [];
    for await (const b of c.listAllBroadcasts({ order_type: "broad_start" })) all.push(b);
    expect(all.map((b) => b.user_id)).toEqual(["soop1234", "soop123"]);
    expect(fetch.violations).toEqual([]);
  });
});
