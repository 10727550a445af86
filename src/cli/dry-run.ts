// --dry-run: the client runs for real — validation, credentials, signing, token handling — and its fetch keeps
// the finished Request instead of sending it. So what is shown is exactly what would go out, secrets masked.
import type { OperationIndex } from "../core/operation.js";
import type { Redactor } from "../core/redact.js";
import { masked } from "./output.js";

export interface Captured {
  method: string;
  url: string;
  headers: Headers;
  body: string | undefined;
}

export interface Capture {
  fetch: typeof globalThis.fetch;
  requests: Captured[];
}

export function captureFetch(): Capture {
  const requests: Captured[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request && !init ? input : new Request(input, init);
    requests.push({ method: request.method, url: request.url, headers: request.headers, body: request.body ? await request.text() : undefined });
    // The client reports a failed send; the command line sees `requests` and prints them instead.
    throw new Error("dry run: not sent");
  };
  return { fetch, requests };
}

/** What the command line prints for a captured request. */
export function describeRequest(c: Captured, redactor: Redactor, operations: OperationIndex, requested: string): Record<string, unknown> {
  const operation = operationOf(c, operations);
  const headers = redactor.headers(c.headers);
  // Keep the scheme of a masked Authorization header: "Basic" or "Bearer" says which credential would go.
  const scheme = /^(\w+) /.exec(c.headers.get("authorization") ?? "")?.[1];
  if (scheme && headers.authorization) headers.authorization = `${scheme} ${headers.authorization}`;
  const type = c.headers.get("content-type") ?? "";
  let body: unknown = c.body;
  if (c.body !== undefined) {
    if (/json/i.test(type)) {
      try {
        body = masked(redactor, JSON.parse(c.body));
      } catch {
        body = redactor.text(c.body);
      }
    } else if (/x-www-form-urlencoded/i.test(type)) body = redactor.form(c.body);
    else body = redactor.text(c.body);
  }
  return {
    ...(operation ? { operation } : {}),
    method: c.method,
    url: redactor.url(c.url),
    headers,
    body: body ?? null,
    ...(operation && operation !== requested
      ? { note: `sent first: ${requested} needs its answer (a login or a token refresh), so nothing after it is shown` }
      : {}),
  };
}

function operationOf(c: Captured, operations: OperationIndex): string | undefined {
  const pathname = new URL(c.url).pathname;
  for (const [id, meta] of Object.entries(operations)) {
    if (meta.method !== c.method) continue;
    const pattern = meta.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+");
    if (new RegExp(`${pattern}$`).test(pathname)) return id;
  }
  return undefined;
}
