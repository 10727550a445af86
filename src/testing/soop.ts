// A fake SOOP Open API: client_id / client_secret checked where the spec puts them; single-use verification codes
// (POST with the certification number, or GET as the browser redirect); access tokens that expire and refresh
// tokens that rotate (a used one is refused); broadcast settings, stream key reset, filters per type, the paged
// broad/list (60 a page, JSONP with `callback`), categories, embeds and station info.
//
// Failures: SOOP documents them only as HTTP 200 with `result` <= 0, and publishes no list of the codes. Where an
// operation's success answer is such an envelope, a failure is HTTP 200 `{ result: -1, msg }` (or the guide's
// -1320 for a bad standby time); -1 is the spec's marked assumption for every undocumented code. Where the success
// answer is no envelope (tokens, codes, lists, embeds), a failure takes the spec's marked (undocumented) HTTP 401
// (credentials) or 400 (malformed request) answer, `{ result: -1, msg }`.
import type { components } from "../../generated/soop.js";
import { operations, provider } from "../../generated/soop.operations.js";
import { requestValidators } from "../../generated/soop.wire-validators.js";
import { ConfigError } from "../core/errors.js";
import { issuesOf, type Issue } from "../core/validate.js";
import { extend, FakeCore, formFields, json, positive, randomHex, randomOf, requireText, type Answer, type Fake, type FakeOptions, type Routed } from "./core.js";

type S = components["schemas"];
export type SoopOperationId = keyof typeof operations;
export type FakeSoopBroadcast = S["BroadListItem"];
export type FakeSoopBroadcastSettings = S["BroadcastSettings"];
export type FakeSoopFilterType = "streamer" | "category" | "keyword";

export interface FakeSoopToken {
  accessToken: string;
  refreshToken: string;
  /** ms since the epoch. */
  expiresAt: number;
}

export interface FakeSoopUser {
  user_id: string;
  user_nick: string;
  station_name?: string;
  profile_image?: string;
  favorite_cnt?: number;
}

export interface FakeSoopFilterEntry {
  /** black_id, cate_no or keyword, by type. */
  target: string;
  reason: string;
  /** 1 registered by the partner, 2 registered by SOOP (can not be deleted). */
  type: 1 | 2;
}

export interface FakeSoopOptions extends FakeOptions {
  clientId: string;
  clientSecret: string;
  /** The Redirect URI registered with SOOP, where GET auth/code sends the browser (default https://app.example.com/soop/callback). */
  redirectUri?: string;
  /** The user's 6-digit certification number for POST auth/code (default "111111", the guide's sample). */
  certificationNumber?: string | number;
  /** Lifetime of an access token in seconds (default 28800, the guide's example). */
  accessTokenTtlSeconds?: number;
  /** How long a verification code stays usable (default: until used; the guide gives no lifetime). */
  codeTtlMs?: number;
  /** The `scope` token answers carry (default null, as in the guide's example). */
  scope?: string | null;
  /** Tokens that are valid from the start (e.g. the `token` your client is created with). */
  tokens?: readonly { accessToken: string; refreshToken?: string; expiresAt?: number }[];
  /** The user the tokens belong to. */
  user?: FakeSoopUser;
  /** Live broadcasts for broad/list: a number generates that many, or give the items. */
  broadcasts?: number | readonly Partial<FakeSoopBroadcast>[];
  /** Filter entries registered before the first request (SOOP's own have `type: 2`). */
  filters?: Partial<Record<FakeSoopFilterType, readonly FakeSoopFilterEntry[]>>;
}

export interface FakeSoop extends Fake<SoopOperationId> {
  /** A new valid token without the OAuth round trip (usable as createSoopClient's `token`). */
  grantToken(options?: { ttlSeconds?: number }): FakeSoopToken;
  /** A new verification code, as GET or POST auth/code would issue it. */
  issueCode(): string;
  /** The user's broadcast settings as broad/rtmp answers them. */
  readonly settings: FakeSoopBroadcastSettings;
  /** The user's current stream key. */
  readonly streamKey: string;
  /** Whether the user is live (startBroadcast); a stream key reset ends it. */
  readonly live: boolean;
  /** The user goes live: their broadcast joins broad/list. */
  startBroadcast(item?: Partial<FakeSoopBroadcast>): void;
  endBroadcast(): void;
  /** Every live broadcast, the user's included. */
  readonly broadcasts: readonly FakeSoopBroadcast[];
  filters(type: FakeSoopFilterType): readonly FakeSoopFilterEntry[];
  /** Makes an issued access token expire now (the next call with it fails). */
  expireAccessToken(accessToken: string): void;
}

