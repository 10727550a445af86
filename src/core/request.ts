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
}

export function firstAttemptOf(request: Request): FirstAttempt | undefined {
  return (request as Request & { [FIRST_ATTEMPT]?: FirstAttempt })[FIRST_ATTEMPT];
}

/** `new Request(input, init)` that keeps `from`'s first-attempt controller. */
export function rebuild(from: Request, input: Request | URL | string, init?: RequestInit): Request {
  const next = new Request(input, init);
  const first = firstAttemptOf(from);
  if (first) (next as Request & { [FIRST_ATTEMPT]?: FirstAttempt })[FIRST_ATTEMPT] = first;
  return next;
}
