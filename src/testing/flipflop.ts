// A fake FlipFlop App Member API: HTTP Basic with the app's apiKey:apiSecret, members created by login and removed
// by deleteMembers, stream keys that a test can set ingesting and that force-terminate ends (key reissued, state
// INACTIVE, REQUEST_LOCKED for an immediate duplicate). Requests are checked against the spec's wire view; errors
// are the documented {errorCode, errorMessage} bodies.
import type { components } from "../../generated/flipflop.js";
import { operations, provider } from "../../generated/flipflop.operations.js";
import { jsonBodyValidators, requestValidators } from "../../generated/flipflop.wire-validators.js";
import { ConfigError } from "../core/errors.js";
import type { CompiledError } from "../core/validate.js";
import { base64url, extend, FakeCore, json, positive, randomHex, randomOf, requireText, type Answer, type Fake, type FakeOptions, type Routed } from "./core.js";

type MemberLoginRequest = components["schemas"]["MemberLoginRequest"];
export type FlipFlopOperationId = keyof typeof operations;

export interface FakeFlipFlopOptions extends FakeOptions {
  apiKey: string;
  apiSecret: string;
  /** Members that exist before the first request (an appUserId, or a whole login body). */
  members?: readonly (string | MemberLoginRequest)[];
  /**
   * How long a force-terminate stays "in progress", answering REQUEST_LOCKED to a duplicate for the same member
   * (the document: "a request is already in progress, but a duplicate request is made immediately"). Default
   * 1000 ms of the fake's clock; the document gives no figure.
   */
  terminateLockMs?: number;
}

export interface FakeFlipFlopStreamKey {
  readonly streamKey: string;
  /**
   * `INACTIVE` after a force-terminate (documented); `ACTIVE` otherwise (the document names no other state: an
   * assumption of this fake).
   */
  readonly streamKeyState: "ACTIVE" | "INACTIVE";
  /** RTMP ingestion in progress (set with `startIngest`). */
  readonly ingesting: boolean;
}

export interface FakeFlipFlopMember extends Omit<MemberLoginRequest, "customData"> {
  readonly customData?: Readonly<Record<string, string>>;
  /** The latest access token and when it expires (24 hours after the login, as documented). */
  readonly accessToken?: string;
  readonly accessTokenExpiresAt?: number;
  readonly streamingToken?: string;
  /** Undefined after `dropStreamKey` (then force-terminate answers STREAM_KEY_NOT_FOUND). */
  readonly streamKey: FakeFlipFlopStreamKey | undefined;
  readonly logins: number;
}

export interface FakeFlipFlop extends Fake<FlipFlopOperationId> {
  /** The members as they stand (copies). */
  readonly members: ReadonlyMap<string, FakeFlipFlopMember>;
  member(appUserId: string): FakeFlipFlopMember | undefined;
  /** The member's stream key starts RTMP ingestion (the member must exist and have a stream key). */
  startIngest(appUserId: string): void;
  /** The member's ingestion stops by itself. */
  stopIngest(appUserId: string): void;
  /** Removes the member's stream key, so force-terminate answers STREAM_KEY_NOT_FOUND. */
  dropStreamKey(appUserId: string): void;
}

/** The documented member access token lifetime. */
const ACCESS_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

// errorMessage texts are not documented word for word; these follow the document's remarks.
const MESSAGES = {
  EMPTY_APP_CREDENTIALS: "App credentials are empty.",
  INVALID_APP_CREDENTIALS: "App credentials are invalid.",
  UNSUPPORTED_HTTP_METHOD: "The HTTP method is not supported.",
  INVALID_HTTP_MESSAGE_BODY: "The HTTP message body is invalid.",
  INTERNAL_SERVER_ERROR: "An internal server error occurred.",
  EMPTY_APP_USER_ID: "Required appUserId request field is missing.",
  INVALID_APP_USER_ID_FORMAT: "The appUserId request field includes characters other than upper and lower case letters and numbers.",
  CUSTOM_TYPE_SIZE_UPPER_LIMIT_EXCEEDED: "customType field exceeds the maximum allowed length of 50 characters.",
  CUSTOM_DATA_ITEM_COUNT_UPPER_LIMIT_EXCEEDED: "The maximum number of customData items exceeded 10.",
  CUSTOM_DATA_ITEM_NAME_SIZE_UPPER_LIMIT_EXCEEDED: "customData item name exceeds the maximum length of 50 characters.",
  CUSTOM_DATA_ITEM_VALUE_SIZE_UPPER_LIMIT_EXCEEDED: "customData item value exceeds 50 characters.",
  MEMBER_NOT_FOUND: "Member resource does not exist.",
  STREAM_KEY_NOT_FOUND: "StreamKey resource does not exist.",
  REQUEST_LOCKED: "A request is already in progress, but a duplicate request was made immediately.",
  NOT_FOUND: "No such resource.",
} as const;

