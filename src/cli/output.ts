// Everything the command line prints goes through here, and through a Redactor that knows the secrets from
// the environment, the token file and the call's own input: no flag prints a secret.
import { existsSync } from "node:fs";
import { ConfigError, StreamspecError, TransportError, ValidationError } from "../core/errors.js";
import type { Redactor } from "../core/redact.js";
import { bindingsFor, type Binding, type Env } from "./env.js";
import { fieldPath, type Flag } from "./flags.js";

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Env;
}

/** A JSON-like value with every secret masked: sensitive fields by name, and known secret values anywhere. */
export function masked<T>(redactor: Redactor, value: T): T {
  // A credential in a field (an OAuth `code`) also hides where it is repeated (the redirect URL carrying it).
  redactor.learn(value);
  return redactor.value(value);
}

/** JSON on stdout: indented for a person at a terminal, one line for a pipe. */
export function printJson(io: Io, redactor: Redactor, value: unknown, secretFields?: ReadonlySet<string>, oneLine = !io.stdout.isTTY): void {
  const shown = secretFields?.size ? maskFields(value, secretFields, redactor) : value;
  io.stdout.write(`${JSON.stringify(masked(redactor, shown), null, oneLine ? undefined : 2)}\n`);
}

/** A copy with the string values of the named fields masked (the spec's `x-secret` response fields). */
export function maskFields(value: unknown, fields: ReadonlySet<string>, redactor: Redactor, depth = 0): unknown {
  if (depth > 30 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => maskFields(v, fields, redactor, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (fields.has(k) && typeof v === "string" && v !== "") {
      redactor.add(v); // and wherever else it shows
      out[k] = "[REDACTED]";
    } else out[k] = maskFields(v, fields, redactor, depth + 1);
  }
  return out;
}

export interface ErrorContext {
  redactor: Redactor;
  /** The command's flags, to name the flag behind a field path. */
  flags?: readonly Flag[];
  /** The command the user asked for (for the usage hint). */
  command?: string;
  /** The operation the user asked for: an error of another one came from a login or refresh on the way. */
  operation?: string;
  provider?: string;
  bindings?: readonly Binding[];
  env?: Env;
  /** The command that fills a token file, when the provider has one (`streamspec soop login`). */
  login?: string;
}

/** One line naming the class, the operation, the HTTP status, the provider's code and the message. */
export function errorLine(error: unknown, ctx: ErrorContext): string {
  const r = ctx.redactor;
  let line: string;
  if (error instanceof ValidationError) {
    const issues = error.issues.map((i) => {
      const flag = ctx.flags?.find((f) => i.path === fieldPath(f) || i.path.startsWith(`${fieldPath(f)}.`) || i.path.startsWith(`${fieldPath(f)}[`));
      return `${i.path}${flag ? ` (--${flag.name})` : ""} ${i.message} (${i.rule})`;
    });
    line = `ValidationError: ${error.provider}.${error.operation}: invalid input: ${issues.join("; ")}${environmentHint(error, ctx)}`;
  } else if (error instanceof ConfigError) {
    line = `ConfigError: ${error.message}${configHint(error, ctx)}`;
  } else if (error instanceof TransportError) {
    line = `TransportError (${error.reason}): ${error.message}${error.cause && error.cause.message && !error.message.includes(error.cause.message) ? `: ${error.cause.message}` : ""}`;
  } else if (error instanceof StreamspecError) {
    line = `${error.name}: ${error.message}`;
  } else if (error instanceof Error) {
    line = `${error.name === "UsageError" ? "streamspec" : error.name}: ${error.message}`;
  } else {
    line = `Error: ${String(error)}`;
  }
  return r.text(line.replace(/\s*\n\s*/g, " "));
}

/** `--json`: the error object as JSON (the classes' own toJSON, masked), plus the variables a ConfigError means. */
export function errorJson(error: unknown, ctx: ErrorContext): unknown {
  if (error instanceof StreamspecError) {
    const out: Record<string, unknown> = error.toJSON();
    if (error instanceof ConfigError) {
      const vars = ctx.bindings ? bindingsFor(error.option, ctx.bindings).map((b) => b.variable) : [];
      if (vars.length) out.variables = vars;
    }
    return masked(ctx.redactor, out);
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return masked(ctx.redactor, { name: e.name, message: e.message });
}

/** Names the variables behind the option: the ones to set, or the ones the bad value came from. */
function configHint(error: ConfigError, ctx: ErrorContext): string {
  if (!ctx.bindings || !ctx.env || error.provider !== ctx.provider) return "";
  const related = bindingsFor(error.option, ctx.bindings);
  if (!related.length) return "";
  const env = ctx.env;
  const login = ctx.login && related.some((b) => b.kind === "file") ? ` and run \`${ctx.login}\`` : "";
  const unset = related.filter((b) => !env[b.variable]);
  if (unset.length) return ` (set ${unset.map((b) => b.variable).join(", ")}${login})`;
  const empty = related.filter((b) => b.kind === "file" && !existsSync(env[b.variable]!));
  if (empty.length) return ` (${empty.map((b) => `${b.variable}: no file at ${env[b.variable]} yet`).join(", ")}${login ? `; run \`${ctx.login}\`` : ""})`;
  return ` (from ${related.map((b) => b.variable).join(", ")})`;
}

/**
 * Input that failed on the way (a login body the client builds from its options) came from the environment:
 * name the variables of the options whose names the issues mention (body.role → user.role → ARCTOS_ROLE),
 * else every variable left unset.
 */
function environmentHint(error: ValidationError, ctx: ErrorContext): string {
  if (!ctx.operation || error.operation === ctx.operation || !ctx.bindings || !ctx.env) return "";
  const env = ctx.env;
  // clientId and client_id are one name here.
  const last = (path: string) => path.split(/[.[\]"]+/).filter(Boolean).pop()?.replace(/[^A-Za-z0-9]/g, "").toLowerCase();
  const named = ctx.bindings.filter((b) => error.issues.some((i) => last(i.path) === last(b.option)));
  if (named.length) return ` (from the environment: ${named.map((b) => `${b.variable}${env[b.variable] ? "" : " (unset)"}`).join(", ")})`;
  const unset = ctx.bindings.filter((b) => !env[b.variable]).map((b) => b.variable);
  return ` (this input comes from the environment${unset.length ? `; unset: ${unset.join(", ")}` : ""})`;
}
