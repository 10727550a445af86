// streamspec/redis against a real redis-server, through both clients apps use (node-redis and ioredis): values,
// versions and expiry, the lock, encryption at rest, what a Redis outage does, and the shared limiter.
import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LogEvent } from "../../src/core/logger.js";
import { ConfigError, TransportError } from "../../src/index.js";
import { createRedisStore, type RedisStore } from "../../src/redis/index.js";
import { createSoopClient } from "../../src/soop/index.js";
import { createFakeSoop } from "../../src/testing/index.js";
import { json, recordingFetch } from "../helpers/fetch.js";
import { useRedisServer } from "../helpers/redis-server.js";

const KEY = new Uint8Array(32).map((_, i) => i * 7 + 3);
const OTHER_KEY = new Uint8Array(32).fill(9);

const redis = useRedisServer();

type Kind = "node-redis" | "ioredis";
interface Conn {
  client: any;
  raw: (...args: string[]) => Promise<unknown>;
  close: () => Promise<void>;
}

async function connect(kind: Kind): Promise<Conn> {
  if (kind === "node-redis") {
    // No offline queue: while Redis is down, commands fail at once instead of waiting for a reconnect.
    const client = createClient({ url: redis.current.url, disableOfflineQueue: true, socket: { reconnectStrategy: () => 50 } });
    client.on("error", () => undefined);
    await client.connect();
    return { client, raw: (...args) => client.sendCommand(args), close: async () => void (await client.close().catch(() => undefined)) };
  }
  const client = new Redis(redis.current.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 50, lazyConnect: true });
  client.on("error", () => undefined);
  await client.connect();
  return { client, raw: (...args) => client.call(args[0]!, ...args.slice(1)), close: async () => void client.disconnect() };
}

describe("createRedisStore refuses unusable options with ConfigError naming the option", () => {
  it.each([
    ["no options", undefined, "redis"],
    ["no client", { encryptionKey: KEY }, "redis"],
    ["not a client", { redis: { get() {} }, encryptionKey: KEY }, "redis"],
    ["a 31-byte key", { redis: { eval() {} }, encryptionKey: new Uint8Array(31) }, "encryptionKey"],
    ["a key that is not base64 of 32 bytes", { redis: { eval() {} }, encryptionKey: "c2hvcnQ=" }, "encryptionKey"],
    ["no key and no allowPlaintext", { redis: { eval() {} } }, "encryptionKey"],
    ["a bad timeout", { redis: { eval() {} }, encryptionKey: KEY, operationTimeoutMs: 0 }, "operationTimeoutMs"],
  ])("%s", (_, options, option) => {
    expect(() => createRedisStore(options as never)).toThrow(ConfigError);
    try {
      createRedisStore(options as never);
    } catch (err) {
      expect((err as ConfigError).option).toBe(option);
    }
  });

  it("accepts a base64 key of 32 bytes and allowPlaintext without a key", () => {
    expect(() => createRedisStore({ redis: { eval() {} } as never, encryptionKey: Buffer.from(KEY).toString("base64") })).not.toThrow();
    expect(() => createRedisStore({ redis: { eval() {} } as never, allowPlaintext: true })).not.toThrow();
  });
});

