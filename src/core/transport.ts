// The fetch that openapi-fetch calls: per-attempt timeout, overall deadline, response size limit, rate limiting
// and retries. It sits under every middleware, so the wire layer (client.GET/POST) and the named operations
// share one policy. Retries happen only for operations whose spec says x-retry-safe: true.
import { TransportError, abortedError } from "./errors.js";
import { logError, logRequest, logResponse, type Logger } from "./logger.js";
import { PlannedRequest } from "./planned.js";
import { firstAttemptOf, type FirstAttempt } from "./request.js";
import type { OperationIndex, OperationMeta } from "./operation.js";
import type { Redactor } from "./redact.js";
import { RETRY_STATUSES, backoffDelay, retryAfterDelay, type ResolvedRetryPolicy } from "./retry.js";

export interface Limiter {
  /** Resolves when one more request may start; rejects if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<void>;
  /**
   * True for streamspec's own limiters, which take a call without a signal as one nothing aborts. Any other limiter
   * is always handed a signal (the README promises `acquire(signal)`), a stand-in when the caller gave none.
   */
  readonly signalOptional?: boolean;
}

export interface TransportConfig {
  provider: string;
  operations: OperationIndex;
  baseUrl: string;
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  deadlineMs: number;
  retry: ResolvedRetryPolicy | false;
  maxResponseBytes: number;
  redactor: Redactor;
  limiter?: Limiter;
  logger?: Logger;
}

interface Route {
  id: string;
  meta: OperationMeta;
  pattern: RegExp;
}

type Found = Pick<Route, "id" | "meta">;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** method → compiled path templates, so a Request can be traced back to its operation. */
function compileRoutes(operations: OperationIndex, baseUrl: string): Map<string, Route[]> {
  const prefix = escapeRegExp(new URL(baseUrl).pathname.replace(/\/$/, ""));
  const routes = new Map<string, Route[]>();
  for (const [id, meta] of Object.entries(operations)) {
    const body = meta.path.split(/\{[^}]+\}/).map(escapeRegExp).join("[^/]+");
    const list = routes.get(meta.method) ?? [];
    list.push({ id, meta, pattern: new RegExp(`^${prefix}${body}$`) });
    routes.set(meta.method, list);
  }
  return routes;
}


