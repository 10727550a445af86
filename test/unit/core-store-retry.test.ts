// The in-memory store, the store option check, Retry-After and the retry policy's defaults, and how the token
// keeper uses a store (its lock's name and lifetime, an entry it can not read): each rule pinned by what it does.
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigError } from "../../src/index.js";
import { StoreError, checkStore, createMemoryStore, type Store } from "../../src/core/store.js";
import { resolveRetryPolicy, retryAfterDelay } from "../../src/core/retry.js";
import { TokenKeeper } from "../../src/core/token.js";
import { Redactor } from "../../src/core/redact.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("checkStore", () => {
  it.each([[null], ["redis"], [{ get() {}, set() {} }], [{ get() {}, withLock() {} }], [{ set() {}, withLock() {} }], [() => undefined]])(
    "refuses %j: it is no store",
    (value) => {
      let err: unknown;
      try {
        checkStore(value, "soop");
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect(err).toMatchObject({ option: "store", message: "soop: option `store` must be a store (e.g. createRedisStore from streamspec/redis) with get, set and withLock" });
    },
  );

  it("takes an object with the three methods, and nothing for none", () => {
    const store = createMemoryStore();
    expect(checkStore(store)).toBe(store);
    expect(checkStore(undefined)).toBeUndefined();
  });

  it("StoreError says which store failed", () => {
    const err = new StoreError("redis", "did not answer in time");
    expect([err.name, err.message, err.store]).toEqual(["StoreError", "the redis store did not answer in time", "redis"]);
  });
});

describe("createMemoryStore", () => {
  it("forgets an entry when its ttl is over, not before", async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const store = createMemoryStore();
    await store.set("k", "v", { ttlMs: 500 });
    await store.set("forever", "v");
    vi.setSystemTime(1_000_499);
    expect((await store.get("k"))?.value).toBe("v");
    vi.setSystemTime(1_000_500);
    expect(await store.get("k")).toBeUndefined();
    expect((await store.get("forever"))?.value).toBe("v");
  });
});

describe("retryAfterDelay and the retry policy", () => {
  it.each([
    [" 5 ", 5000],
    ["12", 12_000],
    ["1.25", 1250],
    ["x5", undefined],
    ["5x", undefined],
  ])("Retry-After %j waits %j ms", (header, ms) => {
    expect(retryAfterDelay(header, 0)).toBe(ms);
  });

  it("keeps the caller's maxRetryAfterMs", () => {
    expect(resolveRetryPolicy({ maxRetryAfterMs: 5 })).toMatchObject({ maxRetryAfterMs: 5 });
    expect(resolveRetryPolicy(undefined)).toMatchObject({ maxRetries: 2, baseDelayMs: 300, maxDelayMs: 8000, maxRetryAfterMs: 60_000 });
  });
});

describe("TokenKeeper and its store", () => {
  /** A memory store that records the locks taken and writes, and can hold an unreadable entry until the first write. */
  function spyStore(first?: { value: unknown; version: string }) {
    const inner = createMemoryStore();
    const locks: [string, unknown][] = [];
    const writes: [string, unknown, unknown][] = [];
    let pending = first;
    const store: Store = {
      name: "spy",
      async get<T>(key: string) {
        if (pending) return pending as { value: T; version: string };
        return inner.get<T>(key);
      },
      set: (key, value, options) => {
        writes.push([key, value, options]);
        pending = undefined;
        return inner.set(key, value);
      },
      withLock: (key, fn, options) => {
        locks.push([key, options]);
        return inner.withLock(key, fn, options);
      },
    };
    return Object.assign(store, { locks, writes });
  }

  it("renews under the lock `<key>:lock`, with the lock lifetime it was given", async () => {
    const store = spyStore();
    const keeper = new TokenKeeper({ obtain: async () => ({ accessToken: "a-1" }), redactor: new Redactor(), store, key: "soop:cid:token", lockTtlMs: 5000 });
    await keeper.get();
    expect(store.locks).toEqual([["soop:cid:token:lock", { ttlMs: 5000 }]]);
    const plain = spyStore();
    await new TokenKeeper({ obtain: async () => ({ accessToken: "a-1" }), redactor: new Redactor(), store: plain, key: "k" }).get();
    expect(plain.locks).toEqual([["k:lock", {}]]);
  });

  it("replaces an entry it can not read, over exactly that version", async () => {
    const store = spyStore({ value: undefined, version: "v-unreadable" });
    const keeper = new TokenKeeper({ obtain: async () => ({ accessToken: "a-2" }), redactor: new Redactor(), store, key: "k" });
    await expect(keeper.get()).resolves.toEqual({ accessToken: "a-2" });
    expect(store.writes).toEqual([["k", { accessToken: "a-2" }, { ifVersion: "v-unreadable" }]]);
  });

  it("counts a token as expired once it is within earlyMs of its end, not a millisecond later", async () => {
    let t = 10_000;
    let n = 0;
    const keeper = new TokenKeeper(
      { obtain: async () => ({ accessToken: `a-${++n}`, expiresAt: 10_000 + 60_000 + 500 }), redactor: new Redactor(), now: () => t },
    );
    await keeper.get();
    t = 10_499;
    expect((await keeper.get()).accessToken).toBe("a-1");
    t = 10_500;
    expect((await keeper.get()).accessToken).toBe("a-2");
  });
});
