// A fake Arctos Auth API: the license key (arc-license-key) buys a single-use code valid for ten minutes, the code
// buys a JWT access token that expires, and checkAuthToken checks the Bearer token, answering the document's token
// errors (1401 empty, 1402 wrong type, 1404 expired, 1405 invalid) and license errors (34xx) in its envelope.
import { info, operations, provider } from "../../generated/arctos.operations.js";
import { jsonBodyValidators } from "../../generated/arctos.wire-validators.js";
import { ConfigError } from "../core/errors.js";
import { base64url, extend, FakeCore, json, positive, randomOf, requireText, type Answer, type Fake, type FakeOptions, type Routed } from "./core.js";

export type ArctosOperationId = keyof typeof operations;
export type ArctosLicenseError = 3401 | 3402 | 3403 | 3404 | 3405 | 3406;

export interface FakeArctosOptions extends FakeOptions {
  licenseKey: string;
  /** How long a code from getAuthCode stays usable (default 10 minutes, as documented). */
  codeTtlMs?: number;
  /** How long an access token lives (default 1 hour; the document gives no lifetime). */
  tokenTtlMs?: number;
  /** Added to checkAuthToken's `info` when given (the document gives only their types). */
  licenseRoom?: number;
  licensePath?: string;
  /** The license fails with this code (HTTP 403) from the start; see also `setLicenseError`. */
  licenseError?: ArctosLicenseError;
}

export interface FakeArctosSession {
  readonly accessToken: string;
  /** The caller's user_id (the getAuthCode body's). */
  readonly userId: string;
  /** The numeric ID the fake gave that user (ihh's user_id). */
  readonly ihhUserId: number;
  readonly clientId: string;
  readonly role: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** `expired` and `invalid` tokens answer 1404 and 1405. */
  readonly state: "valid" | "expired" | "invalid";
}

export interface FakeArctos extends Fake<ArctosOperationId> {
  /** Every access token issued (for one user when `userId` is given), oldest first. */
  sessions(userId?: string): readonly FakeArctosSession[];
  /** The token answers 1404 (token expired) from now on. */
  expireToken(accessToken: string): void;
  /** The token answers 1405 (token invalid) from now on. */
  invalidateToken(accessToken: string): void;
  /** From now on getAuthCode and checkAuthToken fail with this license error (HTTP 403); undefined restores the license. */
  setLicenseError(code: ArctosLicenseError | undefined): void;
}

const LICENSE_ERRORS = new Set([3401, 3402, 3403, 3404, 3405, 3406]);
const messages: Readonly<Record<string, string>> = info.errorMessages;

/**
 * A failure as the document's tables give it (specs/arctos.yaml ErrorResponse): the specific code in `status`
 * (1401-1405, 3401-3406), else `status` 0 (unauthorized access; and, the spec's marked assumption, the bare 403
 * and 404), with the code's meaning from the spec (info.errorMessages) as `message`.
 */
function failure(httpStatus: number, code: number): Answer {
  return json(httpStatus, { status: code === httpStatus ? 0 : code, message: messages[String(code)] ?? "" });
}

const unauthorizedAccess = () => failure(200, 0);
const forbidden = () => failure(403, 403);
const notFound = () => failure(404, 404);

