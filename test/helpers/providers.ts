// One "kit" per provider for the reliability tests: distinctive secrets, a factory bound to a base URL (or an
// injected fetch), the smallest valid call of every operation with the concrete path it requests, and a success
// responder built from the spec's own 2xx examples (plus the token endpoints, which hand out distinctive
// tokens that count as secrets too).
import { createArctosClient, operations as arctosOperations, type ArctosClient } from "../../src/arctos/index.js";
import type { CommonOptions } from "../../src/core/options.js";
import type { OperationIndex } from "../../src/core/operation.js";
import { createFlipFlopClient, operations as flipflopOperations, type FlipFlopClient } from "../../src/flipflop/index.js";
import { createPolyvClient, operations as polyvOperations, type PolyvClient, type PolyvRateLimitOption } from "../../src/polyv/index.js";
import { createSoopClient, operations as soopOperations, type SoopClient, type SoopToken } from "../../src/soop/index.js";
import type { Answer, Received, Responder } from "./fault-server.js";
import { recordingFetch, type Recorded } from "./fetch.js";
import { loadSpec } from "./spec.js";

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

/** Tokens and codes the fake servers handed out in this module context (they are secrets as well). */
const issued: string[] = [];
let serial = 0;
const issue = (prefix: string, suffix: string) => {
  const value = `${prefix}-${++serial}-${suffix}`;
  issued.push(value);
  return value;
};

