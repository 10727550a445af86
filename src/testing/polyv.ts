// A fake Polyv live API: every request must carry the account's appId, a 13-digit timestamp within 3 minutes and a
// sign by Polyv's rule (MD5, or SHA256 with signatureMethod), checked with the client's own signPolyvParams; each
// client IP gets Polyv's budget (1500 requests in 10 s, then blocked for 5 minutes; configurable). It keeps the
// custom-field values saved per viewer and one secretKey per channel from oauth-custom, and can play Polyv's part
// in custom authorization (simulateViewerVisit). Answers use each endpoint's envelope: v4 {code, status, success,
// data, error, requestId}, v2 {code, status, message, data}.
import { md5 } from "@noble/hashes/legacy.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { info, operations, provider } from "../../generated/polyv.operations.js";
import { jsonBodyValidators, requestValidators } from "../../generated/polyv.wire-validators.js";
import { ConfigError } from "../core/errors.js";
import { issuesOf, type Issue } from "../core/validate.js";
import { signPolyvParams, type PolyvSignatureMethod } from "../polyv/sign.js";
import { extend, FakeCore, formFields, json, positive, randomHex, randomOf, requireText, type Answer, type Fake, type FakeOptions, type Routed } from "./core.js";

export type PolyvOperationId = keyof typeof operations;

export interface FakePolyvRateLimit {
  /** Requests one IP may send within `intervalMs` (default: the spec's 1500). */
  limit?: number;
  /** Default: the spec's 10 000 ms. */
  intervalMs?: number;
  /** How long an IP that went over stays blocked (default 5 minutes, as Polyv documents). */
  blockMs?: number;
}

export interface FakePolyvOptions extends FakeOptions {
  appId: string;
  appSecret: string;
  /** The live account ID; when given, oauth-custom answers `access forbidden` for any other `{userId}` (an assumption). */
  userId?: string;
  /** The account's channels (default: the document's example channel, 2191532). */
  channels?: readonly (string | number)[];
  /** Polyv's per-IP budget, or `false` for none. */
  rateLimit?: FakePolyvRateLimit | false;
  /** How far a `timestamp` may be from the fake's clock, either way (default 3 minutes, as documented). */
  timestampWindowMs?: number;
  /** v2 failures may come with HTTP 200 (documented): answer them so instead of with their 4xx/500 status. */
  v2FailuresWithHttp200?: boolean;
}

export interface FakePolyvChannel {
  readonly channelId: string;
  /** Set by oauth-custom. */
  readonly customUri: string | undefined;
  /** Issued by the first oauth-custom that configured the channel, and kept. */
  readonly secretKey: string | undefined;
}

export interface ViewerVisitOptions {
  channelId: string | number;
  /** Where Polyv sends the viewer (default: the customUri oauth-custom saved for the channel). */
  customUri?: string;
  /** The fetch that delivers the visit (default: the global fetch); e.g. your app's in-process handler. */
  fetch?: typeof globalThis.fetch;
  /** The visit's `ts` (default: the fake's clock); an old one tests your staleness check. */
  ts?: number;
  /** Sign with this key instead of the channel's (a forged visit). */
  secretKey?: string;
  /** Where the viewer goes back to (`url`; default the channel's watch page). */
  returnUrl?: string;
}

export interface ViewerVisit {
  /** The URL that was requested. */
  url: string;
  params: { id: string; ts: string; sign: string; url: string };
  /** Your endpoint's answer (redirects are not followed). */
  response: Response;
}

export interface FakePolyv extends Fake<PolyvOperationId> {
  /** The custom-field values saved for a viewer (customFieldId → value). */
  viewerValues(viewerId: string): Readonly<Record<string, string>>;
  channel(channelId: string | number): FakePolyvChannel | undefined;
  readonly channels: readonly FakePolyvChannel[];
  addChannel(channelId: string | number): void;
  /** Until when an IP is blocked (ms since the epoch), or undefined. */
  blockedUntil(ip?: string): number | undefined;
  /**
   * Plays Polyv's part when a viewer opens a channel with custom authorization: a GET of the channel's `customUri`
   * with `id` (channelId), `ts` (ms), `sign = md5(secretKey + id + secretKey + ts)` (lowercase hex) and `url`.
   */
  simulateViewerVisit(options: ViewerVisitOptions): Promise<ViewerVisit>;
}