export function createFakeArctos(options: FakeArctosOptions): FakeArctos {
  const licenseKey = requireText(provider, "licenseKey", options?.licenseKey);
  const codeTtlMs = positive(provider, "codeTtlMs", options.codeTtlMs, 10 * 60 * 1000);
  const tokenTtlMs = positive(provider, "tokenTtlMs", options.tokenTtlMs, 60 * 60 * 1000);
  if (options.licenseRoom !== undefined && (typeof options.licenseRoom !== "number" || !Number.isFinite(options.licenseRoom))) {
    throw new ConfigError(provider, "licenseRoom", "must be a number");
  }
  if (options.licensePath !== undefined && typeof options.licensePath !== "string") throw new ConfigError(provider, "licensePath", "must be a string");
  const checkLicenseError = (code: unknown, option: string) => {
    if (code !== undefined && !LICENSE_ERRORS.has(code as number)) throw new ConfigError(provider, option, "must be one of 3401-3406, or undefined");
    return code as ArctosLicenseError | undefined;
  };
  let licenseError = checkLicenseError(options.licenseError, "licenseError");

  const users = new Map<string, { ihhUserId: number; name: string; role: string }>();
  const codes = new Map<string, { userId: string; issuedAt: number; used: boolean }>();
  const sessions = new Map<string, { userId: string; clientId: string; role: string; issuedAt: number; expiresAt: number; state: "valid" | "expired" | "invalid" }>();
  let nextUserId = 1010000001;

  function parse(body: string): { ok: true; value: unknown } | { ok: false } {
    try {
      return { ok: true, value: JSON.parse(body) };
    } catch {
      return { ok: false };
    }
  }

  function getAuthCode(req: Routed): Answer {
    if (req.headers.get("arc-license-key") !== licenseKey) return unauthorizedAccess();
    if (licenseError) return failure(403, licenseError);
    const body = parse(req.body);
    // Assumption: a body the spec refuses is "access to the requested resource is not allowed" (HTTP 403), the
    // nearest of the document's answers; it lists no validation error.
    if (!body.ok || !jsonBodyValidators.getAuthCode!(body.value)) return forbidden();
    const { user_id, name, role } = body.value as { user_id: string; name?: string; role: string };
    const known = users.get(user_id);
    // "If no display name is provided, a random string is used" (documented).
    users.set(user_id, { ihhUserId: known?.ihhUserId ?? nextUserId++, name: name ?? known?.name ?? randomOf("abcdefghijklmnopqrstuvwxyz", 8), role });
    const code = randomOf("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 20);
    codes.set(code, { userId: user_id, issuedAt: req.at, used: false });
    return json(200, { status: 1, message: "", info: { code } });
  }

  function getAuthTokenUseCode(req: Routed): Answer {
    const body = parse(req.body);
    if (!body.ok || !jsonBodyValidators.getAuthTokenUseCode!(body.value)) return forbidden();
    const { code, client_id } = body.value as { code: string; client_id: string };
    const issued = codes.get(code);
    // An unknown, spent or expired code: "unauthorized access" (status 0, HTTP 200), the document's answer.
    if (!issued || issued.used || req.at >= issued.issuedAt + codeTtlMs) return unauthorizedAccess();
    issued.used = true;
    const user = users.get(issued.userId)!;
    const iat = Math.floor(req.at / 1000);
    const payload = { client_id, user_id: user.ihhUserId, role: user.role, iat, exp: Math.floor((req.at + tokenTtlMs) / 1000) };
    const accessToken = `${base64url('{"typ":"JWT","alg":"HS256"}')}.${base64url(JSON.stringify(payload))}.${randomOf("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 43)}`;
    sessions.set(accessToken, { userId: issued.userId, clientId: client_id, role: user.role, issuedAt: req.at, expiresAt: req.at + tokenTtlMs, state: "valid" });
    return json(200, { status: 1, message: "", info: { user_id: user.ihhUserId, access_token: accessToken } });
  }

  function checkAuthToken(req: Routed): Answer {
    const header = req.headers.get("authorization");
    if (header === null || header.trim() === "") return failure(401, 1401);
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) return failure(401, 1402);
    const session = sessions.get(match[1]!);
    if (!session || session.state === "invalid") return failure(401, 1405);
    if (session.state === "expired" || req.at >= session.expiresAt) return failure(401, 1404);
    if (licenseError) return failure(403, licenseError);
    if (req.body.trim() !== "") {
      const body = parse(req.body);
      if (!body.ok || !jsonBodyValidators.checkAuthToken!(body.value)) return forbidden();
    }
    const user = users.get(session.userId)!;
    return json(200, {
      status: 1,
      message: "",
      info: {
        client_id: session.clientId,
        user_id: user.ihhUserId,
        role: session.role,
        ...(options.licenseRoom === undefined ? {} : { license_room: options.licenseRoom }),
        ...(options.licensePath === undefined ? {} : { license_path: options.licensePath }),
      },
    });
  }

  const handlers: Record<ArctosOperationId, (req: Routed) => Answer> = { getAuthCode, getAuthTokenUseCode, checkAuthToken };
  const core = new FakeCore<ArctosOperationId>(
    {
      provider,
      operations,
      // Another path or method: "resource not found", a documented answer.
      handle: (req) => (req.operationId === undefined ? notFound() : handlers[req.operationId as ArctosOperationId](req)),
      // No document gives Arctos an internal error; "access not allowed" is the nearest documented answer.
      internalError: forbidden,
    },
    options,
  );

  const session = (accessToken: string) => {
    const s = sessions.get(accessToken);
    if (!s) throw new ConfigError(provider, "accessToken", "names no token this fake issued");
    return s;
  };

  return extend(core, {
    sessions: (userId?: string) =>
      [...sessions]
        .filter(([, s]) => userId === undefined || s.userId === userId)
        .map(([accessToken, s]) => ({
          accessToken,
          userId: s.userId,
          ihhUserId: users.get(s.userId)!.ihhUserId,
          clientId: s.clientId,
          role: s.role,
          issuedAt: s.issuedAt,
          expiresAt: s.expiresAt,
          state: s.state === "valid" && core.now() >= s.expiresAt ? ("expired" as const) : s.state,
        })),
    expireToken: (accessToken: string) => void (session(accessToken).state = "expired"),
    invalidateToken: (accessToken: string) => void (session(accessToken).state = "invalid"),
    setLicenseError: (code: ArctosLicenseError | undefined) => void (licenseError = checkLicenseError(code, "licenseError")),
  }) as FakeArctos;
}
