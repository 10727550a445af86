// One request budget for every process behind one IP (Polyv counts per client IP): rate-limiter-flexible's
// Redis limiter does the counting. Its windows are fixed and whole seconds long, so the interval is cut into
// slices and each slice gets limit / (slices + 1) requests: any `intervalMs` span then overlaps at most
// slices + 1 of them, which keeps every sliding window of the provider's length under the limit (at the price of
// a slices/(slices+1) share of the budget: 10/11 for Polyv's 1500 per 10 s).
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { ConfigError } from "../core/errors.js";
import { createSlidingWindowLimiter, signalOptional } from "../core/limiter.js";
import type { Limiter } from "../core/transport.js";
import { isIORedis, type RedisClientLike } from "./commands.js";

export interface SharedLimiterOptions {
  /** Names the budget (e.g. your egress IP); processes that use the same key share it. */
  key: string;
  /** Requests that may start within one `intervalMs`, across all processes. */
  limit: number;
  /** Whole seconds, in milliseconds (the Redis counters expire by the second). */
  intervalMs: number;
  /** The share of `limit` each process allows itself while Redis can not be reached. Default 0.25. */
  fallbackShare?: number;
}

interface Context {
  client: RedisClientLike;
  prefix: string;
  timeoutMs: number;
  log: (message: string) => void;
}

/** How long the limiter works locally after Redis failed, before it asks Redis again. */
const RETRY_REDIS_MS = 1000;

function check(o: SharedLimiterOptions): Required<SharedLimiterOptions> {
  if (!o || typeof o.key !== "string" || o.key === "") throw new ConfigError("redis", "limiter.key", "is required: name the budget (e.g. the egress IP)");
  if (!Number.isInteger(o.limit) || o.limit < 2) throw new ConfigError("redis", "limiter.limit", "must be an integer of at least 2");
  if (!Number.isInteger(o.intervalMs) || o.intervalMs < 1000 || o.intervalMs % 1000 !== 0) {
    throw new ConfigError("redis", "limiter.intervalMs", "must be whole seconds (a multiple of 1000 ms)");
  }
  const share = o.fallbackShare ?? 0.25;
  if (typeof share !== "number" || !(share > 0 && share <= 1)) throw new ConfigError("redis", "limiter.fallbackShare", "must be a number in (0, 1]");
  return { key: o.key, limit: o.limit, intervalMs: o.intervalMs, fallbackShare: share };
}

/** The most slices (≤ 10) of whole seconds the interval divides into that still leave each slice a request. */
function slicesOf(intervalMs: number, limit: number): number {
  const seconds = intervalMs / 1000;
  for (let n = Math.min(10, seconds, limit - 1); n > 1; n--) if (seconds % n === 0) return n;
  return 1;
}

export function sharedLimiter(ctx: Context, options: SharedLimiterOptions): Limiter & { readonly perSlice: number; readonly sliceMs: number } {
  const { key, limit, intervalMs, fallbackShare } = check(options);
  const slices = slicesOf(intervalMs, limit);
  const perSlice = Math.floor(limit / (slices + 1));
  const sliceMs = intervalMs / slices;
  const counter = new RateLimiterRedis({
    storeClient: ctx.client,
    useRedisPackage: !isIORedis(ctx.client),
    keyPrefix: `${ctx.prefix}limit`,
    points: perSlice,
    duration: sliceMs / 1000,
  });
  const localLimit = Math.max(1, Math.floor(limit * fallbackShare));
  let local: Limiter | undefined;
  let downUntil = 0;

  async function consume(): Promise<number | "down"> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<"down">((resolve) => (timer = setTimeout(() => resolve("down"), ctx.timeoutMs)));
    const asked = counter.consume(key, 1).then(
      () => 0,
      (rejection: unknown) => (rejection instanceof RateLimiterRes ? Math.max(1, rejection.msBeforeNext) : ("down" as const)),
    );
    try {
      return await Promise.race([asked, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const done = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  return signalOptional({
    perSlice,
    sliceMs,
    async acquire(signal?: AbortSignal): Promise<void> {
      for (;;) {
        if (signal?.aborted) throw signal.reason;
        if (Date.now() >= downUntil) {
          const result = await consume();
          if (result === 0) {
            if (local) {
              local = undefined;
              ctx.log(`reachable again: the limiter "${key}" shares its budget through Redis again`);
            }
            return;
          }
          if (result !== "down") {
            // Over the shared budget: wait for the slice to end (a little jitter spreads the waiting processes).
            await wait(result + Math.random() * 10, signal);
            continue;
          }
          downUntil = Date.now() + RETRY_REDIS_MS;
          if (!local) {
            ctx.log(`unreachable: the limiter "${key}" falls back to a local limiter with ${fallbackShare * 100}% of the budget (${localLimit} requests in ${intervalMs} ms)`);
            local = createSlidingWindowLimiter({ limit: localLimit, intervalMs });
          }
        }
        return (local ??= createSlidingWindowLimiter({ limit: localLimit, intervalMs })).acquire(signal);
      }
    },
  });
}
