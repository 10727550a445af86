// Which answers are worth asking again, and how long to wait. Whether an operation may be retried at all
// comes from its spec (x-retry-safe); this only says when and how often.

export interface RetryPolicy {
  /** Extra attempts after the first (default 2). */
  maxRetries?: number;
  /** First backoff step (default 300 ms); doubles each attempt, with jitter. */
  baseDelayMs?: number;
  /** Cap on one backoff step (default 8 s). */
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the answer is returned as it is (default 60 s). */
  maxRetryAfterMs?: number;
  /** Source of randomness for jitter (tests pin it). */
  random?: () => number;
}

export type ResolvedRetryPolicy = Required<RetryPolicy>;

/** Connection errors and timeouts are retried too (see transport.ts). */
export const RETRY_STATUSES = new Set([429, 502, 503, 504]);

export function resolveRetryPolicy(policy: RetryPolicy | false | undefined): ResolvedRetryPolicy | false {
  if (policy === false) return false;
  return {
    maxRetries: policy?.maxRetries ?? 2,
    baseDelayMs: policy?.baseDelayMs ?? 300,
    maxDelayMs: policy?.maxDelayMs ?? 8_000,
    maxRetryAfterMs: policy?.maxRetryAfterMs ?? 60_000,
    random: policy?.random ?? Math.random,
  };
}

/** Capped exponential backoff with up to 25% jitter taken off, so clients that failed together spread out. */
export function backoffDelay(policy: ResolvedRetryPolicy, attempt: number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(step * (1 - 0.25 * policy.random()));
}

/** Retry-After as delta-seconds or an HTTP-date; undefined when absent or unreadable. */
export function retryAfterDelay(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