type Code = keyof typeof MESSAGES;
const error = (status: number, errorCode: Code): Answer => json(status, { errorCode, errorMessage: MESSAGES[errorCode] });

interface Member {
  profile: MemberLoginRequest;
  accessToken?: string;
  accessTokenExpiresAt?: number;
  streamingToken?: string;
  streamKey?: { streamKey: string; streamKeyState: "ACTIVE" | "INACTIVE"; ingesting: boolean };
  lockedUntil: number;
  logins: number;
}

const newStreamKey = () => ({ streamKey: `live_${randomOf("abcdefghijklmnopqrstuvwxyz0123456789", 20)}`, streamKeyState: "ACTIVE" as const, ingesting: false });

/**
 * The login body's broken rule as the document's error code, in the order of its error table; anything else the
 * spec refuses (a wrong type, say) is INVALID_HTTP_MESSAGE_BODY.
 */
function loginErrorCode(errors: readonly CompiledError[]): Code {
  const at = (field: string) => errors.filter((e) => e.instancePath === `/${field}` || e.instancePath.startsWith(`/${field}/`) || (e.instancePath === "" && e.params.missingProperty === field));
  const appUserId = at("appUserId");
  const customData = at("customData");
  const rules: [Code, boolean][] = [
    ["EMPTY_APP_USER_ID", appUserId.some((e) => e.keyword === "required" || e.keyword === "minLength")],
    ["INVALID_APP_USER_ID_FORMAT", appUserId.some((e) => e.keyword === "pattern")],
    ["CUSTOM_TYPE_SIZE_UPPER_LIMIT_EXCEEDED", at("customType").some((e) => e.keyword === "maxLength")],
    ["CUSTOM_DATA_ITEM_COUNT_UPPER_LIMIT_EXCEEDED", customData.some((e) => e.keyword === "maxProperties")],
    ["CUSTOM_DATA_ITEM_NAME_SIZE_UPPER_LIMIT_EXCEEDED", customData.some((e) => e.propertyName !== undefined && e.keyword === "maxLength")],
    ["CUSTOM_DATA_ITEM_VALUE_SIZE_UPPER_LIMIT_EXCEEDED", customData.some((e) => e.propertyName === undefined && e.keyword === "maxLength")],
  ];
  return rules.find(([, broken]) => broken)?.[0] ?? "INVALID_HTTP_MESSAGE_BODY";
}

/** `Basic base64(apiKey:apiSecret)` → the pair; "empty" when the header is absent or carries nothing. */
function basicPair(header: string | null): { user: string; password: string } | "empty" | "invalid" {
  if (header === null || header.trim() === "") return "empty";
  const match = /^Basic(?:\s+(\S*))?\s*$/i.exec(header);
  if (!match) return "invalid";
  if (!match[1]) return "empty";
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(atob(match[1]!), (c) => c.charCodeAt(0)));
  } catch {
    return "invalid";
  }
  const colon = text.indexOf(":");
  if (colon < 0) return "invalid";
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

