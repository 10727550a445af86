// The shared limiter of streamspec/redis against a real redis-server: one budget across connections (processes),
// no window of the interval's length over the limit, abort while waiting, and the local fallback when Redis is down.
import { Redis } from "ioredis";
import { createClient } from "redis";
import { describe, expect, it } from "vitest";
import type { LogEvent } from "../../src/core/logger.js";
import { ConfigError } from "../../src/index.js";
import { createRedisStore } from "../../src/redis/index.js";
import { useRedisServer } from "../helpers/redis-server.js";
import { busiestWindow } from "../helpers/windows.js";

const redis = useRedisServer();

describe("store.limiter", () => {
  it("refuses options it can not honour, naming them", () => {
    const store = createRedisStore({ redis: { eval() {} } as never, allowPlaintext: true });
    for (const [options, option] of [
      [{ limit: 10, intervalMs: 1000 }, "limiter.key"],
      [{ key: "ip", limit: 1, intervalMs: 1000 }, "limiter.limit"],
      [{ key: "ip", limit: 10, intervalMs: 1500 }, "limiter.intervalMs"],
      [{ key: "ip", limit: 10, intervalMs: 1000, fallbackShare: 2 }, "limiter.fallbackShare"],
    ] as const) {
      expect(() => store.limiter(options as never)).toThrow(ConfigError);
      expect(() => store.limiter(options as never)).toThrow(option);
    }
  });

  it("keeps two connections (two processes) together under the limit in every window of the interval", async () => {
    const a = createClient({ url: redis.current.url });
    const b = new Redis(redis.current.url);
    await a.connect();
    try {
      const key = `ip-${Date.now()}`;
      const limiters = [createRedisStore({ redis: a, encryptionKey: new Uint8Array(32) }), createRedisStore({ redis: b, encryptionKey: new Uint8Array(32) })].map((s) =>
        s.limiter({ key, limit: 30, intervalMs: 2000 }),
      );
      const starts: number[] = [];
      await Promise.all(Array.from({ length: 45 }, (_, i) => limiters[i % 2]!.acquire().then(() => starts.push(Date.now()))));
      expect(starts).toHaveLength(45);
      expect(busiestWindow(starts, 2000)).toBeLessThanOrEqual(30);
      // And it does let requests through at the budget's pace, not one by one.
      expect(busiestWindow(starts, 1000)).toBeGreaterThanOrEqual(5);
    } finally {
      await a.close();
      b.disconnect();
    }
  }, 30_000);

  it("a waiting caller can abort", async () => {
    const client = new Redis(redis.current.url);
    try {
      const limiter = createRedisStore({ redis: client, allowPlaintext: true }).limiter({ key: `abort-${Date.now()}`, limit: 2, intervalMs: 5000 });
      await limiter.acquire(); // 2 in 5 s: one slice of 5 s with 1 request (2 / (1 + 1)), now taken
      const controller = new AbortController();
      const waiting = limiter.acquire(controller.signal).then(() => "acquired", (e: unknown) => e);
      setTimeout(() => controller.abort(new Error("stop waiting")), 50);
      expect(await waiting).toEqual(new Error("stop waiting"));
    } finally {
      client.disconnect();
    }
  });

  it("falls back to a local limiter with its share while Redis is down, says so once, and shares again after", async () => {
    const client = new Redis(redis.current.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 50 });
    client.on("error", () => undefined);
    const events: LogEvent[] = [];
    const store = createRedisStore({ redis: client, allowPlaintext: true, operationTimeoutMs: 300, logger: (e) => events.push(e) });
    const limiter = store.limiter({ key: `down-${Date.now()}`, limit: 40, intervalMs: 1000, fallbackShare: 0.25 });
    await limiter.acquire();
    await redis.current.stop();
    try {
      const starts: number[] = [];
      await Promise.all(Array.from({ length: 15 }, () => limiter.acquire().then(() => starts.push(Date.now()))));
      // 25% of 40 per second locally: 10 in the first second, the rest in the next. A start is recorded when its
      // caller resumes, which under a loaded machine can lag the grant by tens of ms (one full run saw the first ten
      // recorded late and 15 in one 1000 ms window): a 900 ms window still sees a limiter that lets all 15 through.
      expect(busiestWindow(starts, 900)).toBeLessThanOrEqual(10);
      const notices = events.filter((e) => e.type === "store").map((e) => (e as { message: string }).message);
      expect(notices.filter((m) => m.startsWith("unreachable"))).toHaveLength(1);
      expect(notices[0]).toMatch(/falls back to a local limiter with 25% of the budget \(10 requests in 1000 ms\)/);
    } finally {
      await redis.current.start();
    }
    // The client reconnects, and after its pause (1 s) the limiter asks Redis again: then it says so.
    const back = () => events.some((e) => e.type === "store" && e.message.startsWith("reachable again"));
    for (const until = Date.now() + 10_000; !back() && Date.now() < until; ) {
      await limiter.acquire();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(back()).toBe(true);
    client.disconnect();
  }, 30_000);
});
