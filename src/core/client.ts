// The client factory every provider uses: an openapi-fetch client for the provider's `paths` (the wire layer)
// plus one method per operationId (the SDK layer) that validates input, calls the wire layer and turns every
// failure into one of the error classes.
import createClient, { type Client, type FetchOptions, type Middleware } from "openapi-fetch";
import type { MediaType, Readable, RequiredKeysOf, ResponseObjectMap, SuccessResponse } from "openapi-typescript-helpers";
import { ProviderError, StreamspecError, TransportError, ValidationError, abortedError } from "./errors.js";
import { FORM, type FormSupport } from "./form.js";
import type { OperationIndex, OperationMeta } from "./operation.js";
import { DEFAULTS, checkBaseUrl, checkPositive, resolveFetch, type CommonOptions } from "./options.js";
import type { Redactor } from "./redact.js";
import { resolveRetryPolicy } from "./retry.js";
import { planRequest, plannable, readOutcome, serializeQuery, type Outcome, type PlanInit } from "./planned.js";
import { FIRST_ATTEMPT, type FirstAttempt } from "./request.js";
import { bufferedText, createTransport, type Limiter } from "./transport.js";
import { validateCall } from "./validate-call.js";
import type { ValidatorIndex } from "./validate.js";

/** What a provider's failure looks like, read from a response body. */
export interface Failure {
  code?: string | number;
  message: string;
  requestId?: string;
}

export interface ProviderHooks {
  /** Knows the client's secrets; every error and log line passes through it. */
  redactor: Redactor;
  /** Auth and signing, in the order they run on the request. */
  middleware?: Middleware[];
  limiter?: Limiter;
  /**
   * Reads a failure out of a body: for an HTTP error status, the provider's code and message; for a success
   * status, an envelope that signals failure (undefined when it is a success).
   */
  failure(body: unknown, status: number, response: Response): Failure | undefined;
  /** Fills in per-call defaults (e.g. a path parameter from the factory) before validation. */
  prepare?(operationId: string, init: CallInit): CallInit | Promise<CallInit>;
  /**
   * For a named operation: steps that add the provider's credentials to the query string and form text as
   * openapi-fetch serialises them, so the Request is built complete. Rebuilding a Request in middleware costs
   * a new Request, a body stream and a signal; such calls go through a client without the provider's middleware,
   * which stays for the wire layer (see finishedMiddleware). Undefined: the middleware does it.
   */
  finish?(operationId: string, meta: OperationMeta): Finish | undefined | Promise<Finish | undefined>;
  /**
   * The middleware some named operations still need once `finish` has built their Request complete (e.g. SOOP's
   * JSONP reader, for the operations that may answer JavaScript). Those calls go through a second openapi-fetch
   * client over the same transport that holds only these and the app's own middleware; the other finished calls go
   * through one that holds only the app's: openapi-fetch's middleware loop (an await per middleware, an id, a
   * frozen options object) is then skipped entirely when there are none.
   */
  finishedMiddleware?: { middleware: Middleware[]; applies(meta: OperationMeta): boolean };
  /**
   * For a named operation that `finish` built: reads its answer and, when it says the credential `finish` added is
   * dead, returns fresh credentials to send the call once more with (Arctos: a new login after a dead-token code).
   * The repeat is not read again, so a second rejection reaches the caller instead of looping. Openapi-fetch builds
   * the repeat from the same arguments, so no copy of the first Request is kept. Undefined: answers are final.
   */
  again?(operationId: string, body: unknown, response: Response, sent: Finish): Finish | undefined | Promise<Finish | undefined>;
  /** Form encoding (core/form.ts formSupport): required when the spec has form operations, or `finish` writes form text. */
  form?: FormSupport;
}

/**
 * What ProviderHooks.finish adds: each step takes the serialised text and returns it with the credentials in;
 * `headers` are set over the caller's (as the middleware's `headers.set` would).
 */
export interface Finish {
  query?: (search: string) => string;
  form?: (text: string) => string;
  headers?: Readonly<Record<string, string>>;
  /** The credential added (e.g. a token), for `again` to tell which one an answer rejected. */
  credential?: string;
}

export interface CallInit {
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown>; header?: Record<string, unknown> };
  body?: unknown;
  headers?: HeadersInit | Record<string, string | undefined | null>;
  signal?: AbortSignal;
  [key: string]: unknown;
}

type Args<Op> = RequiredKeysOf<FetchOptions<Op>> extends never ? [init?: FetchOptions<Op>] : [init: FetchOptions<Op>];
type Data<Op extends Record<string | number, any>> = [Readable<SuccessResponse<ResponseObjectMap<Op>, MediaType>>] extends [never]
  ? undefined
  : Readable<SuccessResponse<ResponseObjectMap<Op>, MediaType>>;

