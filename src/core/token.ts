// Keeps one access token for a client: hands it out while it is fresh, renews it when it is about to expire
// or has been reported dead, and makes every concurrent caller share one renewal (as twurple does). With a shared
// store (streamspec/redis), "every caller" spans processes: the token lives in the store, and a renewal runs under
// the store's lock, re-reading the token inside it, so a process that waited uses the token another one just
// obtained instead of renewing (and, with rotating refresh tokens, revoking) it again.
import { TransportError } from "./errors.js";
import type { Redactor } from "./redact.js";
import { StoreError, createMemoryStore, type Store, type StoreEntry } from "./store.js";

export interface Token {
  accessToken: string;
  refreshToken?: string;
  /** Milliseconds since the epoch; absent when the provider does not say. */
  expiresAt?: number;
}

export interface TokenKeeperOptions<T extends Token> {
  /** Obtains a new token; `current` is the newest token known (the stored one, else this process's), if any. */
  obtain: (current: T | undefined) => Promise<T>;
  /** Called with every new token this process obtains (not with one another process obtained), to persist it. */
  onToken?: (token: T) => void | Promise<void>;
  redactor: Redactor;
  /** A token that expires within this window counts as expired (default 60 s). */
  earlyMs?: number;
  now?: () => number;
  /** Where the token is shared (default: this client's own memory). */
  store?: Store;
  /** The token's key in the store; it names no secret. */
  key?: string;
  /** For the store's errors. */
  provider?: string;
  /** How long the renewal lock holds without its holder. Default: the store's own (30 s for both stores). */
  lockTtlMs?: number;
}

export class TokenKeeper<T extends Token> {
  private token: T | undefined;
  private inFlight: Promise<T> | undefined;
  private readonly earlyMs: number;
  private readonly now: () => number;
  private readonly store: Store;
  private readonly key: string;

  constructor(private readonly options: TokenKeeperOptions<T>, initial?: T) {
    this.earlyMs = options.earlyMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.store = options.store ?? createMemoryStore();
    this.key = options.key ?? "token";
    if (initial) this.remember(initial);
  }

  /** The token as this process last saw it, fresh or not. */
  current(): T | undefined {
    return this.token;
  }

  /** Store a token obtained elsewhere (e.g. a code exchange) and announce it. */
  async set(token: T): Promise<T> {
    return this.keep(token, undefined);
  }

  isFresh(token: T | undefined = this.token): token is T {
    return token !== undefined && (token.expiresAt === undefined || token.expiresAt - this.earlyMs > this.now());
  }

  /** A fresh token, renewing first when needed; concurrent callers (of every process sharing the store) share one renewal. */
  get(): Promise<T> {
    const now = this.available();
    return now instanceof Promise ? now : Promise.resolve(now);
  }

  /**
   * The token at once when this process holds a fresh one, else `get()`'s promise: a caller on every request's path
   * skips a turn of the microtask queue in the common case.
   */
  available(): T | Promise<T> {
    return this.isFresh() ? this.token! : this.fetchFresh();
  }

  private async fetchFresh(): Promise<T> {
    const stored = await this.read();
    if (stored && this.isFresh(stored.value)) return this.adopt(stored);
    return this.renew();
  }

  /**
   * Renew now. When `stale` is given and the newest token is already a different one (another caller, or another
   * process, renewed while this one waited), that token is returned instead of renewing twice. Without `stale`,
   * a renewal always obtains a new token.
   */
  renew(stale?: string): Promise<T> {
    if (stale !== undefined && this.token && this.token.accessToken !== stale && this.isFresh()) return Promise.resolve(this.token);
    this.inFlight ??= (async () => {
      try {
        const lock = this.options.lockTtlMs === undefined ? {} : { ttlMs: this.options.lockTtlMs };
        return await this.guard(this.store.withLock(`${this.key}:lock`, () => this.renewLocked(stale), lock));
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }

  private async renewLocked(stale: string | undefined): Promise<T> {
    // Inside the lock: whoever held it before may have renewed already.
    const stored = await this.readEntry();
    const usable = stored && typeof stored.value?.accessToken === "string" ? (stored as StoreEntry<T>) : undefined;
    const newest = usable?.value ?? this.token;
    const known = stale ?? this.token?.accessToken;
    if (usable && this.isFresh(usable.value) && usable.value.accessToken !== known) return this.adopt(usable);
    // Only over the entry just read: a holder whose lock expired must not put back an older token.
    return this.keep(await this.options.obtain(newest), stored?.version ?? null);
  }

  /**
   * A new token: kept here first, so a store that fails to take it loses nothing (this process goes on with it,
   * and onToken still hands it to the app), then written to the store and announced. A store failure is thrown
   * after that, so the call that needed the store says so.
   */
  private async keep(token: T, ifVersion: string | null | undefined): Promise<T> {
    this.remember(token);
    let failure: unknown;
    await this.guard(this.store.set(this.key, token, ifVersion === undefined ? {} : { ifVersion })).catch((error: unknown) => {
      failure = error;
    });
    await this.options.onToken?.(token);
    if (failure) throw failure;
    return token;
  }

  /** The stored entry, even one whose value could not be read (its version still lets a new token replace it). */
  private readEntry(): Promise<StoreEntry<T | undefined> | undefined> {
    return this.guard(this.store.get<T | undefined>(this.key));
  }

  /** The stored token, when there is a usable one. */
  private async read(): Promise<StoreEntry<T> | undefined> {
    const stored = await this.readEntry();
    return stored && typeof stored.value?.accessToken === "string" ? (stored as StoreEntry<T>) : undefined;
  }

  private adopt(stored: StoreEntry<T>): T {
    this.remember(stored.value);
    return stored.value;
  }

  private remember(token: T): void {
    this.options.redactor.add(token.accessToken, token.refreshToken);
    this.token = token;
  }

  /** A store failure is no provider's answer: a TransportError (reason "store") that names the store. */
  private async guard<R>(work: Promise<R>): Promise<R> {
    try {
      return await work;
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      throw new TransportError({ provider: this.options.provider ?? "streamspec", reason: "store", message: error.message, cause: error.cause, redactor: this.options.redactor });
    }
  }
}
