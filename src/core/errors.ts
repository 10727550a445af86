// One error model across providers (design.md): ProviderError, TransportError, ValidationError, ConfigError.
// Every message, cause and body is redacted when the error is built, so String(err), err.stack,
// JSON.stringify(err) and util.inspect(err) can not show a secret.
import type { Issue } from "./validate.js";
import type { Redactor } from "./redact.js";

export type { Issue } from "./validate.js";

export abstract class StreamspecError extends Error {
  abstract override readonly name: string;
  readonly provider: string;
  readonly operation: string | undefined;

  protected constructor(message: string, provider: string, operation: string | undefined) {
    super(message);
    this.provider = provider;
    this.operation = operation;
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [k, v] of Object.entries(this)) out[k] = v instanceof Error ? describeCause(v) : v;
    return out;
  }
}

/** The provider answered and said no: an HTTP error status or an envelope that signals failure. */
export class ProviderError extends StreamspecError {
  override readonly name = "ProviderError";
  /** The HTTP status. */
  readonly status: number;
  /** The provider's own code: FlipFlop errorCode, Polyv error code, SOOP result, Arctos code. */
  readonly code: string | number | undefined;
  readonly requestId: string | undefined;
  /** The response body, parsed when it was JSON, with secrets masked. */
  readonly body: unknown;

  constructor(init: {
    provider: string;
    operation?: string;
    status: number;
    code?: string | number;
    message: string;
    requestId?: string;
    body?: unknown;
    redactor?: Redactor;
  }) {
    const r = init.redactor;
    const detail = init.code === undefined ? `HTTP ${init.status}` : `HTTP ${init.status}, code ${init.code}`;
    const message = r ? r.text(init.message) : init.message;
    super(`${init.provider}${init.operation ? `.${init.operation}` : ""}: ${message} (${detail})`, init.provider, init.operation);
    this.status = init.status;
    this.code = r && typeof init.code === "string" ? r.text(init.code) : init.code;
    this.requestId = r && init.requestId ? r.text(init.requestId) : init.requestId;
    this.body = r ? r.value(init.body) : init.body;
  }
}

/**
 * No usable answer: network failure, timeout, abort, a body that is not what the spec says, or a shared store
 * (streamspec/redis) that could not give or keep the token the call needs.
 */
export class TransportError extends StreamspecError {
  override readonly name = "TransportError";
  /** Why: the underlying error, with its message redacted. */
  override readonly cause: Error | undefined;
  /** A short machine-readable reason. */
  readonly reason: TransportReason;

  constructor(init: { provider: string; operation?: string; reason: TransportReason; message: string; cause?: unknown; redactor?: Redactor }) {
    const r = init.redactor;
    super(`${init.provider}${init.operation ? `.${init.operation}` : ""}: ${r ? r.text(init.message) : init.message}`, init.provider, init.operation);
    this.reason = init.reason;
    this.cause = init.cause === undefined ? undefined : sanitizeCause(init.cause, r);
  }
}

export type TransportReason = "network" | "timeout" | "deadline" | "aborted" | "invalid-body" | "too-large" | "store";

/** The one wording of a caller's abort, wherever the call was when it came (queued, sending, waiting, logging in). */
export function abortedError(init: { provider: string; operation?: string; redactor?: Redactor }, cause: unknown): TransportError {
  return new TransportError({ ...init, reason: "aborted", message: "the request was aborted", cause });
}

/** The caller's input breaks the spec; thrown before any request is sent. */
export class ValidationError extends StreamspecError {
  override readonly name = "ValidationError";
  readonly issues: readonly Issue[];

  constructor(provider: string, operation: string, issues: readonly Issue[]) {
    const list = issues.map((i) => `${i.path} ${i.message} (${i.rule})`).join("; ");
    super(`${provider}.${operation}: invalid input: ${list}`, provider, operation);
    this.issues = issues;
  }
}

/** A factory got options it can not work with. */
export class ConfigError extends StreamspecError {
  override readonly name = "ConfigError";
  /** The option at fault, e.g. `apiSecret`. */
  readonly option: string;

  constructor(provider: string, option: string, message: string) {
    super(`${provider}: option \`${option}\` ${message}`, provider, undefined);
    this.option = option;
  }
}

/** A copy of an arbitrary thrown value that keeps its name, code and message, all redacted. */
function sanitizeCause(cause: unknown, r: Redactor | undefined): Error {
  const text = (s: string) => (r ? r.text(s) : s);
  if (cause instanceof StreamspecError) return cause;
  const err = cause instanceof Error ? cause : new Error(String(cause));
  const copy = new Error(text(err.message));
  copy.name = err.name;
  const code = (err as { code?: unknown }).code;
  if (code !== undefined) (copy as { code?: unknown }).code = code;
  if (err.cause !== undefined) copy.cause = sanitizeCause(err.cause, r);
  copy.stack = `${copy.name}: ${copy.message}`; // the original stack may quote the secret-bearing message
  return copy;
}

function describeCause(err: Error): Record<string, unknown> {
  const code = (err as { code?: unknown }).code;
  return { name: err.name, message: err.message, ...(code !== undefined ? { code } : {}) };
}