export function createTransport(cfg: TransportConfig): typeof globalThis.fetch {
  const routes = compileRoutes(cfg.operations, cfg.baseUrl);
  // Called as a plain function, never as `cfg.fetch(...)`: browsers' and workerd's fetch throw "Illegal
  // invocation" when called as a method of any object but the global one.
  const fetchOnce = cfg.fetch;
  const fail = (operation: string | undefined, reason: TransportError["reason"], message: string, cause?: unknown) =>
    new TransportError({ provider: cfg.provider, operation, reason, message, cause, redactor: cfg.redactor });
  const aborted = (operation: string | undefined, cause: unknown) => abortedError({ provider: cfg.provider, operation, redactor: cfg.redactor }, cause);

  // A named operation says which it is (FirstAttempt.operation); only the wire layer's requests are traced back
  // from their URL.
  function routeOf(request: Request | PlannedRequest, owned: FirstAttempt | undefined): Found | undefined {
    const id = owned?.operation;
    if (id !== undefined && Object.hasOwn(cfg.operations, id)) return { id, meta: cfg.operations[id]! };
    const pathname = new URL(request.url).pathname;
    return routes.get(request.method)?.find((r) => r.pattern.test(pathname));
  }

  return async function transport(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const original = (input instanceof Request || input instanceof PlannedRequest) && !init ? input : new Request(input, init);
    return send(original);
  };

  async function send(original: Request | PlannedRequest): Promise<Response> {
    // A named operation no middleware sees comes as the URL and init fetch takes (see PlannedRequest): every
    // attempt sends them as they are, its body included (a string or form data, readable again, never a stream).
    const planned = original instanceof PlannedRequest ? original : undefined;
    const request = planned ? undefined : (original as Request);
    // A named operation hands over its first attempt's controller (see firstAttempt): that Request can go out
    // as it is instead of being copied, and the caller's own signal is the one that means "aborted".
    const owned = firstAttemptOf(original);
    const route = routeOf(original, owned);
    const op = route?.id;
    const retry = cfg.retry && route?.meta.retrySafe ? cfg.retry : undefined;
    // A named operation called without a signal has none to follow (undefined: nothing can abort it but its own
    // limits). No stand-in signal is made for it: each AbortSignal costs Node's fetch path several microseconds.
    const userSignal: AbortSignal | undefined = owned ? owned.caller : request!.signal; // a planned one is always owned
    const deadline = owned ? (owned.deadline ??= Date.now() + cfg.deadlineMs) : Date.now() + cfg.deadlineMs;
    // A retried request needs its body again; keep an unread copy only when a retry is possible.
    let spare = retry && request?.body ? request.clone() : undefined;
    // A planned request's body is sent again as it is; its headers are copied first, since a fetch wrapper may
    // change the Headers it is handed: every retry gets a fresh copy of these.
    const retryHeaders = retry && planned ? new Headers(planned.init.headers) : undefined;
    let next = request;

    for (let attempt = 0; ; attempt++) {
      if (userSignal?.aborted) throw aborted(op, userSignal.reason);
      if (cfg.limiter) {
        // A stand-in signal that never aborts is made per call, only for a limiter that needs one (one made at
        // module scope would belong to whichever Worker request touched it first): each costs microseconds.
        const limiter = cfg.limiter;
        try {
          await limiter.acquire(userSignal ?? (limiter.signalOptional ? undefined : new AbortController().signal));
        } catch (reason) {
          // An abort while queued for a slot is an abort, not a network failure.
          throw userSignal?.aborted ? aborted(op, reason) : reason;
        }
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw fail(op, "deadline", `the overall deadline of ${cfg.deadlineMs} ms passed`);
      const budget = Math.min(cfg.timeoutMs, remaining);
      // Not a controller an earlier send of the same call aborted (a timed-out attempt before a re-login's repeat).
      const reuse = owned !== undefined && attempt === 0 && !owned.controller.signal.aborted;
      const controller = reuse ? owned.controller : new AbortController();
      // A named operation's first attempt sends the Request openapi-fetch built, which carries no signal of ours:
      // the attempt's signal goes to fetch beside it (`fetch(request, { signal })`, which every fetch honours;
      // fetch builds its own Request from the two anyway, and that one follows this signal directly). A fetch that
      // heeds only the Request's own signal is not waited for past the timeout or an abort either: the attempt
      // also ends when `stop` is called (its Promise.race below).
      let stop: ((reason: unknown) => void) | undefined;
      const onAbort = () => {
        controller.abort(userSignal!.reason);
        stop?.(userSignal!.reason);
      };
      userSignal?.addEventListener("abort", onAbort, { once: true });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
        stop?.(controller.signal.reason);
      }, budget);

      const current = next;
      if (retry && spare && attempt < retry.maxRetries) next = spare.clone();
      let failure: TransportError | undefined;
      let response: Response | undefined;
      // Every other attempt sends a copy of its Request on the attempt's own signal.
      // Node's fetch (undici) follows a Request's signal through a WeakRef: a Request nobody references can be
      // collected mid-flight, and then neither the timeout nor the caller's abort reaches it. `sending` is read
      // again after the fetch (logging, the error path), which keeps it alive until the attempt settles;
      // test/reliability/src-fixes.test.ts ("bug 1") hangs if an attempt's Request is held by nothing else.
      const sending = planned ? undefined : reuse ? current : new Request(current!, { signal: controller.signal });
      // What the log shows of the request (exactly as sent); read after the fetch, it also keeps `sending` alive
      // (see above). A planned request is built as a Request only for the logger, inside the attempt (planRequest has
      // already refused an init Request would refuse; were one to fail here, the attempt's timer and listener go too).
      let shown: Pick<Request, "method" | "url"> = (sending ?? planned)!;
      const exchange = async (): Promise<Response> => {
        if (cfg.logger) await logRequest(cfg.logger, cfg.redactor, (shown = sending ?? new Request(planned!.url, planned!.init)), attempt + 1);
        const sent = await (planned
          ? fetchOnce(planned.url, { ...planned.init, ...(attempt ? { headers: new Headers(retryHeaders) } : {}), signal: controller.signal })
          : reuse
            ? fetchOnce(sending!, { signal: controller.signal })
            : fetchOnce(sending!));
        if (cfg.logger) logResponse(cfg.logger, cfg.redactor, shown, sent, attempt + 1);
        const bytes = await readBounded(sent, cfg.maxResponseBytes, () => fail(op, "too-large", `the response is larger than ${cfg.maxResponseBytes} bytes`));
        // The whole body is read inside the attempt either way, so the timeout and the retries cover it. A named
        // operation reads a success from these bytes (bufferedText): the Response it came in can be handed over
        // as it is. Everyone else (the wire layer, an error status, a middleware that reads bodies) gets a copy.
        return owned?.handover && sent.ok ? keep(sent, bytes) : copy(sent, bytes);
      };
      try {
        response = reuse || planned
          ? await Promise.race([exchange(), new Promise<never>((_, reject) => void (stop = reject))])
          : await exchange();
      } catch (error) {
        if (error instanceof TransportError) failure = error;
        else if (userSignal?.aborted) failure = aborted(op, userSignal.reason);
        else if (timedOut) {
          failure = budget < cfg.timeoutMs
            ? fail(op, "deadline", `the overall deadline of ${cfg.deadlineMs} ms passed`)
            : fail(op, "timeout", `no complete answer within ${cfg.timeoutMs} ms`);
        } else failure = fail(op, "network", `the request failed: ${describe(error)}`, error);
        if (cfg.logger) logError(cfg.logger, cfg.redactor, shown, failure, attempt + 1);
      } finally {
        clearTimeout(timer);
        userSignal?.removeEventListener("abort", onAbort);
      }

      const canRetry = retry !== undefined && attempt < retry.maxRetries;
      if (failure) {
        if (!canRetry || !RETRYABLE_FAILURES.has(failure.reason)) throw failure;
        const wait = backoffDelay(retry, attempt);
        if (Date.now() + wait >= deadline) throw failure;
        await pause(op, wait, userSignal);
        continue;
      }
      if (!canRetry || !RETRY_STATUSES.has(response!.status)) return response!;
      const wait = retryAfterDelay(response!.headers.get("retry-after")) ?? backoffDelay(retry, attempt);
      // A wait past the budget would only delay the same answer: hand it over now.
      if (wait > retry.maxRetryAfterMs || Date.now() + wait >= deadline) return response!;
      await pause(op, wait, userSignal);
    }
  }

  async function pause(op: string | undefined, ms: number, signal: AbortSignal | undefined): Promise<void> {
    await sleep(ms, signal).catch((reason) => {
      throw aborted(op, reason);
    });
  }
}

