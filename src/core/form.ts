// application/x-www-form-urlencoded bodies. openapi-fetch form-encodes only when told to, and signing or
// credential injection needs to read and extend a form that is already serialised.
import type { Middleware } from "openapi-fetch";
import type { OperationIndex, OperationMeta } from "./operation.js";
import { rebuild } from "./request.js";

export const FORM = "application/x-www-form-urlencoded";

function append(params: URLSearchParams, key: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) for (const v of value) append(params, key, v);
  else if (typeof value === "object") params.append(key, JSON.stringify(value));
  else params.append(key, String(value));
}

/** Objects become form fields; arrays repeat the field (OpenAPI's form style, explode true). */
export function toForm(body: unknown): URLSearchParams {
  const params = new URLSearchParams();
  if (body && typeof body === "object") for (const [k, v] of Object.entries(body)) append(params, k, v);
  return params;
}

export const formSerializer = (body: unknown): string => toForm(body).toString();

export function isForm(request: Request): boolean {
  return request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() === FORM;
}

/** Query or form text with `fields` set in it (each replaces any value of that name), re-encoded as a form. */
export function withFields(text: string, fields: Readonly<Record<string, string>>): string {
  const params = new URLSearchParams(text);
  for (const [k, v] of Object.entries(fields)) params.set(k, v);
  return params.toString();
}

/** The request with `fields` added to its form body (creating one if it had none). */
export async function withFormFields(request: Request, fields: Record<string, string>): Promise<Request> {
  // The old request is replaced, so its body is read, not cloned.
  const body = withFields(request.body ? await request.text() : "", fields);
  const headers = new Headers(request.headers);
  headers.set("content-type", FORM);
  return rebuild(request, request.url, { method: request.method, headers, body });
}

/** The request with `fields` added to its query string. */
export function withQueryFields(request: Request, fields: Record<string, string>): Request {
  const url = new URL(request.url);
  url.search = withFields(url.search, fields);
  return rebuild(request, url, { method: request.method, headers: request.headers, body: request.body });
}

/** `METHOD path-template` → operation, for middleware that sees openapi-fetch's schemaPath. */
export function operationLookup(operations: OperationIndex): (method: string, schemaPath: string) => [string, OperationMeta] | undefined {
  const byRoute = new Map<string, [string, OperationMeta]>();
  for (const [id, meta] of Object.entries(operations)) byRoute.set(`${meta.method} ${meta.path}`, [id, meta]);
  return (method, schemaPath) => byRoute.get(`${method} ${schemaPath}`);
}

/**
 * What a client needs for form operations, handed to createProviderClient by a provider that has some
 * (ProviderHooks.form): the bundles of providers without form operations then leave the encoder out.
 */
export interface FormSupport {
  serialize(body: unknown): string;
  middleware(operations: OperationIndex): Middleware;
}

export const formSupport: FormSupport = { serialize: formSerializer, middleware: (operations) => formBodyMiddleware(operations) };

/** Wire-layer calls may pass a plain object body to a form operation: encode it as the spec says. */
export function formBodyMiddleware(operations: OperationIndex): Middleware {
  const lookup = operationLookup(operations);
  return {
    async onRequest({ request, schemaPath }) {
      const meta = lookup(request.method, schemaPath)?.[1];
      if (meta?.body?.contentType !== FORM || !request.body || isForm(request)) return undefined;
      const body = toForm(JSON.parse(await request.text())).toString();
      const headers = new Headers(request.headers);
      headers.set("content-type", FORM);
      return rebuild(request, request.url, { method: request.method, headers, body });
    },
  };
}
