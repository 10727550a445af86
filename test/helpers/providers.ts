// One "kit" per provider for the reliability tests: distinctive secrets, a factory bound to a base URL (or an
// injected fetch), the smallest valid call of every operation with the concrete path it requests, and the provider's
// fake from streamspec/testing as the fault server's success answer (one fake per provider in the codebase).
import { createArctosClient, operations as arctosOperations, type ArctosClient } from "../../src/arctos/index.js";
import type { CommonOptions } from "../../src/core/options.js";
import type { OperationIndex } from "../../src/core/operation.js";
import { createFlipFlopClient, operations as flipflopOperations, type FlipFlopClient } from "../../src/flipflop/index.js";
import { createPolyvClient, operations as polyvOperations, type PolyvClient, type PolyvRateLimitOption } from "../../src/polyv/index.js";
import { createSoopClient, operations as soopOperations, type SoopClient, type SoopToken } from "../../src/soop/index.js";
import { createFakeArctos, createFakeFlipFlop, createFakePolyv, createFakeSoop, type Fake, type FakeArctos, type FakeFlipFlop, type FakePolyv, type FakeSoop } from "../../src/testing/index.js";
import { serialise, type FakeCore } from "../../src/testing/core.js";
import type { Answer, Received, Responder } from "./fault-server.js";
import { recordingFetch, type Recorded } from "./fetch.js";

export type ProviderName = "flipflop" | "polyv" | "soop" | "arctos";

// Distinctive per provider, and with characters that change under URL and form encoding (+ / =), so a secret
// that slipped through in an encoded form would be found too.
export const SECRETS = {
  flipflop: { apiKey: "ff-api-key-19c2", apiSecret: "ff-api-secret-6d1f+Q/7=" },
  polyv: { appId: "pvappid0042", appSecret: "pv-app-secret-83b0+k/2=", userId: "pvuser0001" },
  soop: {
    clientId: "soop-client-id-4e11",
    clientSecret: "soop-client-secret-2a9c+m/5=",
    accessToken: "soop-access-token-5f3e+a/1=",
    refreshToken: "soop-refresh-token-8d07+r/9=",
  },
  arctos: { licenseKey: "arctos-license-key-c4d1+L/3=" },
} as const;

export const ARCTOS_USER = { user_id: "USER-12345678", name: "Ann", role: "MODERATOR" } as const;

/** The Basic credentials FlipFlop sends, in base64: a secret of its own. */
export const FLIPFLOP_BASIC = Buffer.from(`${SECRETS.flipflop.apiKey}:${SECRETS.flipflop.apiSecret}`).toString("base64");

/** Every fake the kits made in this module context: the tokens and codes they handed out are secrets too. */
const made: { provider: ProviderName; fake: Fake }[] = [];

/** The codes and tokens a fake's answers handed out (SOOP codes and tokens, Arctos codes and tokens). */
function issuedBy(fake: Fake): string[] {
  const out: string[] = [];
  const collect = (value: unknown, key = ""): void => {
    if (typeof value === "string" && /^(code|access_token|refresh_token|accessToken|streamingToken)$/.test(key)) out.push(value);
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) collect(v, k);
  };
  for (const r of fake.requests) {
    if (!r.answer) continue;
    const location = r.answer.headers.location;
    if (location) collect(new URL(location).searchParams.get("code") ?? undefined, "code");
    try {
      collect(JSON.parse(r.answer.body));
    } catch {
      // not JSON: nothing issued
    }
  }
  return out;
}

/** Every configured secret of every provider, plus every token or code a kit's fake issued so far. */
export function allSecrets(): string[] {
  return [
    SECRETS.flipflop.apiSecret,
    FLIPFLOP_BASIC,
    SECRETS.polyv.appSecret,
    SECRETS.soop.clientSecret,
    SECRETS.soop.accessToken,
    SECRETS.soop.refreshToken,
    SECRETS.arctos.licenseKey,
    ...made.filter((m) => m.provider !== "flipflop" && m.provider !== "polyv").flatMap((m) => issuedBy(m.fake)),
  ];
}