const RETRYABLE_FAILURES = new Set<TransportError["reason"]>(["network", "timeout"]);

/** Reads the whole body (the timeout covers it) and refuses bodies over the limit without buffering them. */
async function readBounded(response: Response, limit: number, tooLarge: () => TransportError): Promise<Uint8Array | undefined> {
  const length = response.headers.get("content-length");
  const declared = length === null || length === "" ? NaN : Number(length);
  if (declared > limit) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (!response.body) return undefined;
  // A declared length within the limit: one internal read instead of a reader loop (undici holds a network body
  // to its Content-Length). A Response from a custom fetch may declare less than it carries, so the size is
  // checked again once read.
  if (Number.isSafeInteger(declared)) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength > limit) throw tooLarge();
    return bytes;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0]! : concat(chunks, size);
}

/** The Response whose body was read into `bytes`, kept as it is: its bytes are what `bufferedText` gives. */
function keep(response: Response, bytes: Uint8Array | undefined): Response {
  if (bytes !== undefined) buffered.set(response, bytes);
  return response;
}

/** A readable copy of a Response whose body was read into `bytes`. */
function copy(response: Response, bytes: Uint8Array | undefined): Response {
  if (bytes === undefined) return response;
  const empty = response.status === 204 || response.status === 304;
  const bounded = new Response(empty ? null : (bytes as BodyInit), { status: response.status, statusText: response.statusText, headers: response.headers });
  // A constructed Response has no URL and was never redirected: the caller still sees the answer's own.
  Object.defineProperties(bounded, { url: { value: response.url }, redirected: { value: response.redirected } });
  if (!empty) buffered.set(bounded, bytes);
  return bounded;
}

// The bytes of every bounded Response, so middleware that must look into a body (a re-auth check) can read them
// without `response.clone()`, which tees the stream.
const buffered = new WeakMap<Response, Uint8Array>();
const utf8 = new TextDecoder();

/** The text of a Response this transport produced, read from the bytes it already holds; else undefined. */
export function bufferedText(response: Response): string | undefined {
  const bytes = buffered.get(response);
  return bytes === undefined ? undefined : utf8.decode(bytes);
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${(error.cause as Error & { code?: string }).code ?? error.cause.message}` : "";
  return `${error.message}${cause}`;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
