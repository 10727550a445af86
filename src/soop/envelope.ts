// SOOP's result envelope ({ result, msg }) and its JSONP answers.
import type { Middleware } from "openapi-fetch";
import type { Failure } from "../core/client.js";
import { operationLookup } from "../core/form.js";
import type { OperationIndex, OperationMeta } from "../core/operation.js";
import { bufferedText } from "../core/transport.js";

/** The envelope's `result` as a number, when the body is an envelope. */
function resultOf(body: unknown): number | undefined {
  if (!body || typeof body !== "object" || !("result" in body)) return undefined;
  const raw = (body as { result: unknown }).result;
  const n = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Business failures come back as HTTP 200 with `result` <= 0 (e.g. -1320); error statuses may carry the same
 * envelope. Bodies without an envelope (tokens, lists, embeds) are successes when the status is.
 */
export function soopFailure(body: unknown, status: number): Failure | undefined {
  const result = resultOf(body);
  const failed = status >= 400 || (result !== undefined && result <= 0);
  if (!failed) return undefined;
  if (result === undefined) return undefined; // an error status without an envelope: the core reports the status
  const msg = (body as { msg?: unknown }).msg;
  return { code: result, message: typeof msg === "string" && msg !== "" ? msg : `result ${result}` };
}

const JAVASCRIPT = /^(?:text|application)\/(?:x-)?(?:javascript|ecmascript)$/;
// `name(...)` or `name(...);`, optionally behind the `/**/` some servers prepend against content sniffing.
const JSONP = /^\s*(?:\/\*\*\/\s*)?[A-Za-z_$][\w$.]*\s*\(([\s\S]*)\)\s*;?\s*$/;

function mediaType(value: string | null): string {
  return (value ?? "").split(";")[0]!.trim().toLowerCase();
}

/** Does one of these media types (a response's, from the spec) say JavaScript? */
const promisesJavaScript = (types: readonly string[] | undefined) => types?.some((t) => JAVASCRIPT.test(t)) ?? false;

/** May this operation answer with JavaScript (JSONP) at any status? Only those need jsonpMiddleware. */
export function mayAnswerJsonp(meta: OperationMeta): boolean {
  return Object.values(meta.responses).some(promisesJavaScript);
}

/**
 * Unwraps JSONP (`callback({...});`) into plain JSON for the operations whose spec says they may answer with a
 * JavaScript media type, so the typed result is the same with or without `callback`.
 */
export function jsonpMiddleware(operations: OperationIndex): Middleware {
  const lookup = operationLookup(operations);
  return {
    async onResponse({ request, response, schemaPath }) {
      const promised = lookup(request.method, schemaPath)?.[1].responses[String(response.status)];
      if (!promisesJavaScript(promised)) return undefined;
      if (mediaType(response.headers.get("content-type")) === "application/json") return undefined;
      const text = bufferedText(response) ?? (await response.clone().text());
      const inner = JSONP.exec(text)?.[1];
      if (inner === undefined) return undefined; // not JSONP: left for the JSON parser to accept or refuse
      const headers = new Headers(response.headers);
      headers.set("content-type", "application/json");
      headers.delete("content-length");
      return new Response(inner, { status: response.status, statusText: response.statusText, headers });
    },
  };
}