export interface KitOptions extends CommonOptions {
  /** Polyv: default `false` here (the tests say when they use a limiter). */
  rateLimit?: PolyvRateLimitOption;
  /** SOOP: the starting token (default: valid for an hour). */
  token?: SoopToken;
  onToken?: (token: SoopToken) => void;
}

export interface OperationCall<C> {
  /** The pathname the call requests (what the fault server counts and scripts). */
  path: string;
  /**
   * The operation of one request the call sends first, to get the fake into a state where the call itself is valid
   * (a fresh single-use code to exchange, a filter entry to delete): the stateful fakes refuse a repeat otherwise.
   */
  before?: string;
  call: (c: C, init?: { signal?: AbortSignal }) => Promise<unknown>;
}

export interface Kit<C = any, F extends Fake = Fake> {
  name: ProviderName;
  operations: OperationIndex;
  make(options?: KitOptions): C;
  /** The smallest valid call of every operation (every key of `operations`). */
  calls: Record<string, OperationCall<C>>;
  /** A fresh fake of this provider, in the state the calls expect (`record: false` keeps only counts). */
  fake(options?: { record?: boolean }): F;
  /** A fresh success responder for the fault server: a new fake answering (and on `.fake`, to control it). */
  responder(options?: { record?: boolean }): Responder & { fake: F };
  /** This provider's secrets: the configured ones, plus the tokens and codes its fakes issued so far. */
  secrets(): string[];
}

// ---------------------------------------------------------------------------------------------------------------
// A fake as the fault server's success answer

const HOP_BY_HOP = new Set(["host", "connection", "content-length", "transfer-encoding", "keep-alive"]);

/**
 * The fault server's Responder answering as `fake` does (the fault server keeps its transport faults). It hands the
 * request to the fake's core directly, as the fake's own server does, rather than through `fake.fetch`: the same
 * answer without building a Request and a Response per call (the leak tests make 10,000 calls).
 */
export function fakeResponder<F extends Fake>(fake: F): Responder & { fake: F } {
  const core = fake as unknown as FakeCore;
  const respond = (rec: Received): Answer => {
    const headers = new Headers();
    for (const [k, v] of Object.entries(rec.headers)) if (!HOP_BY_HOP.has(k.toLowerCase())) headers.set(k, v);
    const outcome = core.process({ method: rec.method, url: new URL(rec.url, "http://127.0.0.1"), headers, body: rec.body, ip: "127.0.0.1" });
    if (outcome.kind !== "answer") throw new Error(`the fake's injected ${outcome.kind} has no Answer; script transport faults on the fault server`);
    const { status, headers: out, body } = serialise(outcome.answer);
    return { status, headers: out, body: body === "" ? undefined : body };
  };
  return Object.assign(respond, { fake });
}

function track<F extends Fake>(provider: ProviderName, fake: F): F {
  made.push({ provider, fake });
  return fake;
}

// ---------------------------------------------------------------------------------------------------------------
// The kits

const withBase = (options: KitOptions) => ({ retry: false as const, ...options });

export const flipflopKit: Kit<FlipFlopClient, FakeFlipFlop> = {
  name: "flipflop",
  operations: flipflopOperations,
  make: (options = {}) => createFlipFlopClient({ ...SECRETS.flipflop, ...withBase(options) }),
  calls: {
    loginMember: { path: "/v2/apps/me/members/login", call: (c, i) => c.loginMember({ body: { appUserId: "member42", appUserName: "Ann" }, ...i }) },
    deleteMembers: { path: "/v2/apps/me/members/m1,m2", call: (c, i) => c.deleteMembers({ params: { path: { appUserIds: ["m1", "m2"] } }, ...i }) },
    forceTerminateMemberStreamKey: {
      path: "/v2/apps/me/members/member42/stream-key/force-terminate",
      call: (c, i) => c.forceTerminateMemberStreamKey({ params: { path: { appUserId: "member42" } }, ...i }),
    },
  },
  fake: (o = {}) => track("flipflop", createFakeFlipFlop({ ...SECRETS.flipflop, members: ["member42"], ...o })),
  responder: (o) => fakeResponder(flipflopKit.fake(o)),
  secrets: () => [SECRETS.flipflop.apiSecret, FLIPFLOP_BASIC],
};

