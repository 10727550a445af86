// Keeps one access token for a client: hands it out while it is fresh, renews it when it is about to expire
// or has been reported dead, and makes every concurrent caller share one renewal (as twurple does).
import type { Redactor } from "./redact.js";

export interface Token {
  accessToken: string;
  refreshToken?: string;
  /** Milliseconds since the epoch; absent when the provider does not say. */
  expiresAt?: number;
}

export interface TokenKeeperOptions<T extends Token> {
  /** Obtains a new token; `current` is the token being replaced, if any. */
  obtain: (current: T | undefined) => Promise<T>;
  /** Called with every new token, so the app can persist it. */
  onToken?: (token: T) => void | Promise<void>;
  redactor: Redactor;
  /** A token that expires within this window counts as expired (default 60 s). */
  earlyMs?: number;
  now?: () => number;
}

export class TokenKeeper<T extends Token> {
  private token: T | undefined;
  private inFlight: Promise<T> | undefined;
  private readonly earlyMs: number;
  private readonly now: () => number;

  constructor(private readonly options: TokenKeeperOptions<T>, initial?: T) {
    this.earlyMs = options.earlyMs ?? 60_000;
    this.now = options.now ?? Date.now;
    if (initial) this.remember(initial);
  }

  /** The token as it stands, fresh or not. */
  current(): T | undefined {
    return this.token;
  }

  /** Store a token obtained elsewhere (e.g. a code exchange) and announce it. */
  async set(token: T): Promise<T> {
    this.remember(token);
    await this.options.onToken?.(token);
    return token;
  }

  isFresh(token: T | undefined = this.token): token is T {
    return token !== undefined && (token.expiresAt === undefined || token.expiresAt - this.earlyMs > this.now());
  }

  /** A fresh token, renewing first when needed; concurrent callers share one renewal. */
  async get(): Promise<T> {
    if (this.isFresh()) return this.token!;
    return this.renew();
  }

  /**
   * Renew now. When `stale` is given and the kept token is already a different one (another caller renewed
   * while this one waited), that token is returned instead of renewing twice.
   */
  renew(stale?: string): Promise<T> {
    if (stale !== undefined && this.token && this.token.accessToken !== stale) return Promise.resolve(this.token);
    this.inFlight ??= (async () => {
      try {
        return await this.set(await this.options.obtain(this.token));
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }

  private remember(token: T): void {
    this.options.redactor.add(token.accessToken, token.refreshToken);
    this.token = token;
  }
}
