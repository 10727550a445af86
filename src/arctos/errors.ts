// Arctos answers `{status, message, info}`: `status` 1 is a success and 2 a warning (still a success: the caller
// gets the body, whose `message` says what to look at). Any other `status` is a failure: 0 ("unauthorized
// access", on HTTP 200) or the specific code itself (1401-1405 on HTTP 401, 3401-3406 on HTTP 403). The
// document's error tables (`Code | Status | Error | Message`, first row `200 | 1 | 成功`) put the HTTP status
// in `Code` and the envelope's `status` in `Status`; there is no separate code field. The meaning of every
// code comes from the spec (info.errorMessages).
import { info } from "../../generated/arctos.operations.js";
import type { Failure } from "../core/client.js";

const meanings: Readonly<Record<string, string>> = info.errorMessages;

/**
 * The envelope's `status` as an integer. The document's tables type it as a string while every example is a
 * number, so a numeric string is read too.
 */
function statusOf(body: unknown): number | undefined {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return undefined;
  const raw = (body as { status?: unknown }).status;
  const n = typeof raw === "number" ? raw : typeof raw === "string" && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : NaN;
  return Number.isInteger(n) ? n : undefined;
}

const succeeded = (status: number | undefined) => status === 1 || status === 2;

/**
 * The code a failure is known by: the body's specific `status` (1401-1405, 3401-3406); without one, the HTTP
 * status of an error status (the tables' 404 and 403 rows, which give no status value of their own), else 0
 * (the tables' "0: unauthorized access" row).
 */
export function arctosCode(body: unknown, status: number): number {
  const s = statusOf(body);
  if (s !== undefined && s !== 0 && !succeeded(s)) return s;
  return status >= 400 ? status : 0;
}

export function arctosFailure(body: unknown, status: number): Failure | undefined {
  const s = statusOf(body);
  if (status < 400 && (s === undefined || succeeded(s))) return undefined;
  const code = arctosCode(body, status);
  const raw = (body as { message?: unknown } | null)?.message;
  const own = typeof raw === "string" ? raw.trim() : "";
  return { code, message: own || meanings[String(code)] || `HTTP ${status}` };
}
