// Building a Request from another inside middleware without losing what the transport needs from it.

/**
 * The key under which a named operation passes its first attempt's controller (see transport.ts). openapi-fetch
 * copies unknown init keys onto the Request it builds, and `rebuild` carries it to a replacement, so the
 * transport can send the first attempt as it is instead of copying it (a copy pipes the body through a new
 * stream and makes a new following signal: the largest per-call cost `npm run bench` measured).
 */
export const FIRST_ATTEMPT = "streamspecFirstAttempt";

export interface FirstAttempt {
  controller: AbortController;
  /** The caller's own signal, the one whose abort means "aborted". */
  caller: AbortSignal | undefined;
  /** The operation the SDK layer is calling, so the transport need not find it again from the URL. */
  operation?: string;
  /**
   * The caller reads a successful body from the transport's buffer (`bufferedText`), not from the Response: the
   * transport may then hand over the Response it read instead of building a copy of it.
   */
  handover?: boolean;
  /**
   * When the call's overall deadline passes (ms since the epoch): set by the transport on the call's first send and
   * kept by a repeat after a re-login, so `deadlineMs` covers the whole call.
   */
  deadline?: number;
}

type Marked = Request & { [FIRST_ATTEMPT]?: FirstAttempt };

export function firstAttemptOf(request: Request | { [FIRST_ATTEMPT]?: FirstAttempt }): FirstAttempt | undefined {
  return (request as Marked)[FIRST_ATTEMPT];
}

/** `to`, carrying `from`'s first attempt (if it has one), so the transport still knows it as the same call's. */
function sameCall(to: Request, from: Request): Request {
  const first = firstAttemptOf(from);
  if (first) (to as Marked)[FIRST_ATTEMPT] = first;
  return to;
}

/** A copy of `from` to send again later (request.clone()), still known to the transport as the same call's. */
export function cloneRequest(from: Request): Request {
  return sameCall(from.clone(), from);
}

/**
 * A replacement for `from` at `url` with `init` (method, headers, body), keeping its first-attempt controller.
 * The replacement follows that controller's signal directly: Node's fetch links following signals through
 * WeakRefs, so following `from.signal` (a Request about to be dropped) could lose the timeout to a GC.
 */
export function rebuild(from: Request, url: URL | string, init: Omit<RequestInit, "signal">): Request {
  const first = firstAttemptOf(from);
  const body = init.body;
  const next = new Request(url, {
    // Everything else about the request (a manual redirect, say) stays as it was.
    redirect: from.redirect,
    cache: from.cache,
    credentials: from.credentials,
    integrity: from.integrity,
    keepalive: from.keepalive,
    mode: from.mode,
    referrerPolicy: from.referrerPolicy,
    ...init,
    // A named operation's attempt gets its signal from the transport (fetch(request, { signal })).
    signal: first ? undefined : from.signal,
    ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);
  return sameCall(next, from);
}
