// A named call that no middleware sees is sent without going round openapi-fetch's request loop. Its URL, headers
// and body come from openapi-fetch's own exported steps (createFinalURL, the path and query serialisers,
// mergeHeaders, the body serialiser), taken in the order its coreFetch takes them, and the answer is read the way
// coreFetch reads it (readOutcome). The rest of coreFetch is there for middleware: the middleware list, a Request
// built for middleware to see, and init keys copied onto that Request. A planned call needs none of it, and it cost
// ~4 µs of Arctos' ~26 µs call on the stub (bench/README.md). test/unit/core-planned.test.ts checks every
// operation of every spec against coreFetch itself.
import { createFinalURL, createQuerySerializer, defaultBodySerializer, defaultPathSerializer, mergeHeaders } from "openapi-fetch";
import { FIRST_ATTEMPT, type FirstAttempt } from "./request.js";

/**
 * A named call's request as the URL and init that `fetch(url, init)` takes, not a Request. fetch builds its own
 * Request from them anyway; one made before it costs a body stream and an AbortSignal per call for nothing (the
 * largest share of bare openapi-fetch's own cost in `npm run bench`). The transport sends it as
 * `fetch(url, { ...init, signal })`, every attempt alike.
 */
export class PlannedRequest {
  readonly method: string;
  /** The call's first attempt, as a Request built by openapi-fetch carries it (see firstAttemptOf). */
  readonly [FIRST_ATTEMPT]: FirstAttempt;
  constructor(
    readonly url: string,
    /** The init to send with (its method is upper case, as openapi-fetch writes it). */
    readonly init: RequestInit & { method: string },
    first: FirstAttempt,
  ) {
    this.method = init.method;
    this[FIRST_ATTEMPT] = first;
  }
}

/**
 * openapi-fetch's own per-call options that a planned call does not take: a call that sets any of them goes through
 * openapi-fetch itself. (A caller's own querySerializer or bodySerializer already does: see client.ts.)
 */
const OPENAPI_FETCH_OPTIONS = ["baseUrl", "fetch", "Request", "middleware", "pathSerializer"] as const;

/** Whether a call's init can be planned: it sets none of openapi-fetch's options that only coreFetch applies. */
export function plannable(init: Readonly<Record<string, unknown>>): boolean {
  return OPENAPI_FETCH_OPTIONS.every((key) => init[key] === undefined);
}

export interface PlanInit {
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown>; header?: Record<string, unknown> };
  headers?: unknown;
  body?: unknown;
  querySerializer?: (query: Record<string, unknown>) => string;
  bodySerializer?: (body: unknown, headers?: Headers) => unknown;
  [key: string]: unknown;
}

/** openapi-fetch's default query serialiser, for when neither the client nor the call gives one (coreFetch makes the same each call). */
export const serializeQuery = createQuerySerializer();

/**
 * The request coreFetch would build for `method path` with `init` on a client made with `baseUrl` (no trailing slash:
 * checkBaseUrl strips it, as createClient does) and `baseHeaders`:
 * the same URL, headers (Content-Type application/json first when a body is serialised, unless it is FormData),
 * body, `redirect: "follow"` unless the caller says otherwise, and every other init key the caller gave.
 */
export function planRequest(
  baseUrl: string,
  baseHeaders: Readonly<Record<string, string>> | undefined,
  method: string,
  path: string,
  init: PlanInit,
  first: FirstAttempt,
): PlannedRequest {
  // coreFetch's destructuring: what is left over is the caller's RequestInit. `signal` and `parseAs` stay out: the
  // transport gives every attempt its own signal, and the answer is read by the caller (readOutcome). openapi-fetch's
  // own options can only be undefined here (plannable), and coreFetch leaves them out of the init too.
  const {
    baseUrl: _baseUrl,
    fetch: _fetch,
    Request: _Request,
    middleware: _middleware,
    pathSerializer: _pathSerializer,
    headers,
    params = {},
    querySerializer = serializeQuery,
    bodySerializer = defaultBodySerializer,
    body,
    parseAs: _parseAs,
    signal: _signal,
    [FIRST_ATTEMPT]: _first,
    ...rest
  } = init;
  const serializedBody = body === undefined ? undefined : bodySerializer(body, mergeHeaders(baseHeaders, headers as never, params.header as never));
  const finalHeaders = mergeHeaders(
    serializedBody === undefined || serializedBody instanceof FormData ? {} : { "Content-Type": "application/json" },
    baseHeaders,
    headers as never,
    params.header as never,
  );
  const url = createFinalURL(path, { baseUrl, params, querySerializer, pathSerializer: defaultPathSerializer });
  const sent = { redirect: "follow", ...rest, method: method.toUpperCase(), body: serializedBody as BodyInit | undefined, headers: finalHeaders } as const;
  // A RequestInit key of the caller's (cache, credentials, mode…) may hold a value Request refuses. coreFetch refuses
  // it once, building its Request, before any attempt; so does this (only a call with such keys pays for a Request).
  if (Object.keys(rest).length > 0) new Request(url, sent);
  return new PlannedRequest(url, sent, first);
}

/** What openapi-fetch resolves a call to: the parsed success (`data`) or failure (`error`) body, and the Response. */
export interface Outcome {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** Whether coreFetch reads no body from this answer: 204, HEAD, or Content-Length 0 unless the body is chunked. */
export function emptyAnswer(response: Response, method: string): boolean {
  const headers = response.headers;
  return response.status === 204 || method === "HEAD" || (headers.get("Content-Length") === "0" && !headers.get("Transfer-Encoding")?.includes("chunked"));
}

type ParseAs = "json" | "text" | "blob" | "arrayBuffer" | "stream";

/**
 * `response` read as coreFetch reads it for a call with `parseAs` (default "json"). `text`, when given, is the body's
 * text already read (the transport's bytes, see bufferedText): a JSON success or an error is then read from it
 * instead of from the Response.
 */
export async function readOutcome(response: Response, method: string, parseAs: ParseAs = "json", text?: string): Promise<Outcome> {
  if (emptyAnswer(response, method)) return response.ok ? { data: undefined, response } : { error: undefined, response };
  if (response.ok) {
    if (parseAs === "stream") return { data: response.body, response };
    if (parseAs !== "json") return { data: await response[parseAs](), response };
    // coreFetch: response.json() when a length is declared (an empty body is then not JSON), else the text, where
    // an empty one means no body.
    const raw = text ?? (await response.text());
    return { data: response.headers.get("Content-Length") || raw ? JSON.parse(raw) : undefined, response };
  }
  let error: unknown = text ?? (await response.text());
  try {
    error = JSON.parse(error as string);
  } catch {
    // not JSON: the text is the error, as in openapi-fetch
  }
  return { error, response };
}