export const polyvKit: Kit<PolyvClient, FakePolyv> = {
  name: "polyv",
  operations: polyvOperations,
  make: ({ rateLimit = false, ...options } = {}) => createPolyvClient({ ...SECRETS.polyv, rateLimit, ...withBase(options) }),
  calls: {
    saveViewerCustomFieldValues: {
      path: "/live/v4/user/custom-field/viewer-value/save",
      call: (c, i) => c.saveViewerCustomFieldValues({ body: [{ viewerId: "viewer-1", customFieldId: "PAY_ORDER", customFieldValue: "paid" }], ...i }),
    },
    updateChannelOauthCustom: {
      path: `/live/v2/channelSetting/${SECRETS.polyv.userId}/oauth-custom`,
      call: (c, i) => c.updateChannelOauthCustom({ body: { customUri: "https://example.com/polyv/auth", channelId: "2191532" }, ...i }),
    },
  },
  fake: (o = {}) => track("polyv", createFakePolyv({ ...SECRETS.polyv, channels: ["2191532"], ...o })),
  responder: (o) => fakeResponder(polyvKit.fake(o)),
  secrets: () => [SECRETS.polyv.appSecret],
};

let filterSerial = 0;
const soopToken = (): SoopToken => ({ accessToken: SECRETS.soop.accessToken, refreshToken: SECRETS.soop.refreshToken, expiresAt: Date.now() + 3_600_000 });

export const soopKit: Kit<SoopClient, FakeSoop> = {
  name: "soop",
  operations: soopOperations,
  make: ({ token = soopToken(), onToken, ...options } = {}) =>
    createSoopClient({ clientId: SECRETS.soop.clientId, clientSecret: SECRETS.soop.clientSecret, token, onToken, ...withBase(options) }),
  calls: {
    getAuthCode: { path: "/auth/code", call: (c, i) => c.getAuthCode({ ...i }) },
    issueAuthCode: { path: "/auth/code", call: (c, i) => c.issueAuthCode({ body: { auth_type: "api", certification_number: 111111 }, ...i }) },
    issueToken: {
      path: "/auth/token",
      before: "issueAuthCode", // a fresh single-use code
      call: async (c, i) => {
        const { code } = await c.issueAuthCode({ body: { auth_type: "api", certification_number: 111111 } });
        return c.issueToken({ body: { grant_type: "authorization_code", code }, ...i });
      },
    },
    getRtmpInfo: { path: "/broad/rtmp", call: (c, i) => c.getRtmpInfo({ body: { platform_type: "SOOP" }, ...i }) },
    updateBroadcastInfo: { path: "/broad/info/update", call: (c, i) => c.updateBroadcastInfo({ body: { title: "Late night" }, ...i }) },
    resetStreamKey: { path: "/broad/rtmp/reset", call: (c, i) => c.resetStreamKey({ ...i }) },
    listBroadcasts: { path: "/broad/list", call: (c, i) => c.listBroadcasts({ ...i }) },
    getAquaComponent: { path: "/aqua/component/get", call: (c, i) => c.getAquaComponent({ body: { platform_type: "pc", component_type: "chat" }, ...i }) },
    upsertFilter: { path: "/filter/keyword", call: (c, i) => c.upsertFilter({ params: { path: { type: "keyword" } }, body: { keyword: "toto", reason: "spam" }, ...i }) },
    deleteFilter: {
      path: "/filter/streamer",
      before: "upsertFilter", // the entry to delete (deleting what is not registered fails), one per call
      call: async (c, i) => {
        const black_id = `soop${++filterSerial}`;
        await c.upsertFilter({ params: { path: { type: "streamer" } }, body: { black_id, reason: "spam" } });
        return c.deleteFilter({ params: { path: { type: "streamer" } }, body: { black_id }, ...i });
      },
    },
    listFilters: { path: "/filter/category", call: (c, i) => c.listFilters({ params: { path: { type: "category" } }, ...i }) },
    listCategories: { path: "/broad/category/list", call: (c, i) => c.listCategories({ params: { query: { locale: "en_US" } }, ...i }) },
    getEmbedInfo: {
      path: "/oembed/embedinfo",
      call: (c, i) => c.getEmbedInfo({ params: { query: { vod_url: "https://vod.sooplive.co.kr/player/71021072" } }, ...i }),
    },
    postEmbedInfo: {
      path: "/oembed/embedinfo",
      call: (c, i) => c.postEmbedInfo({ body: { vod_url: "https://vod.sooplive.co.kr/player/71021072", width: 640 }, ...i }),
    },
    getStationInfo: { path: "/user/stationinfo", call: (c, i) => c.getStationInfo({ ...i }) },
  },
  fake: (o = {}) =>
    track(
      "soop",
      createFakeSoop({
        clientId: SECRETS.soop.clientId,
        clientSecret: SECRETS.soop.clientSecret,
        tokens: [{ accessToken: SECRETS.soop.accessToken, refreshToken: SECRETS.soop.refreshToken }],
        broadcasts: 2,
        ...o,
      }),
    ),
  responder: (o) => fakeResponder(soopKit.fake(o)),
  secrets: () => [SECRETS.soop.clientSecret, SECRETS.soop.accessToken, SECRETS.soop.refreshToken, ...made.filter((m) => m.provider === "soop").flatMap((m) => issuedBy(m.fake))],
};

