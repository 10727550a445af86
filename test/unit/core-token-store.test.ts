// TokenKeeper over a shared store: keepers sharing one store stand for processes sharing one Redis.
import { describe, expect, it } from "vitest";
import { TransportError } from "../../src/index.js";
import { Redactor } from "../../src/core/redact.js";
import { StoreError, createMemoryStore, type Store } from "../../src/core/store.js";
import { TokenKeeper, type Token } from "../../src/core/token.js";

const NOW = 1_700_000_000_000;
const expired = (accessToken: string, refreshToken = `r-${accessToken}`): Token => ({ accessToken, refreshToken, expiresAt: NOW - 1 });

function provider() {
  let n = 0;
  const seen: (string | undefined)[] = [];
  return {
    seen,
    get count() {
      return n;
    },
    async obtain(current: Token | undefined): Promise<Token> {
      seen.push(current?.refreshToken);
      await new Promise((r) => setTimeout(r, 5));
      n++;
      return { accessToken: `a${n}`, refreshToken: `r${n}`, expiresAt: NOW + 3_600_000 };
    },
  };
}

function keeper(store: Store, p: ReturnType<typeof provider>, announced: string[], initial?: Token) {
  return new TokenKeeper<Token>({ obtain: (c) => p.obtain(c), onToken: (t) => void announced.push(t.accessToken), redactor: new Redactor(), now: () => NOW, store, key: "k", provider: "test" }, initial);
}

describe("TokenKeeper with a shared store", () => {
  it("keepers that share a store make one renewal for all their concurrent callers; onToken fires once, where it was obtained", async () => {
    const store = createMemoryStore();
    await store.set("k", expired("a0"));
    const p = provider();
    const announced: string[][] = [[], [], []];
    const keepers = announced.map((list) => keeper(store, p, list));
    const tokens = await Promise.all(Array.from({ length: 30 }, (_, i) => keepers[i % 3]!.get()));
    expect(p.count).toBe(1);
    expect(p.seen).toEqual(["r-a0"]); // refreshed with the stored refresh token
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(["a1"]));
    expect(announced.flat()).toEqual(["a1"]);
    expect((await store.get<Token>("k"))!.value.accessToken).toBe("a1");
  });

  it("a keeper without a token of its own uses the one in the store", async () => {
    const store = createMemoryStore();
    await store.set("k", { accessToken: "stored", expiresAt: NOW + 3_600_000 });
    const p = provider();
    expect((await keeper(store, p, []).get()).accessToken).toBe("stored");
    expect(p.count).toBe(0);
  });

  it("after a rejected token, every keeper renewing for the same stale token shares one renewal", async () => {
    const store = createMemoryStore();
    await store.set("k", { accessToken: "dead", expiresAt: NOW + 3_600_000 });
    const p = provider();
    const keepers = [keeper(store, p, []), keeper(store, p, [])];
    await Promise.all(keepers.map((k) => k.get()));
    const renewed = await Promise.all(Array.from({ length: 10 }, (_, i) => keepers[i % 2]!.renew("dead")));
    expect(p.count).toBe(1);
    expect(new Set(renewed.map((t) => t.accessToken))).toEqual(new Set(["a1"]));
  });

  it("a renewal whose entry changed meanwhile (its lock expired) does not overwrite the newer token", async () => {
    const store = createMemoryStore();
    const unlocked: Store = { ...store, name: "memory", withLock: (_key, fn) => fn() }; // a lock that already expired
    await store.set("k", expired("a0"));
    const slow: Token[] = [];
    const k = new TokenKeeper<Token>(
      {
        async obtain() {
          await store.set("k", { accessToken: "newer", expiresAt: NOW + 3_600_000 }); // another process finished first
          return { accessToken: "late", expiresAt: NOW + 3_600_000 };
        },
        onToken: (t) => void slow.push(t),
        redactor: new Redactor(),
        now: () => NOW,
        store: unlocked,
        key: "k",
      },
    );
    expect((await k.get()).accessToken).toBe("late");
    expect((await store.get<Token>("k"))!.value.accessToken).toBe("newer");
  });

  it("a store that fails to take a new token loses nothing: kept, announced, then the call fails naming the store", async () => {
    const store = createMemoryStore();
    const failing: Store = { ...store, name: "redis", set: async () => Promise.reject(new StoreError("redis", "failed: connection lost")) };
    const announced: string[] = [];
    const p = provider();
    const k = keeper(failing, p, announced, expired("a0"));
    const err = await k.get().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ reason: "store", provider: "test", message: "test: the redis store failed: connection lost" });
    expect(announced).toEqual(["a1"]);
    expect(k.current()?.accessToken).toBe("a1");
    expect((await k.get()).accessToken).toBe("a1"); // no store needed while it is fresh
    expect(p.count).toBe(1);
  });

  it("errors of the renewal itself pass through unchanged (not dressed as store errors)", async () => {
    const k = new TokenKeeper<Token>({ obtain: async () => Promise.reject(new RangeError("provider said no")), redactor: new Redactor(), store: createMemoryStore(), key: "k" });
    await expect(k.get()).rejects.toThrow(RangeError);
  });

  it("an unreadable stored value is replaced by the next renewal", async () => {
    const store = createMemoryStore();
    await store.set("k", { garbage: true });
    const p = provider();
    expect((await keeper(store, p, [], expired("a0")).get()).accessToken).toBe("a1");
    expect((await store.get<Token>("k"))!.value.accessToken).toBe("a1");
  });
});
