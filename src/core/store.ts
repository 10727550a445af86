// Where a client keeps what several processes must share: the SOOP token and the Arctos session, and the lock
// that lets one process at a time renew them. The in-memory store (the default) keeps today's one-process
// behaviour; `streamspec/redis` gives the same interface over the app's Redis, so every instance of an app sees
// one token and one renewal.
import { ConfigError } from "./errors.js";

/** A stored value and the version it was written as (compare it to write only over what was read). */
export interface StoreEntry<T> {
  readonly value: T;
  readonly version: string;
}

export interface LockOptions {
  /** How long the lock holds without its holder (a holder that died frees it after this). */
  ttlMs?: number;
  /** How long to wait for the lock before giving up with an error. Default: twice `ttlMs`. */
  waitMs?: number;
}

export interface Store {
  /** Names the store in errors and log lines, e.g. "memory" or "redis". */
  readonly name: string;
  /** The entry under `key`; undefined when there is none, it expired, or it can not be read (reported, not thrown). */
  get<T>(key: string): Promise<StoreEntry<T> | undefined>;
  /**
   * Writes `value` under `key` (expiring after `ttlMs` when given) and resolves to its new version. With
   * `ifVersion`, writes only if the entry is still that version (`null`: only if there is none) and resolves to
   * undefined otherwise, so a process never overwrites a newer value with an older one.
   */
  set<T>(key: string, value: T, options?: { ttlMs?: number; ifVersion?: string | null }): Promise<string | undefined>;
  /**
   * Runs `fn` holding `key`'s lock, which other holders of the same store (other processes too) respect; it is
   * released when `fn` settles, or expires after `ttlMs`. Read the value again inside `fn`: another holder may
   * have changed it while this one waited.
   */
  withLock<T>(key: string, fn: () => Promise<T>, options?: LockOptions): Promise<T>;
}

export const DEFAULT_LOCK_TTL_MS = 30_000;

/**
 * What a store throws when it can not do its part (unreachable, too slow, lock not obtained in time). The client
 * turns it into a TransportError (reason "store") naming the store; errors of the work run under a lock pass as they are.
 */
export class StoreError extends Error {
  override readonly name = "StoreError";
  constructor(readonly store: string, message: string, options?: { cause?: unknown }) {
    super(`the ${store} store ${message}`, options);
  }
}

/** A `store` option: undefined (the default) or an object with the Store methods. */
export function checkStore(value: unknown, provider = "streamspec"): Store | undefined {
  if (value === undefined) return undefined;
  const s = value as Partial<Store> | null;
  if (!s || typeof s !== "object" || typeof s.get !== "function" || typeof s.set !== "function" || typeof s.withLock !== "function") {
    throw new ConfigError(provider, "store", "must be a store (e.g. createRedisStore from streamspec/redis) with get, set and withLock");
  }
  return s as Store;
}

let serial = 0;
const nextVersion = () => `${Date.now().toString(36)}.${(++serial).toString(36)}`;

/** A store in this process's memory: one per client unless shared on purpose. */
export function createMemoryStore(): Store {
  const entries = new Map<string, { value: unknown; version: string; expiresAt: number | undefined }>();
  const locks = new Map<string, Promise<unknown>>();

  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  return {
    name: "memory",
    async get<T>(key: string) {
      const entry = live(key);
      return entry ? { value: entry.value as T, version: entry.version } : undefined;
    },
    async set<T>(key: string, value: T, options: { ttlMs?: number; ifVersion?: string | null } = {}) {
      if (options.ifVersion !== undefined && (live(key)?.version ?? null) !== options.ifVersion) return undefined;
      const version = nextVersion();
      entries.set(key, { value, version, expiresAt: options.ttlMs === undefined ? undefined : Date.now() + options.ttlMs });
      return version;
    },
    // One process holds its own locks for as long as it needs them: nobody else can die holding them.
    withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const before = locks.get(key) ?? Promise.resolve();
      const run = before.then(fn, fn);
      const tail = run.catch(() => undefined);
      locks.set(key, tail);
      void tail.then(() => {
        if (locks.get(key) === tail) locks.delete(key);
      });
      return run;
    },
  };
}
