// Arctos answers `{status, message, info}`: `status` 0 is a failure, 1 a success, 2 a warning (still a success:
// the caller gets the body, whose `message` says what to look at). A failure body may carry a specific
// integer `code` (1401-1405, 3401-3406); the meaning of every code comes from the spec (info.errorMessages).
import { info } from "../../generated/arctos.operations.js";
import type { Failure } from "../core/client.js";

const meanings: Readonly<Record<string, string>> = info.errorMessages;

interface Envelope {
  status?: unknown;
  message?: unknown;
  code?: unknown;
}

/**
 * The code a failure is known by: the body's specific `code`; without one, the HTTP status of an error
 * status (the document's tables list 403 and 404 as codes of their own), else the envelope's `status` 0
 * (the tables' "0: unauthorized access" row).
 */
export function arctosCode(body: unknown, status: number): number {
  const b = envelope(body);
  if (Number.isInteger(b.code)) return b.code as number;
  return status >= 400 ? status : 0;
}

export function arctosFailure(body: unknown, status: number): Failure | undefined {
  const b = envelope(body);
  if (status < 400 && b.status !== 0) return undefined;
  const code = arctosCode(body, status);
  const own = typeof b.message === "string" ? b.message.trim() : "";
  return { code, message: own || meanings[String(code)] || `HTTP ${status}` };
}

function envelope(body: unknown): Envelope {
  return body !== null && typeof body === "object" && !Array.isArray(body) ? (body as Envelope) : {};
}
