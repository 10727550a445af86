// Polyv answers with an envelope: v2 {code, status, message, data}, v4 {code, status, success, data,
// error: {code, desc}, requestId}. Any `code` other than 200, or `success: false`, is a failure, whatever the
// HTTP status (v2 failures may come with HTTP 200).
import type { Failure } from "../core/client.js";
import type { Redactor } from "../core/redact.js";

interface Envelope {
  code?: unknown;
  success?: unknown;
  message?: unknown;
  requestId?: unknown;
  error?: { code?: unknown; desc?: unknown } | null;
}

const isEnvelope = (body: unknown): body is Envelope => typeof body === "object" && body !== null && !Array.isArray(body) && "code" in body;

const text = (value: unknown): string | undefined => (typeof value === "string" && value.trim() !== "" ? value : undefined);
const codeOf = (value: unknown): string | number | undefined =>
  typeof value === "number" || (typeof value === "string" && value.trim() !== "") ? value : undefined;

/** The `failure` hook: reads a failure out of an envelope. The core redacts the message and body; the code
 * and requestId it copies as they are, so they are masked here. */
export function polyvFailure(redactor: Redactor) {
  return (body: unknown, status: number): Failure | undefined => {
    // Not an envelope: an HTTP error status is still a failure (the core words it from the status).
    if (!isEnvelope(body)) return undefined;
    const ok = Number(body.code) === 200 && body.success !== false;
    if (ok && status < 400) return undefined;
    const error = typeof body.error === "object" && body.error !== null ? body.error : {};
    const code = codeOf(error.code) ?? codeOf(body.code);
    const requestId = text(body.requestId);
    return {
      code: typeof code === "string" ? redactor.text(code) : code,
      message: text(error.desc) ?? text(body.message) ?? "the request failed",
      requestId: requestId === undefined ? undefined : redactor.text(requestId),
    };
  };
}
