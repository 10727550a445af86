// Polyv answers with an envelope: v2 {code, status, message, data}, v4 {code, status, success, data,
// error: {code, desc}, requestId}. Any `code` other than 200, or `success: false`, is a failure, whatever the
// HTTP status (v2 failures may come with HTTP 200).
import type { Failure } from "../core/client.js";

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

/** The `failure` hook: reads a failure out of an envelope (the core redacts everything it carries). */
export function polyvFailure(body: unknown, status: number): Failure | undefined {
  // Not an envelope: an HTTP error status is still a failure (the core words it from the status).
  if (!isEnvelope(body)) return undefined;
  const ok = Number(body.code) === 200 && body.success !== false;
  if (ok && status < 400) return undefined;
  const error = typeof body.error === "object" && body.error !== null ? body.error : {};
  return {
    code: codeOf(error.code) ?? codeOf(body.code),
    message: text(error.desc) ?? text(body.message) ?? "the request failed",
    requestId: text(body.requestId),
  };
}
