// Polyv blocks a client IP for 5 minutes once it sends more than the spec's quota (info.rateLimit) in one
// window. The quota is per IP, not per client object, so every Polyv client of the process shares one limiter
// unless told otherwise.
import { info, provider } from "../../generated/polyv.operations.js";
import { ConfigError } from "../core/errors.js";
import { createSlidingWindowLimiter, type SlidingWindowLimiter } from "../core/limiter.js";
import type { Limiter } from "../core/transport.js";

export interface PolyvRateLimit {
  /** Requests that may start within one window. */
  limit: number;
  intervalMs: number;
}

/** `false` switches limiting off; numbers give this client a limiter of its own; a Limiter is used as is. */
export type PolyvRateLimitOption = PolyvRateLimit | Limiter | false;

let shared: SlidingWindowLimiter | undefined;

/** The process-wide limiter, created on first use with the spec's numbers. */
export function sharedPolyvLimiter(): SlidingWindowLimiter {
  shared ??= createSlidingWindowLimiter({ limit: info.rateLimit.limit, intervalMs: info.rateLimit.intervalMs });
  return shared;
}

export function resolveRateLimit(option: PolyvRateLimitOption | undefined): Limiter | undefined {
  if (option === undefined) return sharedPolyvLimiter();
  if (option === false) return undefined;
  if (typeof option !== "object" || option === null) throw new ConfigError(provider, "rateLimit", "must be { limit, intervalMs }, a limiter or false");
  if (typeof (option as Limiter).acquire === "function") return option as Limiter;
  const { limit, intervalMs } = option as PolyvRateLimit;
  if (!Number.isInteger(limit) || limit < 1) throw new ConfigError(provider, "rateLimit", "limit must be a positive integer");
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) { // isFinite is false for anything but a finite number
    throw new ConfigError(provider, "rateLimit", "intervalMs must be a positive number of milliseconds");
  }
  return createSlidingWindowLimiter({ limit, intervalMs });
}
