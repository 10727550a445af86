// The customer's side of Polyv's custom authorization: Polyv calls `customUri` with id, ts and
// sign = md5_hex(secretKey + id + secretKey + ts); the server checks it before trusting the visit.
import { constantTimeEqual, md5Hex } from "./digest.js";

export interface PolyvCustomAuthParams {
  /** The channel's secretKey, as `updateChannelOauthCustom` answered it. */
  secretKey: string;
  /** The channelId Polyv sent as `id`. */
  id: string | number;
  /** Polyv's `ts`, in milliseconds. */
  ts: string | number;
  /** Polyv's `sign` (hex, any case). */
  sign: string;
}

export interface PolyvCustomAuthOptions {
  /** Current time in ms. Default: Date.now. */
  now?: () => number;
  /** How far `ts` may be from now, either way. Default 3 minutes. */
  maxSkewMs?: number;
}

const DEFAULT_SKEW_MS = 3 * 60 * 1000;

/** True only for a genuine, fresh callback; false (never an exception) for anything else. */
export function verifyPolyvCustomAuth(params: PolyvCustomAuthParams, options: PolyvCustomAuthOptions = {}): boolean {
  try {
    const { secretKey, id, ts, sign } = params ?? ({} as PolyvCustomAuthParams);
    if (typeof secretKey !== "string" || secretKey === "" || typeof sign !== "string") return false;
    const idText = Number.isSafeInteger(id) ? String(id) : id; // isSafeInteger is false for anything but a number
    if (typeof idText !== "string" || idText === "") return false;
    const tsText = Number.isSafeInteger(ts) ? String(ts) : ts;
    if (typeof tsText !== "string" || !/^\d{1,16}$/.test(tsText)) return false;

    const maxSkewMs = options?.maxSkewMs ?? DEFAULT_SKEW_MS;
    const now = (options?.now ?? Date.now)();
    if (typeof maxSkewMs !== "number" || !(maxSkewMs >= 0) || !Number.isFinite(now)) return false;
    if (Math.abs(now - Number(tsText)) > maxSkewMs) return false;

    // Polyv hashes the values as it sent them, so the text forms go into the hash.
    return constantTimeEqual(sign.toLowerCase(), md5Hex(secretKey + idText + secretKey + tsText));
  } catch {
    return false;
  }
}