describe.each(["node-redis", "ioredis"] as const)("with %s", (kind) => {
  let a: Conn;
  let b: Conn;
  let events: LogEvent[];
  let storeA: RedisStore;
  let storeB: RedisStore;
  const prefix = `t-${kind}-${Date.now()}:`;

  beforeAll(async () => {
    a = await connect(kind);
    b = await connect(kind);
    events = [];
    storeA = createRedisStore({ redis: a.client, keyPrefix: prefix, encryptionKey: KEY, logger: (e) => events.push(e) });
    storeB = createRedisStore({ redis: b.client, keyPrefix: prefix, encryptionKey: KEY });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it("reads back what another connection wrote, with its version", async () => {
    const version = await storeA.set("v1", { accessToken: "tok", n: 1 });
    expect(version).toMatch(/^[0-9a-f]{24}$/);
    expect(await storeB.get("v1")).toEqual({ value: { accessToken: "tok", n: 1 }, version });
    expect(await storeB.get("missing")).toBeUndefined();
  });

  it("compare-and-set: writes only over the version read (or only when absent)", async () => {
    expect(await storeA.set("cas", 1, { ifVersion: null })).toBeTypeOf("string");
    expect(await storeB.set("cas", 2, { ifVersion: null })).toBeUndefined();
    const read = (await storeB.get<number>("cas"))!;
    expect(await storeA.set("cas", 3, { ifVersion: read.version })).toBeTypeOf("string");
    expect(await storeB.set("cas", 4, { ifVersion: read.version })).toBeUndefined(); // stale: someone wrote since
    expect((await storeB.get<number>("cas"))!.value).toBe(3);
  });

  it("expires an entry after its ttl", async () => {
    await storeA.set("ttl", "x", { ttlMs: 80 });
    expect((await storeB.get("ttl"))?.value).toBe("x");
    await new Promise((r) => setTimeout(r, 150));
    expect(await storeB.get("ttl")).toBeUndefined();
  });

  it("withLock: holders on two connections never overlap", async () => {
    let inside = 0;
    let most = 0;
    const work = (store: RedisStore) =>
      store.withLock("lock1", async () => {
        most = Math.max(most, ++inside);
        await new Promise((r) => setTimeout(r, 15));
        inside--;
      });
    await Promise.all(Array.from({ length: 8 }, (_, i) => work(i % 2 ? storeA : storeB)));
    expect(most).toBe(1);
    expect(await a.raw("EXISTS", `${prefix}lock1`)).toBe(0); // released
  });

  it("withLock: a lock whose holder died frees itself after its ttl", async () => {
    await a.raw("SET", `${prefix}lock2`, "dead-holder", "PX", "300");
    const started = Date.now();
    await storeB.withLock("lock2", async () => undefined, { ttlMs: 1000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it("withLock: gives up with a StoreError after waitMs", async () => {
    await a.raw("SET", `${prefix}lock3`, "busy", "PX", "5000");
    await expect(storeB.withLock("lock3", async () => "never", { ttlMs: 1000, waitMs: 100 })).rejects.toThrow(/lock .*lock3 was not free within 100 ms/);
  });

  it("stores tokens encrypted: the raw contents hold no token, and the key names none", async () => {
    const token = { accessToken: "plain-access-TOKEN-123", refreshToken: "plain-refresh-TOKEN-456", expiresAt: 1 };
    await storeA.set("soop:app:token", token);
    const raw = (await a.raw("HGETALL", `${prefix}soop:app:token`)) as string[] | Record<string, string>;
    const text = JSON.stringify(raw);
    expect(text).not.toContain("plain-access-TOKEN-123");
    expect(text).not.toContain("plain-refresh-TOKEN-456");
    expect(text).toMatch(/aesgcm:/);
    expect((await storeB.get("soop:app:token"))!.value).toEqual(token);
  });

  it("a value that does not decrypt (another key, tampering) is treated as absent and reported, never thrown", async () => {
    await storeA.set("sealed", { accessToken: "secret-x" });
    const stranger = createRedisStore({ redis: b.client, keyPrefix: prefix, encryptionKey: OTHER_KEY, logger: (e) => events.push(e) });
    const entry = await stranger.get("sealed");
    expect(entry?.value).toBeUndefined();
    expect(entry?.version).toBeTypeOf("string"); // so a new value can still replace it
    await a.raw("HSET", `${prefix}sealed`, "d", "aesgcm:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    expect((await storeA.get("sealed"))?.value).toBeUndefined();
    expect(events.filter((e) => e.type === "store").map((e) => (e as { message: string }).message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/sealed could not be decrypted: treated as absent/)]),
    );
    expect(JSON.stringify(events)).not.toContain("secret-x");
  });

  it("a value sealed under one key does not open under another key name (the key name is authenticated)", async () => {
    await storeA.set("one", { accessToken: "moved" });
    const [, data] = (await a.raw("HMGET", `${prefix}one`, "v", "d")) as string[];
    await a.raw("HSET", `${prefix}two`, "v", "x", "d", data!);
    expect((await storeB.get("two"))?.value).toBeUndefined();
  });

  it("allowPlaintext stores the JSON as it is (for a Redis only trusted parties can read)", async () => {
    const open = createRedisStore({ redis: a.client, keyPrefix: prefix, allowPlaintext: true });
    await open.set("open", { accessToken: "visible" });
    expect(JSON.stringify(await a.raw("HGETALL", `${prefix}open`))).toContain("visible");
    expect((await open.get("open"))!.value).toEqual({ accessToken: "visible" });
  });

  it("two SOOP clients (two connections, as two processes) with an expired token make exactly one refresh", async () => {
    // SOOP is its fake (streamspec/testing): refresh tokens rotate, so a second refresh with the same one would fail.
    const soop = createFakeSoop({ clientId: "cid", clientSecret: "csecret", tokens: [{ accessToken: "access-0", refreshToken: "refresh-0" }] });
    const storeKey = `soop-shared-${kind}`;
    await storeA.set(storeKey, { accessToken: "access-0", refreshToken: "refresh-0", expiresAt: Date.now() - 1000 });
    const tokens: string[] = [];
    const make = (store: RedisStore) =>
      createSoopClient({ clientId: "cid", clientSecret: "csecret", fetch: soop.fetch, store, storeKey, onToken: (t) => void tokens.push(t.accessToken) });
    const one = make(storeA);
    const two = make(storeB);
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).resetStreamKey()));
    expect(soop.count("issueToken")).toBe(1);
    const refreshed = JSON.parse(soop.requests.find((r) => r.operationId === "issueToken")!.answer!.body);
    expect(tokens).toEqual([refreshed.access_token]); // once, in the client that obtained it
    const resets = soop.requests.filter((r) => r.operationId === "resetStreamKey");
    expect(resets).toHaveLength(20);
    expect(resets.every((r) => new URLSearchParams(r.body).get("access_token") === refreshed.access_token && r.answer?.status === 200)).toBe(true);
    expect(JSON.stringify(await a.raw("HGETALL", `${prefix}${storeKey}`))).not.toContain(refreshed.refresh_token);
  });
});

describe("when Redis is unreachable", () => {
  it("a call that needs the store fails with a TransportError naming the store, within the store's timeout; service resumes after", async () => {
    const conn = await connect("ioredis");
    const events: LogEvent[] = [];
    const store = createRedisStore({ redis: conn.client, keyPrefix: "down:", encryptionKey: KEY, operationTimeoutMs: 300, logger: (e) => events.push(e) });
    const fetch = recordingFetch(() => json({ result: 1, msg: "ok" }));
    const soop = createSoopClient({ clientId: "cid", clientSecret: "csecret", baseUrl: "https://openapi.example", fetch, store, storeKey: "k" });
    await store.set("k", { accessToken: "a", refreshToken: "r", expiresAt: Date.now() + 3_600_000 });
    await redis.current.stop();
    try {
      const started = Date.now();
      const err = await soop.resetStreamKey().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransportError);
      expect(err).toMatchObject({ reason: "store", provider: "soop" });
      expect(String(err)).toMatch(/the redis store/);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(fetch.calls).toHaveLength(0); // nothing half-done at the provider
    } finally {
      await redis.current.start();
    }
    await new Promise((r) => setTimeout(r, 300)); // the client reconnects
    await store.set("k", { accessToken: "a2", refreshToken: "r2", expiresAt: Date.now() + 3_600_000 });
    const fresh = createSoopClient({ clientId: "cid", clientSecret: "csecret", baseUrl: "https://openapi.example", fetch, store, storeKey: "k" });
    await fresh.resetStreamKey();
    expect(new URLSearchParams(fetch.calls.at(-1)!.body).get("access_token")).toBe("a2");
    await conn.close();
  }, 30_000);
});