/** Every configured secret of every provider, plus every token or code issued so far. */
export function allSecrets(): string[] {
  return [
    SECRETS.flipflop.apiSecret,
    FLIPFLOP_BASIC,
    SECRETS.polyv.appSecret,
    SECRETS.soop.clientSecret,
    SECRETS.soop.accessToken,
    SECRETS.soop.refreshToken,
    SECRETS.arctos.licenseKey,
    ...issued,
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
  call: (c: C, init?: { signal?: AbortSignal }) => Promise<unknown>;
}

export interface Kit<C = any> {
  name: ProviderName;
  operations: OperationIndex;
  make(options?: KitOptions): C;
  /** The smallest valid call of every operation (every key of `operations`). */
  calls: Record<string, OperationCall<C>>;
  /** A fresh success responder (stateful: counters, issued tokens). */
  responder(): Responder & ArctosControl;
  /** This provider's secrets: the configured ones, plus the tokens and codes its fake server issued so far. */
  secrets(): string[];
}

export interface ArctosControl {
  /** Arctos only: tokens the fake server answers 1404 (expired) to. */
  dead?: Set<string>;
}

// ---------------------------------------------------------------------------------------------------------------
// Success answers from the spec

interface Example {
  status: number;
  mediaType: string;
  value: unknown;
}

function resolveRef(doc: any, node: any): any {
  while (node && typeof node.$ref === "string") {
    node = node.$ref.slice(2).split("/").reduce((n: any, k: string) => n[k.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
  }
  return node;
}

const exampleCache = new Map<ProviderName, Record<string, Example | undefined>>();

/** The first documented 2xx example of every operation (JSON preferred); the spec is read once per provider. */
export function successExamples(provider: ProviderName): Record<string, Example | undefined> {
  let cached = exampleCache.get(provider);
  if (!cached) exampleCache.set(provider, (cached = readSuccessExamples(provider)));
  return cached;
}

function readSuccessExamples(provider: ProviderName): Record<string, Example | undefined> {
  const doc = loadSpec(provider);
  const out: Record<string, Example | undefined> = {};
  for (const item of Object.values<any>(doc.paths)) {
    for (const op of Object.values<any>(item)) {
      if (!op?.operationId) continue;
      const statuses = Object.keys(op.responses ?? {}).filter((s) => /^2\d\d$/.test(s)).sort();
      for (const status of statuses) {
        const response = resolveRef(doc, op.responses[status]);
        const media = Object.entries<any>(response.content ?? {}).sort(([a], [b]) => Number(b.includes("json")) - Number(a.includes("json")));
        const [mediaType, m] = media[0] ?? [];
        if (!mediaType) {
          out[op.operationId] = { status: Number(status), mediaType: "", value: undefined };
          break;
        }
        const value = m.example !== undefined ? m.example : resolveRef(doc, Object.values<any>(m.examples ?? {})[0])?.value;
        out[op.operationId] = { status: Number(status), mediaType, value };
        break;
      }
    }
  }
  return out;
}

function templateMatcher(operations: OperationIndex): (method: string, path: string) => string | undefined {
  const routes = Object.entries(operations).map(([id, meta]) => ({
    id,
    method: meta.method,
    re: new RegExp(`^${meta.path.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[^/]+")}$`),
  }));
  return (method, path) => routes.find((r) => r.method === method && r.re.test(path))?.id;
}

/** The operationId a received request belongs to. */
export function operationOf(kit: Kit, rec: Pick<Received, "method" | "path">): string | undefined {
  return templateMatcher(kit.operations)(rec.method, rec.path);
}

function exampleAnswer(example: Example | undefined): Answer {
  if (!example) return { status: 200, body: {} };
  if (example.value === undefined) return { status: example.status };
  return {
    status: example.status,
    headers: { "content-type": example.mediaType },
    body: typeof example.value === "string" ? example.value : JSON.stringify(example.value),
  };
}

function specResponder(provider: ProviderName, operations: OperationIndex, overrides: Record<string, Responder> = {}): Responder {
  const examples = successExamples(provider);
  const match = templateMatcher(operations);
  return (rec) => {
    const id = match(rec.method, rec.path);
    if (!id) return { status: 404, body: { message: `no route ${rec.method} ${rec.path}` } };
    return overrides[id]?.(rec) ?? exampleAnswer(examples[id]);
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The kits

const withBase = (options: KitOptions) => ({ retry: false as const, ...options });

export const flipflopKit: Kit<FlipFlopClient> = {
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
  responder: () => specResponder("flipflop", flipflopOperations),
  secrets: () => [SECRETS.flipflop.apiSecret, FLIPFLOP_BASIC],
};

export const polyvKit: Kit<PolyvClient> = {
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
  responder: () => specResponder("polyv", polyvOperations),
  secrets: () => [SECRETS.polyv.appSecret],
};

const soopToken = (): SoopToken => ({ accessToken: SECRETS.soop.accessToken, refreshToken: SECRETS.soop.refreshToken, expiresAt: Date.now() + 3_600_000 });

export const soopKit: Kit<SoopClient> = {
  name: "soop",
  operations: soopOperations,
  make: ({ token = soopToken(), onToken, ...options } = {}) =>
    createSoopClient({ clientId: SECRETS.soop.clientId, clientSecret: SECRETS.soop.clientSecret, token, onToken, ...withBase(options) }),
  calls: {
    getAuthCode: { path: "/auth/code", call: (c, i) => c.getAuthCode({ ...i }) },
    issueAuthCode: { path: "/auth/code", call: (c, i) => c.issueAuthCode({ body: { auth_type: "api", certification_number: 111111 }, ...i }) },
    issueToken: { path: "/auth/token", call: (c, i) => c.issueToken({ body: { grant_type: "authorization_code", code: "soop-verification-code-77" }, ...i }) },
    getRtmpInfo: { path: "/broad/rtmp", call: (c, i) => c.getRtmpInfo({ body: { platform_type: "SOOP" }, ...i }) },
    updateBroadcastInfo: { path: "/broad/info/update", call: (c, i) => c.updateBroadcastInfo({ body: { title: "Late night" }, ...i }) },
    resetStreamKey: { path: "/broad/rtmp/reset", call: (c, i) => c.resetStreamKey({ ...i }) },
    listBroadcasts: { path: "/broad/list", call: (c, i) => c.listBroadcasts({ ...i }) },
    getAquaComponent: { path: "/aqua/component/get", call: (c, i) => c.getAquaComponent({ body: { platform_type: "pc", component_type: "chat" }, ...i }) },
    upsertFilter: { path: "/filter/keyword", call: (c, i) => c.upsertFilter({ params: { path: { type: "keyword" } }, body: { keyword: "toto", reason: "spam" }, ...i }) },
    deleteFilter: { path: "/filter/streamer", call: (c, i) => c.deleteFilter({ params: { path: { type: "streamer" } }, body: { black_id: "soop1" }, ...i }) },
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
  responder: () =>
    specResponder("soop", soopOperations, {
      issueToken: () => ({
        body: { access_token: issue("soop-new-access", "b81c"), refresh_token: issue("soop-new-refresh", "0f4d"), expires_in: 28800, token_type: "Bearer", scope: null },
      }),
    }),
  secrets: () => [SECRETS.soop.clientSecret, SECRETS.soop.accessToken, SECRETS.soop.refreshToken, ...issued.filter((s) => s.startsWith("soop-"))],
};

export const arctosKit: Kit<ArctosClient> = {
  name: "arctos",
  operations: arctosOperations,
  make: ({ baseUrl = "https://arctos.example.test", ...options } = {}) =>
    createArctosClient({ licenseKey: SECRETS.arctos.licenseKey, baseUrl, clientId: "arctos-webapp", user: { ...ARCTOS_USER }, ...withBase(options) }),
  calls: {
    getAuthCode: { path: "/api/auth/code", call: (c, i) => c.getAuthCode({ body: { ...ARCTOS_USER }, ...i }) },
    getAuthTokenUseCode: {
      path: "/api/auth/login",
      call: (c, i) => c.getAuthTokenUseCode({ body: { grant_type: "authorization_code", client_id: "arctos-webapp", code: "arctos-given-code-31" }, ...i }),
    },
    checkAuthToken: { path: "/api/auth/check", call: (c, i) => c.checkAuthToken({ body: {}, ...i }) },
  },
  responder: () => {
    const dead = new Set<string>();
    const respond = specResponder("arctos", arctosOperations, {
      getAuthCode: () => ({ body: { status: 1, message: "", info: { code: issue("arctos-auth-code", "9e1b") } } }),
      getAuthTokenUseCode: () => ({ body: { status: 1, message: "", info: { user_id: 1010000010, access_token: issue("arctos-access-token", "51fa") } } }),
      checkAuthToken: (rec) => {
        const token = rec.headers.authorization?.replace(/^Bearer /, "");
        if (token && dead.has(token)) return { status: 401, body: { status: 1404, message: "令牌已過期" } };
        return { body: { status: 1, message: "", info: { client_id: "arctos-webapp", user_id: 1010000010, role: "MODERATOR" } } };
      },
    });
    return Object.assign(respond, { dead });
  },
  secrets: () => [SECRETS.arctos.licenseKey, ...issued.filter((s) => s.startsWith("arctos-"))],
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

/** A recordingFetch answering through `respond` (the kits' success responders, or anything else). */
export function responderFetch(respond: Responder) {
  return recordingFetch(async (rec, i) => answerToResponse(await respond(toReceived(rec, i))));
}