/** One method per operationId: takes openapi-fetch's `init`, resolves to the typed success body, throws on failure. */
export type OperationMethods<Ops, Ids extends PropertyKey> = {
  [K in Ids & keyof Ops]: Ops[K] extends Record<string | number, any> ? (...init: Args<Ops[K]>) => Promise<Data<Ops[K]>> : never;
};

// openapi-typescript emits `interface paths`, which lacks the index signature openapi-fetch's constraint
// names; mapping over the keys gives the same shape with it.
type PathsOf<P> = { [K in keyof P]: P[K] };
export type ProviderClient<Paths, Ops, Ids extends PropertyKey> = Client<PathsOf<Paths> & {}> & OperationMethods<Ops, Ids>;

export interface ProviderDefinition {
  provider: string;
  operations: OperationIndex;
  /** operationId → the compiled validator of its input (generated/<provider>.validators.ts). */
  validators: ValidatorIndex;
  defaultBaseUrl?: string;
}

export function createProviderClient<Paths, Ops, Ids extends PropertyKey>(
  def: ProviderDefinition,
  options: CommonOptions,
  hooks: ProviderHooks,
): ProviderClient<Paths, Ops, Ids> {
  const { provider, operations } = def;
  const baseUrl = checkBaseUrl(provider, options.baseUrl ?? def.defaultBaseUrl, options.allowInsecureHttp);
  const redactor = hooks.redactor;
  const transport = createTransport({
    provider,
    operations,
    baseUrl,
    fetch: resolveFetch(provider, options.fetch),
    timeoutMs: checkPositive(provider, "timeoutMs", options.timeoutMs, DEFAULTS.timeoutMs),
    deadlineMs: checkPositive(provider, "deadlineMs", options.deadlineMs, DEFAULTS.deadlineMs),
    maxResponseBytes: checkPositive(provider, "maxResponseBytes", options.maxResponseBytes, DEFAULTS.maxResponseBytes),
    retry: resolveRetryPolicy(options.retry),
    redactor,
    limiter: hooks.limiter,
    logger: options.logger,
  });
  const wire = createClient<Record<string, any>>({ baseUrl, fetch: transport, headers: options.headers });
  // Named operations whose credentials `finish` adds go through this one (see ProviderHooks.finishedMiddleware).
  const plain = () => createClient<Record<string, any>>({ baseUrl, fetch: transport, headers: options.headers });
  const finished = hooks.finish ? plain() : undefined;
  // While no middleware at all would see them (none of the app's, none per call), they go round openapi-fetch's
  // request loop instead (planned.ts): fetch gets the URL and the init (fetch(url, init), which every fetch takes).
  // Only the platform's fetch is called so: a fetch the app passes may be a wrapper written for openapi-fetch, which
  // only ever calls fetch(request), so it is always handed a Request.
  const platformFetch = options.fetch === undefined || options.fetch === globalThis.fetch;
  const extra = hooks.finishedMiddleware;
  const finishedWith = finished && extra ? plain() : undefined;
  finishedWith?.use(...extra!.middleware);
  const withExtra = new Set(extra ? Object.keys(operations).filter((id) => extra.applies(operations[id]!)) : []);
  // Only a provider with form operations needs it (every middleware costs each call an await in openapi-fetch).
  const form = hooks.form;
  if (Object.values(operations).some((m) => m.body?.contentType === FORM)) wire.use(form!.middleware(operations));
  if (hooks.middleware?.length) wire.use(...hooks.middleware);
  // The middleware the app added. One may replace a Request (losing what the transport knows of the call): while
  // any is registered, the caller's signal goes into the Request too, as it would without the transport's help.
  // One with onResponse may read response bodies: while any is, the named operations leave every Response readable
  // (see `handover` in call()). A list, not a set: openapi-fetch keeps a middleware registered twice twice, and
  // `eject` removes one of them.
  const added: Middleware[] = [];
  const { use, eject } = wire;
  wire.use = (...more) => {
    use(...more); // refuses what is not a middleware, before anything is recorded
    finished?.use(...more);
    finishedWith?.use(...more);
    for (const m of more) if (m) added.push(m); // openapi-fetch skips a falsy one too
  };
  wire.eject = (...removed) => {
    for (const m of removed) removeOne(added, m);
    eject(...removed);
    finished?.eject(...removed);
    finishedWith?.eject(...removed);
  };

  const methods: Record<string, (init?: CallInit) => Promise<unknown>> = {};
  for (const [id, meta] of Object.entries(operations)) {
    methods[id] = (init) => call(id, meta, init ?? {});
  }

  async function call(id: string, meta: OperationMeta, input: CallInit): Promise<unknown> {
    const init = hooks.prepare ? await hooks.prepare(id, input) : input;
    const issues = validateCall(def.validators[id]!, meta, init);
    if (issues.length) throw new ValidationError(provider, id, issues);
    // Credentials the caller passes in (a refresh_token, a code) are secrets too.
    redactor.learn(init.body).learn(init.params?.query);
    // The caller's signal is followed through a per-call controller that is unlinked when the call settles:
    // Node's fetch would otherwise leave one listener per call on a long-lived signal until garbage collection.
    // The same controller serves the transport's first attempt (FIRST_ATTEMPT), so that Request is not copied.
    const callerSignal = init.signal;
    const link = new AbortController();
    const follow = () => link.abort(callerSignal!.reason);
    if (callerSignal?.aborted) follow();
    else callerSignal?.addEventListener("abort", follow, { once: true });
    // The transport reads every body whole (its limits cover the read); a success is parsed here from the bytes it
    // kept instead of from a copy of the Response (openapi-fetch leaves the body alone with parseAs "stream").
    const handover = !added.some((m) => "onResponse" in m) && init.middleware === undefined && (init.parseAs ?? "json") === "json";
    let result: Outcome;
    try {
      // A caller's own serialisers are left alone, and so is the middleware's way of adding credentials. What
      // finish throws (a token that could not be had) is handled as the middleware's failure was.
      const pending = hooks.finish && init.querySerializer === undefined && init.bodySerializer === undefined ? hooks.finish(id, meta) : undefined;
      // A login or token refresh behind it is shared with other calls and keeps going; this call ends on an abort.
      const finish = pending instanceof Promise ? await untilAborted(pending, callerSignal, id) : pending;
      // One record for every send of this call: a repeat after a re-login keeps the call's deadline.
      const first: FirstAttempt = { controller: link, caller: callerSignal, operation: id, handover };
      result = await send(meta, init, finish, first);
      const renewing = finish && hooks.again ? hooks.again(id, result.response.ok ? result.data : result.error, result.response, finish) : undefined;
      const fresh = renewing instanceof Promise ? await untilAborted(renewing, callerSignal, id) : renewing;
      if (fresh) result = await send(meta, init, fresh, first);
    } catch (error) {
      throw thrownError({ provider, operation: id, redactor }, error);
    } finally {
      callerSignal?.removeEventListener("abort", follow);
    }
    return settle(id, meta, result);
  }

  /** `promise`, or the aborted TransportError as soon as the caller's signal aborts (the work itself goes on). */
  function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, id: string): Promise<T> {
    if (!signal) return promise;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(abortedError({ provider, operation: id, redactor }, signal.reason));
      if (signal.aborted) {
        promise.catch(() => {}); // the shared work's failure is for whoever else waits for it, never unhandled
        return onAbort();
      }
      signal.addEventListener("abort", onAbort, { once: true });
      promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  /**
   * One trip through the transport, with its retries, for a named operation: planned (planned.ts) when no middleware
   * would see it and the platform's fetch sends it, otherwise through openapi-fetch.
   */
  async function send(meta: OperationMeta, init: CallInit, finish: Finish | undefined, first: FirstAttempt): Promise<Outcome> {
    const { controller: link, operation: id, handover } = first;
    // Planned: finished by `finish`, with the platform's fetch, seen by no middleware (no app's, none for this
    // operation, none per call), and setting none of openapi-fetch's own per-call options (plannable).
    const direct = platformFetch && finish !== undefined && added.length === 0 && !withExtra.has(id!) && plannable(init);
    // Without app middleware no signal goes into the Request openapi-fetch builds: the transport hands the
    // attempt's signal to fetch beside it (a signal in the Request would cost it a following signal of its own).
    const inRequest = added.length > 0 || init.middleware !== undefined ? link.signal : undefined;
    const fetchInit: CallInit = direct ? { ...init } : { ...init, signal: inRequest, [FIRST_ATTEMPT]: first };
    if (handover && !direct) fetchInit.parseAs = "stream";
    const toText = finish?.form;
    if (meta.body?.contentType === FORM || toText) {
      const formSerializer = form!.serialize; // a provider whose `finish` writes form text has form operations
      fetchInit.bodySerializer = toText ? (body: unknown) => toText(formSerializer(body)) : formSerializer;
      // withHeaders, not a spread: a spread of a Headers instance is empty and would drop the caller's headers.
      fetchInit.headers = withHeaders(init.headers, { "Content-Type": FORM });
      if (toText) fetchInit.body ??= {}; // openapi-fetch serialises only a body it was given
    }
    const toSearch = finish?.query;
    if (toSearch) fetchInit.querySerializer = (query: unknown) => toSearch(serializeQuery(query as Record<string, unknown>));
    if (finish?.headers) fetchInit.headers = withHeaders(fetchInit.headers, finish.headers);
    if (direct) {
      const planned = planRequest(baseUrl, options.headers, meta.method, meta.path, fetchInit as PlanInit, first);
      // The transport is openapi-fetch's fetch; it takes a PlannedRequest as its input too.
      const response = await transport(planned as unknown as Request);
      return readOutcome(response, planned.method, init.parseAs as never, handover ? bufferedText(response) : undefined);
    }
    const through = !finish || !finished ? wire : withExtra.has(id!) ? finishedWith! : finished;
    const result: Outcome = await through.request(meta.method.toLowerCase() as "get", meta.path, fetchInit as never);
    // With parseAs "stream" openapi-fetch left a success's body alone: it is read from the transport's bytes.
    return handover && result.response.ok ? readOutcome(result.response, meta.method, "json", bufferedText(result.response)) : result;
  }

  function settle(id: string, meta: OperationMeta, { data, error, response }: Outcome): unknown {
    const status = response.status;
    if (!response.ok) throw statusError({ provider, operation: id, redactor }, hooks.failure, error, response);
    const promised = meta.responses[String(status)] ?? meta.responses[`${String(status)[0]}XX`];
    if (data === undefined && promised && promised.length > 0) {
      throw new TransportError({ provider, operation: id, reason: "invalid-body", message: `the ${status} response has an empty body where the spec promises ${promised[0]}`, redactor });
    }
    const failure = hooks.failure(data, status, response);
    if (failure) {
      throw new ProviderError({ provider, operation: id, status, ...failure, body: data, redactor });
    }
    return data;
  }

  return Object.assign(wire, methods) as unknown as ProviderClient<Paths, Ops, Ids>;
}