export function createFakeFlipFlop(options: FakeFlipFlopOptions): FakeFlipFlop {
  const apiKey = requireText(provider, "apiKey", options?.apiKey);
  const apiSecret = requireText(provider, "apiSecret", options.apiSecret);
  const lockMs = positive(provider, "terminateLockMs", options.terminateLockMs, 1000);
  const members = new Map<string, Member>();

  for (const [i, seed] of (options.members ?? []).entries()) {
    const profile = typeof seed === "string" ? { appUserId: seed } : seed;
    if (!profile || typeof profile !== "object" || !jsonBodyValidators.loginMember!(structuredClone(profile))) {
      throw new ConfigError(provider, `members[${i}]`, "must be an appUserId or a login body the spec accepts");
    }
    if (members.has(profile.appUserId)) throw new ConfigError(provider, `members[${i}]`, `repeats appUserId ${profile.appUserId}`);
    members.set(profile.appUserId, { profile: structuredClone(profile), streamKey: newStreamKey(), lockedUntil: -Infinity, logins: 0 });
  }

  function login(req: Routed): Answer {
    let body: unknown;
    try {
      body = JSON.parse(req.body);
    } catch {
      return error(400, "INVALID_HTTP_MESSAGE_BODY");
    }
    const validate = jsonBodyValidators.loginMember!;
    if (!validate(body)) return error(400, loginErrorCode(validate.errors ?? []));
    const profile = body as MemberLoginRequest;
    const existing = members.get(profile.appUserId);
    const member: Member = existing ?? { profile: { appUserId: profile.appUserId }, streamKey: newStreamKey(), lockedUntil: -Infinity, logins: 0 };
    // A login brings the member's profile up to date with what the app sent.
    member.profile = { ...member.profile, ...profile };
    member.accessToken = `${base64url('{"alg":"HS256","typ":"JWT"}')}.${base64url(JSON.stringify({ sub: profile.appUserId, iat: Math.floor(req.at / 1000) }))}.${randomHex(16)}`;
    member.accessTokenExpiresAt = req.at + ACCESS_TOKEN_TTL_MS;
    member.streamingToken = randomHex(24);
    member.logins++;
    members.set(profile.appUserId, member);
    return json(200, { accessToken: member.accessToken, streamingToken: member.streamingToken });
  }

  function deleteMembers(req: Routed): Answer {
    const ids = req.params.appUserIds!.split(",");
    // Assumption (the document lists no error for it): an appUserId the spec refuses is a malformed request.
    if (!requestValidators.deleteMembers!({ path: { appUserIds: ids } })) return error(400, "INVALID_HTTP_MESSAGE_BODY");
    for (const id of ids) members.delete(id);
    return { status: 204 };
  }

  function forceTerminate(req: Routed): Answer {
    const id = req.params.appUserId!;
    // No member can have an appUserId the spec refuses.
    if (!requestValidators.forceTerminateMemberStreamKey!({ path: { appUserId: id } })) return error(404, "MEMBER_NOT_FOUND");
    const member = members.get(id);
    if (!member) return error(404, "MEMBER_NOT_FOUND");
    if (!member.streamKey) return error(404, "STREAM_KEY_NOT_FOUND");
    if (req.at < member.lockedUntil) return error(400, "REQUEST_LOCKED");
    // Not ingesting: a success that does nothing (documented).
    if (!member.streamKey.ingesting) return { status: 204 };
    member.streamKey = { ...newStreamKey(), streamKeyState: "INACTIVE" };
    member.lockedUntil = req.at + lockMs;
    return { status: 204 };
  }

  const handlers: Record<FlipFlopOperationId, (req: Routed) => Answer> = {
    loginMember: login,
    deleteMembers,
    forceTerminateMemberStreamKey: forceTerminate,
  };

  const core = new FakeCore<FlipFlopOperationId>(
    {
      provider,
      operations,
      handle(req) {
        const pair = basicPair(req.headers.get("authorization"));
        if (pair === "empty") return error(401, "EMPTY_APP_CREDENTIALS");
        if (pair === "invalid" || pair.user !== apiKey || pair.password !== apiSecret) return error(401, "INVALID_APP_CREDENTIALS");
        if (req.operationId === undefined) {
          // A path of the API with another method: documented. Any other path: an assumption (no document says).
          return req.samePath.length ? error(400, "UNSUPPORTED_HTTP_METHOD") : error(404, "NOT_FOUND");
        }
        return handlers[req.operationId as FlipFlopOperationId](req);
      },
      internalError: () => error(500, "INTERNAL_SERVER_ERROR"),
    },
    options,
  );

  const view = (m: Member): FakeFlipFlopMember => ({
    ...structuredClone(m.profile),
    accessToken: m.accessToken,
    accessTokenExpiresAt: m.accessTokenExpiresAt,
    streamingToken: m.streamingToken,
    streamKey: m.streamKey && { ...m.streamKey },
    logins: m.logins,
  });
  const existing = (appUserId: string): Member => {
    const m = members.get(appUserId);
    if (!m) throw new ConfigError(provider, "appUserId", `names no member of this fake: ${JSON.stringify(appUserId)}`);
    return m;
  };
  const withKey = (appUserId: string) => {
    const m = existing(appUserId);
    if (!m.streamKey) throw new ConfigError(provider, "appUserId", `names a member without a stream key: ${JSON.stringify(appUserId)}`);
    return m.streamKey;
  };

  return extend(core, {
    get members() {
      return new Map([...members].map(([id, m]) => [id, view(m)]));
    },
    member: (appUserId: string) => {
      const m = members.get(appUserId);
      return m && view(m);
    },
    startIngest: (appUserId: string) => {
      const key = withKey(appUserId);
      key.ingesting = true;
      key.streamKeyState = "ACTIVE";
    },
    stopIngest: (appUserId: string) => void (withKey(appUserId).ingesting = false),
    dropStreamKey: (appUserId: string) => void (existing(appUserId).streamKey = undefined),
  }) as FakeFlipFlop;
}