/** How long Polyv blocks an IP that went over its budget, and how long a `timestamp` is valid (the spec's facts). */
const BLOCK_MS = info.rateLimit.blockMs;
const TIMESTAMP_WINDOW_MS = info.timestampValidMs;
const QPS = "qps exceeds number of calls";
const DOC_CHANNEL = "2191532";

type Kind = "v4" | "v2";
const KIND: Record<PolyvOperationId, Kind> = { saveViewerCustomFieldValues: "v4", updateChannelOauthCustom: "v2" };

interface Failure {
  status: number;
  message: string;
  /** v4 error.code, where documented (20001 application not found). */
  code?: number;
  /** v2 status text: "error" for validation (4xx), "fail" for business errors (500). */
  v2Status?: "error" | "fail";
}

const requestId = () => `${randomHex(16)}.${Math.floor(Math.random() * 200)}.${Date.now()}${randomOf("0123456789", 4)}`;
const channelText = (id: string | number) => String(id).trim();

export function createFakePolyv(options: FakePolyvOptions): FakePolyv {
  const appId = requireText(provider, "appId", options?.appId);
  const appSecret = requireText(provider, "appSecret", options.appSecret);
  const userId = options.userId === undefined ? undefined : requireText(provider, "userId", options.userId);
  const window = positive(provider, "timestampWindowMs", options.timestampWindowMs, TIMESTAMP_WINDOW_MS);
  const v2Http200 = options.v2FailuresWithHttp200 ?? false;
  if (typeof v2Http200 !== "boolean") throw new ConfigError(provider, "v2FailuresWithHttp200", "must be true or false");
  const budget = rateLimitOf(options.rateLimit);

  const channels = new Map<string, { customUri?: string; secretKey?: string }>();
  const addChannel = (id: string | number, option = "channels") => {
    const text = channelText(id);
    // Channel IDs are numbers; "0" is Polyv's "every channel", so it can not be a channel of its own.
    if (!/^[0-9]+$/.test(text) || /^0+$/.test(text)) throw new ConfigError(provider, option, `must hold channel IDs (digits, not 0), got ${JSON.stringify(id)}`);
    if (!channels.has(text)) channels.set(text, {});
  };
  for (const id of options.channels ?? [DOC_CHANNEL]) addChannel(id);

  const viewers = new Map<string, Map<string, string>>();
  const hits = new Map<string, { times: number[]; blockedUntil: number }>();

  /** Counts the request against its IP's budget; true when it is over (or the IP is blocked). */
  function overBudget(ip: string, at: number): boolean {
    if (!budget) return false;
    const h = hits.get(ip) ?? { times: [], blockedUntil: -Infinity };
    hits.set(ip, h);
    if (at < h.blockedUntil) return true;
    while (h.times.length && h.times[0]! <= at - budget.intervalMs) h.times.shift();
    h.times.push(at);
    if (h.times.length <= budget.limit) return false;
    h.blockedUntil = at + budget.blockMs;
    h.times = [];
    return true;
  }

  function failure(kind: Kind, f: Failure): Answer {
    if (kind === "v4") {
      return json(f.status, { code: f.status, status: "error", requestId: requestId(), error: { ...(f.code === undefined ? {} : { code: f.code }), desc: f.message }, success: false });
    }
    return json(v2Http200 ? 200 : f.status, { code: f.status, status: f.v2Status ?? (f.status >= 500 ? "fail" : "error"), message: f.message, data: "" });
  }

  /**
   * The signed-request checks, in Polyv's order of messages: appId, timestamp, sign. `fields` are the request's
   * parameters (v4: the query; v2: every parameter), `issues` what the wire schema found wrong with them.
   */
  function signedCheck(fields: Record<string, string>, issues: Issue[], at: number): Failure | undefined {
    const broken = (name: string) => issues.some((i) => i.path === name || i.path.endsWith(`.${name}`));
    if (broken("appId") || fields.appId !== appId) return { status: 400, message: "application not found.", code: 20001 };
    if (broken("timestamp") || !(Math.abs(at - Number(fields.timestamp)) <= window)) return { status: 400, message: "invalid timestamp." };
    if (broken("sign") || broken("signatureMethod")) return { status: 400, message: "invalid signature." };
    const method: PolyvSignatureMethod = fields.signatureMethod === "SHA256" ? "SHA256" : "MD5";
    // Whether signatureMethod is itself signed is unconfirmed (Polyv's own tools disagree): either reading passes.
    const { signatureMethod: _left, ...without } = fields;
    const valid = [signPolyvParams(fields, appSecret, method), signPolyvParams(without, appSecret, method)];
    if (!valid.includes(fields.sign!)) return { status: 400, message: "invalid signature." };
    return undefined;
  }

  // Assumption: a parameter the spec refuses, past the signature checks, answers 400 naming it (no document says).
  const parameterFailure = (issues: Issue[]): Failure => ({ status: 400, message: `invalid parameter: ${issues.map((i) => `${i.path.replace(/^(body|query|path)\./, "")} ${i.message}`).join("; ")}` });
  const credentials = new Set(["appId", "timestamp", "sign", "signatureMethod"]);
  const others = (issues: Issue[]) => issues.filter((i) => !credentials.has(i.path.replace(/^(body|query)\./, "")));

  function saveViewerValues(req: Routed): Answer {
    const query = { ...req.query };
    const issues = issuesOf(requestValidators.saveViewerCustomFieldValues!, { query: { ...query } });
    const denied = signedCheck(query, issues, req.at);
    if (denied) return failure("v4", denied);
    // Unknown query parameters are signed like the rest, and otherwise ignored.
    const rest = others(issues).filter((i) => i.rule !== "additionalProperties");
    if (rest.length) return failure("v4", parameterFailure(rest));
    let body: unknown;
    try {
      body = JSON.parse(req.body);
    } catch {
      return failure("v4", { status: 400, message: "invalid parameter: the body is not a JSON array" });
    }
    const bodyIssues = issuesOf(jsonBodyValidators.saveViewerCustomFieldValues!, body);
    if (bodyIssues.length) return failure("v4", parameterFailure(bodyIssues.map((i) => ({ ...i, path: `body${i.path.startsWith("[") ? "" : "."}${i.path}` }))));
    // The document marks no field required: an item without a viewer or a field has nothing to save.
    for (const { viewerId, customFieldId, customFieldValue } of body as { viewerId?: string; customFieldId?: string; customFieldValue?: string }[]) {
      if (viewerId === undefined || customFieldId === undefined) continue;
      const values = viewers.get(viewerId) ?? new Map<string, string>();
      values.set(customFieldId, customFieldValue ?? "");
      viewers.set(viewerId, values);
    }
    return json(200, { code: 200, status: "success", requestId: requestId(), data: null, success: true });
  }

  function oauthCustom(req: Routed): Answer {
    const form = formFields(req.body);
    // v2 signs every parameter of the request, wherever it travels.
    const fields = { ...req.query, ...form };
    const issues = issuesOf(requestValidators.updateChannelOauthCustom!, { path: { userId: req.params.userId }, body: { ...form } });
    const denied = signedCheck(fields, issues, req.at);
    if (denied) return failure("v2", denied);
    const rest = others(issues);
    if (rest.length) return failure("v2", parameterFailure(rest));
    // Assumption: another account's userId, or a channel not on the account, is Polyv's business error
    // `access forbidden` (documented as the example of a v2 business error).
    const forbidden: Failure = { status: 500, message: "access forbidden", v2Status: "fail" };
    if (userId !== undefined && req.params.userId !== userId) return failure("v2", forbidden);
    const requested = channelText(form.channelId ?? "");
    // Absent, empty or 0: every channel of the account (documented).
    const targets = requested === "" || /^0+$/.test(requested) ? [...channels.keys()] : [requested];
    if (targets.some((id) => !channels.has(id))) return failure("v2", forbidden);
    const data = targets.map((id) => {
      const channel = channels.get(id)!;
      channel.customUri = form.customUri;
      channel.secretKey ??= randomOf("abcdefghijklmnopqrstuvwxyz0123456789", 10);
      return { channelId: Number(id), secretKey: channel.secretKey };
    });
    return json(200, { code: 200, status: "success", message: "", data });
  }

  const core = new FakeCore<PolyvOperationId>(
    {
      provider,
      operations,
      handle(req) {
        const kind = req.operationId ? KIND[req.operationId as PolyvOperationId] : (req.samePath[0] !== undefined ? KIND[req.samePath[0] as PolyvOperationId] : "v2");
        // The budget counts every request to the domain, whatever it asks.
        if (overBudget(req.ip, req.at)) return failure(kind, { status: 429, message: QPS });
        // Assumption: another path or method answers 404 in the v2 shape (no document says).
        if (req.operationId === undefined) return failure(kind, { status: 404, message: "not found" });
        return req.operationId === "saveViewerCustomFieldValues" ? saveViewerValues(req) : oauthCustom(req);
      },
      internalError: (req) => failure(req.operationId === "saveViewerCustomFieldValues" ? "v4" : "v2", { status: 500, message: "internal error", v2Status: "fail" }),
    },
    options,
  );

  const channelView = (id: string): FakePolyvChannel => ({ channelId: id, customUri: channels.get(id)!.customUri, secretKey: channels.get(id)!.secretKey });

  return extend(core, {
    viewerValues: (viewerId: string) => Object.fromEntries(viewers.get(viewerId) ?? []),
    channel: (id: string | number) => (channels.has(channelText(id)) ? channelView(channelText(id)) : undefined),
    get channels() {
      return [...channels.keys()].map(channelView);
    },
    addChannel: (id: string | number) => addChannel(id, "channelId"),
    blockedUntil: (ip = "127.0.0.1") => {
      const until = hits.get(ip)?.blockedUntil;
      return until !== undefined && until > core.now() ? until : undefined;
    },
    async simulateViewerVisit(visit: ViewerVisitOptions): Promise<ViewerVisit> {
      const id = channelText(visit?.channelId ?? "");
      const channel = channels.get(id);
      if (!channel) throw new ConfigError(provider, "channelId", `names no channel of this fake: ${JSON.stringify(visit?.channelId)}`);
      const secretKey = visit.secretKey ?? channel.secretKey;
      const target = visit.customUri ?? channel.customUri;
      if (secretKey === undefined || target === undefined) {
        throw new ConfigError(provider, "channelId", `has no custom authorization yet: call updateChannelOauthCustom for channel ${id} first (or pass customUri and secretKey)`);
      }
      const ts = String(Math.trunc(visit.ts ?? core.now()));
      const params = {
        id,
        ts,
        sign: bytesToHex(md5(utf8ToBytes(secretKey + id + secretKey + ts))),
        url: visit.returnUrl ?? `https://live.polyv.cn/watch/${id}`,
      };
      const url = new URL(target);
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
      const send = visit.fetch ?? globalThis.fetch;
      const response = await send(url, { method: "GET", redirect: "manual" });
      return { url: url.href, params, response };
    },
  }) as FakePolyv;
}

function rateLimitOf(option: FakePolyvRateLimit | false | undefined): Required<FakePolyvRateLimit> | undefined {
  if (option === false) return undefined;
  if (option !== undefined && (option === null || typeof option !== "object")) throw new ConfigError(provider, "rateLimit", "must be { limit?, intervalMs?, blockMs? } or false");
  const limit = option?.limit ?? info.rateLimit.limit;
  if (!Number.isInteger(limit) || limit < 1) throw new ConfigError(provider, "rateLimit.limit", "must be a positive integer");
  return {
    limit,
    intervalMs: positive(provider, "rateLimit.intervalMs", option?.intervalMs, info.rateLimit.intervalMs),
    blockMs: positive(provider, "rateLimit.blockMs", option?.blockMs, BLOCK_MS),
  };
}