/** Removes one occurrence of `m`, as openapi-fetch's `eject` does. */
function removeOne(list: Middleware[], m: Middleware): void {
  const i = list.indexOf(m);
  if (i !== -1) list.splice(i, 1);
}

/** The caller's headers (an object or a Headers) with `set` set over them: later wins, case-insensitively, as in openapi-fetch. */
function withHeaders(headers: CallInit["headers"], set: Readonly<Record<string, string>>): CallInit["headers"] {
  if (headers === undefined) return set;
  if (!(headers instanceof Headers)) return { ...(headers as Record<string, string>), ...set }; // openapi-fetch sets them in order
  const merged = new Headers(headers);
  for (const [name, value] of Object.entries(set)) merged.set(name, value);
  return merged;
}

interface ErrorContext {
  provider: string;
  operation: string;
  redactor: Redactor;
}

/** What an error thrown by the wire layer means to a caller: a JSON parse failure or a failed request. */
export function thrownError({ provider, operation, redactor }: ErrorContext, error: unknown): StreamspecError {
  if (error instanceof StreamspecError) return error;
  const invalid = error instanceof SyntaxError;
  return new TransportError({
    provider,
    operation,
    reason: invalid ? "invalid-body" : "network",
    message: invalid ? "the response body is not valid JSON" : "the request failed",
    // JSON.parse messages quote the body: V8 ~10 characters around the error (`Unexpected token 'o', "not json" is
    // not valid JSON`), JavaScriptCore (Bun) the token (`JSON Parse error: Unexpected identifier "not"`). Keep only
    // the words before the quote.
    cause: invalid ? new SyntaxError((error as Error).message.replace(/,?\s*(\.\.\.)?".*$/s, "")) : error,
    redactor,
  });
}

/** The ProviderError for an HTTP error status, worded by the provider's failure reading when it has one. */
export function statusError(ctx: ErrorContext, failure: ProviderHooks["failure"], body: unknown, response: Response): ProviderError {
  const status = response.status;
  const read = failure(body, status, response);
  return new ProviderError({
    ...ctx,
    status,
    code: read?.code,
    message: read?.message ?? `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ""}`,
    requestId: read?.requestId,
    body: truncate(body),
  });
}

function truncate(body: unknown): unknown {
  return typeof body === "string" && body.length > 4096 ? `${body.slice(0, 4096)}...` : body;
}