export const arctosKit: Kit<ArctosClient, FakeArctos> = {
  name: "arctos",
  operations: arctosOperations,
  make: ({ baseUrl = "https://arctos.example.test", ...options } = {}) =>
    createArctosClient({ licenseKey: SECRETS.arctos.licenseKey, baseUrl, clientId: "arctos-webapp", user: { ...ARCTOS_USER }, ...withBase(options) }),
  calls: {
    getAuthCode: { path: "/api/auth/code", call: (c, i) => c.getAuthCode({ body: { ...ARCTOS_USER }, ...i }) },
    getAuthTokenUseCode: {
      path: "/api/auth/login",
      before: "getAuthCode", // a fresh single-use code
      call: async (c, i) => {
        const { info } = await c.getAuthCode({ body: { ...ARCTOS_USER } });
        return c.getAuthTokenUseCode({ body: { grant_type: "authorization_code", client_id: "arctos-webapp", code: info.code }, ...i });
      },
    },
    checkAuthToken: { path: "/api/auth/check", call: (c, i) => c.checkAuthToken({ body: {}, ...i }) },
  },
  fake: (o = {}) => track("arctos", createFakeArctos({ licenseKey: SECRETS.arctos.licenseKey, ...o })),
  responder: (o) => fakeResponder(arctosKit.fake(o)),
  secrets: () => [SECRETS.arctos.licenseKey, ...made.filter((m) => m.provider === "arctos").flatMap((m) => issuedBy(m.fake))],
};

export const KITS: readonly Kit[] = [flipflopKit, polyvKit, soopKit, arctosKit];

// ---------------------------------------------------------------------------------------------------------------
// The same answers without a network: a recordingFetch that asks a Responder (for tests that inject `fetch`)

/** The Response a fault-server Answer describes. */
export function answerToResponse(answer: Answer): Response {
  const { status = 200, headers = {}, body } = answer;
  if (body === undefined || body === null) return new Response(null, { status, headers });
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return new Response(text, { status, headers: { "content-type": "application/json", ...headers } });
}

/** A Received (the fault server's view of a request) for a request recorded by recordingFetch. */
export function toReceived(rec: Recorded, index: number): Received {
  return {
    method: rec.method,
    path: rec.url.pathname,
    url: rec.url.pathname + rec.url.search,
    query: Object.fromEntries(rec.url.searchParams),
    headers: Object.fromEntries(rec.headers),
    body: rec.body,
    at: performance.now(),
    index: index + 1,
  };
}

/** A recordingFetch answering through `respond` (the kits' fakes, or anything else). */
export function responderFetch(respond: Responder) {
  return recordingFetch(async (rec, i) => answerToResponse(await respond(toReceived(rec, i))));
}