const FILTER_FIELD: Record<FakeSoopFilterType, "black_id" | "cate_no" | "keyword"> = { streamer: "black_id", category: "cate_no", keyword: "keyword" };
const PAGE_SIZE = 60;

/** The category list (the guide's example, with English names for the other locales). */
const CATEGORIES: { cate_no: string; ko: string; en: string; child: { cate_no: string; ko: string; en: string }[] }[] = [
  { cate_no: "00130000", ko: "토크/캠방", en: "Talk/Cam", child: [] },
  { cate_no: "00330000", ko: "먹방/쿡방", en: "Mukbang/Cooking", child: [] },
  {
    cate_no: "00040000",
    ko: "게임",
    en: "Games",
    child: [
      { cate_no: "00040019", ko: "LOL", en: "LOL" },
      { cate_no: "00040075", ko: "TFT", en: "TFT" },
      { cate_no: "00040103", ko: "레전드 오브 룬테라", en: "Legends of Runeterra" },
      { cate_no: "00040066", ko: "배틀그라운드", en: "PUBG: BATTLEGROUNDS" },
    ],
  },
];
const LEAF_CATEGORIES = ["00130000", "00330000", "00040019", "00040075", "00040103", "00040066"];

/** broad/list with select_key=lang (the guide's example). */
const LANGUAGES: Record<string, string> = {
  ko_KR: "Korean", th_TH: "Thai", en_US: "English", zh_CN: "Chinese", es_ES: "Spanish", pt_PT: "Portuguese", ja_JP: "Japanese",
  de_DE: "German", hi_IN: "Hindi", id_ID: "Indonesian", ms_MY: "Malay", ru_RU: "Russian", fr_FR: "French", ar_SA: "Arabic",
  tl_PH: "Filipino", vi_VN: "Vietnamese", etc: "Other",
};

/** Only these operations answer success as the result envelope; a failure then is HTTP 200 with result <= 0. */
const ENVELOPE: ReadonlySet<SoopOperationId> = new Set(["getRtmpInfo", "updateBroadcastInfo", "resetStreamKey", "getAquaComponent", "upsertFilter", "deleteFilter", "getStationInfo"]);

