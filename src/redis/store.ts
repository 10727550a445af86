// The shared store over the app's Redis: entries sealed with AES-256-GCM, writes that compare versions, and
// the Redis documentation's single-instance lock. Node-redis and ioredis clients both work (see commands.ts).
import { ConfigError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { DEFAULT_LOCK_TTL_MS, StoreError, type LockOptions, type Store, type StoreEntry } from "../core/store.js";
import type { Limiter } from "../core/transport.js";
import { READ, WRITE, LOCK, UNLOCK, commands, isRedisClient, type RedisClientLike } from "./commands.js";
import { sharedLimiter, type SharedLimiterOptions } from "./limiter.js";
import { aesGcmSealer, keyBytes, plaintext } from "./seal.js";

export interface RedisStoreOptions {
  /** Your connected Redis client: node-redis (`createClient()`, v4+) or ioredis (`new Redis()`). */
  redis: RedisClientLike;
  /** Prepended to every key. Default `streamspec:`. */
  keyPrefix?: string;
  /** 32 bytes (or their base64 text): tokens are stored AES-256-GCM-encrypted with it. Required unless `allowPlaintext`. */
  encryptionKey?: Uint8Array | ArrayBuffer | string;
  /** Store tokens unencrypted (a Redis only trusted parties can read). Default false. */
  allowPlaintext?: boolean;
  /** How long one Redis step may take before the call that needs it fails. Default 2000 ms. */
  operationTimeoutMs?: number;
  /**
   * How long a renewal lock holds when its holder died (others then take over). Default 30 000 ms, the default
   * length of one attempt: a live holder finishes its one token call within it.
   */
  lockTtlMs?: number;
  /** Told about values that can not be read and about the limiter's fallbacks. */
  logger?: Logger;
}

export interface RedisStore extends Store {
  /**
   * A limiter that all processes sharing this Redis obey together (for Polyv's per-IP quota): at most `limit`
   * requests in any `intervalMs`. When Redis can not be reached, each process falls back to a local limiter with
   * `fallbackShare` of the budget (default 0.25) and says so once through `logger`.
   */
  limiter(options: SharedLimiterOptions): Limiter;
}

const randomId = () => Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join("");

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function createRedisStore(options: RedisStoreOptions): RedisStore {
  if (!options || typeof options !== "object") throw new ConfigError("redis", "redis", "is required: pass { redis: yourClient, encryptionKey }");
  if (!isRedisClient(options.redis)) {
    throw new ConfigError("redis", "redis", "must be a node-redis (v4+) or ioredis client (an object with eval())");
  }
  const prefix = options.keyPrefix ?? "streamspec:";
  if (typeof prefix !== "string") throw new ConfigError("redis", "keyPrefix", "must be a string");
  const timeoutMs = options.operationTimeoutMs ?? 2000;
  if (typeof timeoutMs !== "number" || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new ConfigError("redis", "operationTimeoutMs", "must be a positive number of milliseconds");
  }
  const lockTtlMs = options.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;
  if (typeof lockTtlMs !== "number" || !Number.isFinite(lockTtlMs) || lockTtlMs <= 0) {
    throw new ConfigError("redis", "lockTtlMs", "must be a positive number of milliseconds");
  }
  if (options.encryptionKey === undefined && options.allowPlaintext !== true) {
    throw new ConfigError("redis", "encryptionKey", "is required (tokens are secrets): pass 32 random bytes, or allowPlaintext: true to store them unencrypted");
  }
  const sealer = options.encryptionKey === undefined ? plaintext : aesGcmSealer(keyBytes(options.encryptionKey));
  const redis = commands(options.redis, timeoutMs);
  const log = (message: string) => options.logger?.({ type: "store", store: "redis", message });

  return {
    name: "redis",

    async get<T>(key: string): Promise<StoreEntry<T> | undefined> {
      const name = prefix + key;
      const [version, data] = (await redis.eval(READ, [name], [])) as [string | null, string | null];
      if (version === null || version === undefined) return undefined;
      const opened = data === null ? undefined : await sealer.open(name, data);
      try {
        if (opened !== undefined) return { value: JSON.parse(opened) as T, version };
      } catch {
        // reported below
      }
      // Another key, tampering, or a value written in plaintext by a misconfigured process: never a crash.
      log(`the value under ${name} could not be ${opened === undefined ? "decrypted" : "parsed"}: treated as absent`);
      return { value: undefined as T, version };
    },

    async set<T>(key: string, value: T, opts: { ttlMs?: number; ifVersion?: string | null } = {}): Promise<string | undefined> {
      const name = prefix + key;
      const version = randomId();
      const mode = opts.ifVersion === undefined ? "any" : opts.ifVersion === null ? "absent" : "version";
      const data = await sealer.seal(name, JSON.stringify(value));
      const written = await redis.eval(WRITE, [name], [version, data, opts.ttlMs === undefined ? "" : String(Math.ceil(opts.ttlMs)), mode, opts.ifVersion ?? ""]);
      return Number(written) === 1 ? version : undefined;
    },

    async withLock<T>(key: string, fn: () => Promise<T>, lock: LockOptions = {}): Promise<T> {
      const name = prefix + key;
      const ttlMs = lock.ttlMs ?? lockTtlMs;
      const waitMs = lock.waitMs ?? 2 * ttlMs;
      const owner = randomId();
      const giveUp = Date.now() + waitMs;
      // Poll with growing, jittered pauses: waiters usually need the holder's one HTTP call, not the whole ttl.
      for (let pause = 10; ; pause = Math.min(pause * 2, 250)) {
        if (Number(await redis.eval(LOCK, [name], [owner, String(Math.ceil(ttlMs))])) === 1) break;
        const left = giveUp - Date.now();
        if (left <= 0) throw new StoreError("redis", `lock ${name} was not free within ${waitMs} ms`);
        await sleep(Math.min(left, pause + Math.random() * pause));
      }
      try {
        return await fn();
      } finally {
        // A failed unlock is harmless: the lock expires after ttlMs.
        await redis.eval(UNLOCK, [name], [owner]).catch(() => undefined);
      }
    },

    limiter(opts: SharedLimiterOptions): Limiter {
      return sharedLimiter({ client: options.redis, prefix, timeoutMs, log }, opts);
    },
  };
}