const CREDENTIALS = new Set(["client_id", "client_secret", "access_token"]);
const fieldOf = (issue: Issue) => issue.path.replace(/^(body|query|path)\./, "").split(/[.[]/)[0]!;
const describeIssues = (issues: Issue[]) => issues.map((i) => `${i.path.replace(/^(body|query|path)\./, "")} ${i.message}`).join("; ");
const pad8 = (n: string | number) => String(n).padStart(8, "0");
const dateTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");

function generateBroadcasts(count: number): FakeSoopBroadcast[] {
  return Array.from({ length: count }, (_, i) => ({
    broad_title: `Broadcast ${i + 1}`,
    visit_broad_type: "0",
    is_password: "0",
    broad_cate_no: LEAF_CATEGORIES[i % LEAF_CATEGORIES.length]!,
    broad_no: String(100000 + i + 1),
    user_id: `streamer${i + 1}`,
    user_nick: `Streamer ${i + 1}`,
    profile_img: `//profile.img.sooplive.co.kr/LOGO/st/streamer${i + 1}/streamer${i + 1}.jpg`,
    broad_thumb: `//liveimg.sooplive.co.kr/m/${100000 + i + 1}`,
    broad_start: dateTime(Date.UTC(2026, 0, 1, 0, 0, 0) + i * 60_000),
    broad_grade: "0",
    broad_bps: "2000",
    broad_resolution: "1280x720",
    paid_promotion: 0,
    total_view_cnt: String(10 * (count - i)),
  }));
}

function completeBroadcast(item: Partial<FakeSoopBroadcast>, i: number): FakeSoopBroadcast {
  return { ...generateBroadcasts(i + 1)[i]!, ...item };
}

export function createFakeSoop(options: FakeSoopOptions): FakeSoop {
  const clientId = requireText(provider, "clientId", options?.clientId);
  const clientSecret = requireText(provider, "clientSecret", options.clientSecret);
  const redirectUri = options.redirectUri ?? "https://app.example.com/soop/callback";
  if (typeof redirectUri !== "string" || !URL.canParse(redirectUri)) throw new ConfigError(provider, "redirectUri", "must be an absolute URL");
  const certificationNumber = String(options.certificationNumber ?? "111111");
  if (!/^[0-9]{6}$/.test(certificationNumber)) throw new ConfigError(provider, "certificationNumber", "must be 6 digits");
  const ttlSeconds = positive(provider, "accessTokenTtlSeconds", options.accessTokenTtlSeconds, 28_800);
  if (!Number.isInteger(ttlSeconds)) throw new ConfigError(provider, "accessTokenTtlSeconds", "must be a whole number of seconds");
  const codeTtlMs = options.codeTtlMs === undefined ? Infinity : positive(provider, "codeTtlMs", options.codeTtlMs, 0);
  const scope = options.scope ?? null;
  if (scope !== null && typeof scope !== "string") throw new ConfigError(provider, "scope", "must be a string or null");
  const user: Required<FakeSoopUser> = {
    user_id: "soop1234",
    user_nick: "꿀잼",
    station_name: "",
    profile_image: "",
    favorite_cnt: 0,
    ...options.user,
  };
  requireText(provider, "user.user_id", user.user_id);
  user.station_name ||= `${user.user_nick}님의 방송국`;
  user.profile_image ||= `//profile.img.sooplive.co.kr/LOGO/${user.user_id.slice(0, 2)}/${user.user_id}/${user.user_id}.jpg`;

  const seeded = options.broadcasts ?? [];
  if (!(Array.isArray(seeded) || (Number.isInteger(seeded) && (seeded as number) >= 0))) {
    throw new ConfigError(provider, "broadcasts", "must be a count or an array of broadcasts");
  }
  const others: FakeSoopBroadcast[] = typeof seeded === "number" ? generateBroadcasts(seeded) : seeded.map(completeBroadcast);
  let own: FakeSoopBroadcast | undefined;

  const filters: Record<FakeSoopFilterType, Map<string, { reason: string; type: 1 | 2 }>> = { streamer: new Map(), category: new Map(), keyword: new Map() };
  for (const [type, entries] of Object.entries(options.filters ?? {}) as [FakeSoopFilterType, readonly FakeSoopFilterEntry[]][]) {
    if (!(type in filters) || !Array.isArray(entries)) throw new ConfigError(provider, "filters", "must map streamer, category or keyword to entries");
    for (const e of entries) {
      if (typeof e?.target !== "string" || e.target === "" || typeof e.reason !== "string" || (e.type !== 1 && e.type !== 2)) {
        throw new ConfigError(provider, `filters.${type}`, "entries must be { target, reason, type: 1 | 2 }");
      }
      filters[type].set(e.target, { reason: e.reason, type: e.type });
    }
  }

  const codes = new Map<string, { issuedAt: number; used: boolean }>();
  const accessTokens = new Map<string, { expiresAt: number }>();
  const refreshTokens = new Map<string, { used: boolean }>();
  let streamKey = `${user.user_id}-${randomOf("0123456789", 7)}`;
  const settings: FakeSoopBroadcastSettings = {
    title: `${user.user_nick}\`s SOOP stream`,
    category: "00000000",
    language: "ko_KR",
    allowed_view_cnt: 100000,
    is_password: 0,
    broad_hidden: 0,
    broad_grade: 0,
    hashtags: "",
    broad_ending_msg: "",
    is_wait: 0,
    waiting_time: 10,
    water_mark: 1,
    broad_tune_out: 1,
    paid_promotion: 0,
  };

  const now = () => core.now();
  function mintToken(ttl = ttlSeconds): FakeSoopToken {
    const token = { accessToken: randomHex(16), refreshToken: randomHex(16), expiresAt: now() + ttl * 1000 };
    accessTokens.set(token.accessToken, { expiresAt: token.expiresAt });
    refreshTokens.set(token.refreshToken, { used: false });
    return token;
  }
  function mintCode(): string {
    const code = randomHex(12);
    codes.set(code, { issuedAt: now(), used: false });
    return code;
  }

  // ---- answers
  const envelope = (result: number, msg: string) => json(200, { result, msg });
  /** A failure of `id`, in the shape its success answer allows (see the header). */
  function fail(id: SoopOperationId, kind: "credentials" | "request", msg: string): Answer {
    if (ENVELOPE.has(id)) return envelope(-1, msg);
    return json(kind === "credentials" && id !== "getAuthCode" && id !== "getEmbedInfo" && id !== "postEmbedInfo" ? 401 : 400, { result: -1, msg });
  }

  /** The request's fields as the spec's wire schema sees them, and what it finds wrong (unknown fields aside). */
  function checked(req: Routed): { fields: Record<string, any>; issues: Issue[] } {
    const id = req.operationId as SoopOperationId;
    const meta = operations[id];
    const input: Record<string, unknown> = {};
    if (Object.keys(req.params).length) input.path = { ...req.params };
    let fields: Record<string, any>;
    if (meta.method === "GET") fields = input.query = { ...req.query };
    else fields = input.body = formFields(req.body);
    const issues = issuesOf(requestValidators[id]!, input).filter((i) => !(i.rule === "additionalProperties" && i.path.split(".").length <= 2));
    return { fields, issues };
  }

  /** The checks of the credentials the operation's spec names, in the order client, secret, token. */
  function credentialFailure(id: SoopOperationId, fields: Record<string, any>, issues: Issue[], at: number): Answer | undefined {
    const names = new Set(operations[id].credentials.map((c) => ("name" in c ? c.name : "")));
    const bad = (name: string) => issues.some((i) => fieldOf(i) === name);
    if (names.has("client_id") && (bad("client_id") || fields.client_id !== clientId)) return fail(id, "credentials", "Invalid client_id.");
    if (names.has("client_secret") && (bad("client_secret") || fields.client_secret !== clientSecret)) return fail(id, "credentials", "Invalid client_secret.");
    if (names.has("access_token")) {
      const token = bad("access_token") ? undefined : accessTokens.get(fields.access_token);
      if (!token) return fail(id, "credentials", "Invalid access token.");
      if (at >= token.expiresAt) return fail(id, "credentials", "The access token has expired.");
    }
    return undefined;
  }

  const handlers: Record<SoopOperationId, (req: Routed, fields: Record<string, any>, issues: Issue[]) => Answer> = {
    getAuthCode() {
      const location = new URL(redirectUri);
      location.searchParams.set("code", mintCode());
      return { status: 302, headers: { location: location.href } };
    },
    issueAuthCode(req, fields, issues) {
      if (issues.length) return fail("issueAuthCode", "request", `Invalid request parameter: ${describeIssues(issues)}`);
      if (String(fields.certification_number) !== certificationNumber) return fail("issueAuthCode", "credentials", "Invalid certification number.");
      return json(200, { code: mintCode() });
    },
    issueToken(req, fields, issues) {
      if (issues.length) return fail("issueToken", "request", `Invalid request parameter: ${describeIssues(issues)}`);
      if (fields.grant_type === "authorization_code") {
        const code = codes.get(fields.code);
        if (!code || code.used || req.at >= code.issuedAt + codeTtlMs) return fail("issueToken", "credentials", "Invalid verification code.");
        code.used = true; // single-use, whatever happens next
      } else {
        const refresh = refreshTokens.get(fields.refresh_token);
        if (!refresh || refresh.used) return fail("issueToken", "credentials", "Invalid refresh token.");
        refresh.used = true; // refresh tokens rotate: this one is spent
      }
      const token = mintToken();
      return json(200, { access_token: token.accessToken, expires_in: ttlSeconds, token_type: "Bearer", scope, refresh_token: token.refreshToken });
    },
    getRtmpInfo(_req, _fields, issues) {
      if (issues.length) return envelope(-1, `Invalid request parameter: ${describeIssues(issues)}`);
      return json(200, { result: 1, msg: "Success", data: { rtmp: "rtmp://stream.sooplive.co.kr/app/", key: streamKey, data: { ...settings } } });
    },
    updateBroadcastInfo(_req, f, issues) {
      if (issues.some((i) => fieldOf(i) === "waiting_time")) return envelope(-1320, "The broadcast standby time setting is incorrect.(515)");
      if (issues.length) return envelope(-1, `Invalid request parameter: ${describeIssues(issues)}`);
      const int = (v: unknown) => Number(v);
      if (f.title !== undefined) settings.title = f.title;
      if (f.category !== undefined) settings.category = pad8(f.category);
      if (f.language !== undefined) settings.language = f.language;
      if (f.allowed_view_cnt !== undefined) settings.allowed_view_cnt = int(f.allowed_view_cnt);
      if (f.broad_pwd_chk !== undefined) settings.is_password = int(f.broad_pwd_chk) as 0 | 1;
      if (f.broad_hidden !== undefined) settings.broad_hidden = int(f.broad_hidden) as 0 | 1;
      if (f.broad_grade !== undefined) settings.broad_grade = int(f.broad_grade) as 0 | 19;
      if (f.hashtags !== undefined) settings.hashtags = f.hashtags;
      if (f.broad_ending_msg !== undefined) settings.broad_ending_msg = f.broad_ending_msg;
      if (f.is_wait !== undefined) settings.is_wait = int(f.is_wait) as 0 | 1;
      if (f.waiting_time !== undefined) settings.waiting_time = int(f.waiting_time);
      if (f.water_mark !== undefined) settings.water_mark = int(f.water_mark) as 1;
      if (f.broad_tune_out !== undefined) settings.broad_tune_out = int(f.broad_tune_out) as 0 | 1;
      if (f.paid_promotion !== undefined) settings.paid_promotion = int(f.paid_promotion) as 0 | 1;
      if (own) own = { ...own, broad_title: settings.title!, broad_cate_no: settings.category!, broad_grade: String(settings.broad_grade) };
      return envelope(1, "Broadcast information change processed successfully.");
    },
    resetStreamKey(_req, _fields, issues) {
      if (issues.length) return envelope(-1, `Invalid request parameter: ${describeIssues(issues)}`);
      streamKey = `${user.user_id}-${randomOf("0123456789", 7)}`;
      own = undefined; // a reset during a broadcast ends it (documented)
      return json(200, { result: 1, msg: "Success", stream_key: streamKey });
    },
    listBroadcasts(req, q, issues) {
      if (issues.length) return fail("listBroadcasts", "request", `Invalid request parameter: ${describeIssues(issues)}`);
      const time = Math.floor(req.at / 1000);
      let answer: unknown;
      if (q.select_key === "lang") {
        answer = { total_cnt: 1, page_no: 1, broad: { ...LANGUAGES }, time };
      } else {
        const page = q.page_no === undefined ? 1 : Number(q.page_no);
        const list = visible(q.select_value ?? "", q.order_type ?? "view_cnt");
        const broad = page >= 1 ? list.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE) : [];
        answer = { total_cnt: list.length, page_no: page, page_block: PAGE_SIZE, broad, time };
      }
      if (q.callback === undefined) return json(200, answer);
      // Assumption: a callback that is no JavaScript name is refused (SOOP's answer to it is not documented).
      if (!/^[A-Za-z_$][\w$.]*$/.test(q.callback)) return fail("listBroadcasts", "request", "Invalid callback.");
      return { status: 200, headers: { "content-type": "text/javascript;charset=UTF-8" }, text: `${q.callback}(${JSON.stringify(answer)});` };
    },
    getAquaComponent(_req, f, issues) {
      if (issues.length) return envelope(-1, `Invalid request parameter: ${describeIssues(issues)}`);
      const key = `${user.user_id}.${f.platform_type ?? "pc"}.${f.component_type ?? "chat"}`;
      return json(200, { result: 1, msg: "성공", data: { component_url: `https://aqua.sooplive.co.kr/component.php?szKey=.A32.${encodeURIComponent(btoa(key))}` } });
    },
    upsertFilter(req, f, issues) {
      const type = req.params.type as FakeSoopFilterType;
      const field = FILTER_FIELD[type];
      if (issues.length) return envelope(-1, `Invalid request parameter: ${describeIssues(issues)}`);
      if (!field || typeof f[field] !== "string" || f[field] === "") return envelope(-1, `Invalid request parameter: ${field ?? "type"} is required for filter/${type}`);
      const existing = filters[type].get(f[field]);
      filters[type].set(f[field], { reason: f.reason, type: existing?.type ?? 1 });
      return envelope(1, "Register Complete");
    },
    deleteFilter(req, f, issues) {
      const type = req.params.type as FakeSoopFilterType;
      const field = FILTER_FIELD[type];
      if (issues.length) return envelope(-1, `Invalid request parameter: ${describeIssues(issues)}`);
      if (!field || typeof f[field] !== "string" || f[field] === "") return envelope(-1, `Invalid request parameter: ${field ?? "type"} is required for filter/${type}`);
      const entry = filters[type].get(f[field]);
      // Assumption: deleting what is not registered is a failure (the guide does not say what it answers).
      if (!entry) return envelope(-1, "The filtering target is not registered.");
      if (entry.type === 2) return envelope(-1, "Filtering registered by SOOP can not be deleted.");
      filters[type].delete(f[field]);
      return envelope(1, "Deletion complete");
    },
    listFilters(req, _q, issues) {
      const type = req.params.type as FakeSoopFilterType;
      if (issues.length) return fail("listFilters", "request", `Invalid request parameter: ${describeIssues(issues)}`);
      const filter_list = [...filters[type]].map(([target, e]) => {
        if (type === "category") return { cate_name: categoryName(target, "ko_KR"), cate_no: target, reason: e.reason, type: e.type };
        return { [FILTER_FIELD[type]]: target, reason: e.reason, type: e.type };
      });
      return json(200, { filter_list });
    },
    listCategories(_req, q, issues) {
      if (issues.length) return fail("listCategories", "request", `Invalid request parameter: ${describeIssues(issues)}`);
      const name = (c: { ko: string; en: string }) => (q.locale === undefined || q.locale === "ko_KR" ? c.ko : c.en);
      const broad_category = CATEGORIES.map((c) => ({ cate_name: name(c), cate_no: c.cate_no, child: c.child.map((k) => ({ cate_name: name(k), cate_no: k.cate_no })) }));
      return json(200, { broad_category });
    },
    getEmbedInfo: (req, f, issues) => embed("getEmbedInfo", f, issues),
    postEmbedInfo: (req, f, issues) => embed("postEmbedInfo", f, issues),
    getStationInfo(req, _f, issues) {
      if (issues.length) return envelope(-1, `Invalid request parameter: ${describeIssues(issues)}`);
      const latest = own?.broad_start ?? dateTime(req.at - 86_400_000);
      return json(200, {
        result: 1,
        msg: "Success",
        data: { user_nick: user.user_nick, station_name: user.station_name, profile_image: user.profile_image, lately_broad_date: latest, favorite_cnt: user.favorite_cnt },
      });
    },
  };

  function categoryName(cateNo: string, locale: string): string {
    for (const c of CATEGORIES) {
      for (const k of [c, ...c.child]) if (k.cate_no === cateNo) return locale === "ko_KR" ? k.ko : k.en;
    }
    return "";
  }

  /** A parent category (XXXX0000) includes its children (documented). */
  const inCategory = (cate: string, wanted: string) => cate === wanted || (/^\d{4}0000$/.test(wanted) && cate.slice(0, 4) === wanted.slice(0, 4));

  /** broad/list as the partner sees it: the live broadcasts minus its filters, in the asked order. */
  function visible(category: string, order: string): FakeSoopBroadcast[] {
    const all = own ? [own, ...others] : [...others];
    const list = all.filter(
      (b) =>
        (category === "" || inCategory(b.broad_cate_no ?? "", category)) &&
        !filters.streamer.has(b.user_id ?? "") &&
        ![...filters.category.keys()].some((c) => inCategory(b.broad_cate_no ?? "", c)) &&
        ![...filters.keyword.keys()].some((k) => (b.broad_title ?? "").includes(k)),
    );
    return order === "broad_start"
      ? list.sort((a, b) => (b.broad_start ?? "").localeCompare(a.broad_start ?? ""))
      : list.sort((a, b) => Number(b.total_view_cnt ?? 0) - Number(a.total_view_cnt ?? 0));
  }

  function embed(id: "getEmbedInfo" | "postEmbedInfo", f: Record<string, any>, issues: Issue[]): Answer {
    if (issues.length) return fail(id, "request", `Invalid request parameter: ${describeIssues(issues)}`);
    // Assumption: a URL that names no SOOP VOD is a malformed request (the guide does not say).
    const vod = /^https?:\/\/(?:vod\.sooplive\.co\.kr|vod\.afreecatv\.com|v\.afree\.ca)\/(?:player|ST)\/(\d+)/.exec(String(f.vod_url))?.[1];
    if (!vod) return fail(id, "request", "Invalid vod_url.");
    const w = f.width === undefined ? undefined : Number(f.width);
    const h = f.height === undefined ? undefined : Number(f.height);
    // 16:9 from the width; 640x360 without either (documented).
    const width = w ?? (h === undefined ? 640 : Math.round((h * 16) / 9));
    const height = w === undefined ? (h ?? 360) : Math.round((w * 9) / 16);
    return json(200, {
      version: "1.0",
      type: "video",
      provider_name: "SOOP",
      provider_url: "https://www.sooplive.co.kr",
      width,
      height,
      title: `VOD ${vod}`,
      author_name: user.user_nick,
      author_url: `https://www.sooplive.co.kr/station/${user.user_id}`,
      html: `<iframe src="https://vod.sooplive.co.kr/player/${vod}/embed" width="${width}" height="${height}" frameborder="0" allowfullscreen></iframe>`,
    });
  }

  const core = new FakeCore<SoopOperationId>(
    {
      provider,
      operations,
      handle(req) {
        // Assumption: another path or method answers 404 with the envelope (no document says).
        if (req.operationId === undefined) return json(404, { result: -1, msg: "Not found." });
        const id = req.operationId as SoopOperationId;
        const { fields, issues } = checked(req);
        const denied = credentialFailure(id, fields, issues, req.at);
        if (denied) return denied;
        return handlers[id](req, fields, issues.filter((i) => !CREDENTIALS.has(fieldOf(i))));
      },
      internalError: (req) => (req.operationId && ENVELOPE.has(req.operationId as SoopOperationId) ? envelope(-1, "Internal error.") : json(500, { result: -1, msg: "Internal error." })),
    },
    options,
  );

  for (const [i, t] of (options.tokens ?? []).entries()) {
    if (typeof t?.accessToken !== "string" || t.accessToken === "") throw new ConfigError(provider, `tokens[${i}].accessToken`, "is required");
    if (t.expiresAt !== undefined && !Number.isFinite(t.expiresAt)) throw new ConfigError(provider, `tokens[${i}].expiresAt`, "must be ms since the epoch");
    accessTokens.set(t.accessToken, { expiresAt: t.expiresAt ?? now() + ttlSeconds * 1000 });
    if (t.refreshToken !== undefined) refreshTokens.set(t.refreshToken, { used: false });
  }

  return extend(core, {
    grantToken: (o: { ttlSeconds?: number } = {}) => mintToken(positive(provider, "ttlSeconds", o?.ttlSeconds, ttlSeconds)),
    issueCode: mintCode,
    get settings() {
      return { ...settings };
    },
    get streamKey() {
      return streamKey;
    },
    get live() {
      return own !== undefined;
    },
    startBroadcast(item: Partial<FakeSoopBroadcast> = {}) {
      own = {
        ...completeBroadcast({}, 0),
        broad_title: settings.title!,
        broad_cate_no: settings.category!,
        broad_no: randomOf("0123456789", 9),
        user_id: user.user_id,
        user_nick: user.user_nick,
        profile_img: user.profile_image,
        broad_start: dateTime(now()),
        broad_grade: String(settings.broad_grade),
        is_password: String(settings.is_password),
        paid_promotion: settings.paid_promotion!,
        total_view_cnt: "0",
        ...item,
      };
    },
    endBroadcast() {
      own = undefined;
    },
    get broadcasts() {
      return own ? [{ ...own }, ...others.map((b) => ({ ...b }))] : others.map((b) => ({ ...b }));
    },
    filters: (type: FakeSoopFilterType) => [...(filters[type] ?? [])].map(([target, e]) => ({ target, ...e })),
    expireAccessToken(accessToken: string) {
      const t = accessTokens.get(accessToken);
      if (!t) throw new ConfigError(provider, "accessToken", "names no token this fake issued");
      t.expiresAt = Math.min(t.expiresAt, now());
    },
  }) as FakeSoop;
}
