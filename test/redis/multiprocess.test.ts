// Several app instances, each its own Node process with its own Redis connection (test/redis/child.ts), sharing one
// real redis-server through streamspec/redis, against the fakes of streamspec/testing on loopback (which rotate
// SOOP refresh tokens, refuse a reused one, count requests and record when they arrive).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { build } from "esbuild";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisStore, type RedisStore } from "../../src/redis/index.js";
import { createFakeArctos, createFakePolyv, createFakeSoop, type FakeArctos, type FakePolyv, type FakeSoop } from "../../src/testing/index.js";
import { startRedis, type RedisServer } from "../helpers/redis-server.js";
import { root } from "../helpers/spec.js";
import type { ChildConfig, ChildResult } from "./child.js";
import { busiestWindow } from "../helpers/windows.js";

const ENCRYPTION_KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37 + 11) % 256)).toString("base64");
const SECRETS = {
  clientId: "mp-soop-client",
  clientSecret: "mp-soop-client-secret-7f3a",
  licenseKey: "mp-arctos-license-key-91c2",
  appId: "mppolyvapp",
  appSecret: "mp-polyv-app-secret-5d8e",
};
const PROCESSES = 4;

let server: RedisServer;
let dir: string;
let childScript: string;
let seed: Redis;
let store: RedisStore;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  server = await startRedis();
  mkdirSync(join(root, ".tmp"), { recursive: true });
  dir = mkdtempSync(join(root, ".tmp", "multiproc-"));
  childScript = join(dir, "child.mjs");
  // The instance's code, bundled as the app would ship it; the Redis clients and rate-limiter-flexible stay packages.
  await build({
    entryPoints: [join(root, "test", "redis", "child.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: childScript,
    external: ["redis", "ioredis", "rate-limiter-flexible"],
    logLevel: "silent",
  });
  seed = new Redis(server.url, { retryStrategy: () => 100 });
  seed.on("error", () => undefined); // while the outage test has Redis down
  store = createRedisStore({ redis: seed, keyPrefix: "mp:", encryptionKey: ENCRYPTION_KEY });
}, 60_000);

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  seed?.disconnect();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Child {
  run(n: number): Promise<ChildResult>;
  exit(): Promise<void>;
  kill(): Promise<void>;
  readonly process: ChildProcess;
}

async function spawnChild(config: Omit<ChildConfig, "redisUrl" | "keyPrefix" | "encryptionKey" | "secrets" | "redisClient">, index: number): Promise<Child> {
  const full: ChildConfig = {
    redisUrl: server.url,
    keyPrefix: "mp:",
    encryptionKey: ENCRYPTION_KEY,
    secrets: SECRETS,
    redisClient: index % 2 ? "ioredis" : "node-redis", // both clients, in every scenario
    ...config,
  };
  const proc = spawn(process.execPath, [childScript, JSON.stringify(full)], { cwd: root, stdio: ["pipe", "pipe", "pipe"] });
  children.add(proc);
  let stderr = "";
  proc.stderr!.on("data", (d: Buffer) => (stderr += d));
  const exited = new Promise<void>((resolve) => proc.once("exit", () => (children.delete(proc), resolve())));
  const lines = createInterface({ input: proc.stdout! });
  const waiting: ((line: string) => void)[] = [];
  lines.on("line", (line) => waiting.shift()?.(line));
  const next = () =>
    new Promise<string>((resolve, reject) => {
      waiting.push(resolve);
      void exited.then(() => reject(new Error(`child exited: ${stderr}`)));
    });
  await next(); // ready
  return {
    process: proc,
    async run(n) {
      const answer = next();
      proc.stdin!.write(`${JSON.stringify({ run: n })}\n`);
      return JSON.parse(await answer) as ChildResult;
    },
    async exit() {
      proc.stdin!.write(`${JSON.stringify({ exit: true })}\n`);
      await exited;
    },
    async kill() {
      proc.kill("SIGKILL");
      await exited;
    },
  };
}

const spawnMany = (n: number, config: Parameters<typeof spawnChild>[0]) => Promise.all(Array.from({ length: n }, (_, i) => spawnChild(config, i)));
const total = (results: ChildResult[], key: "ok" | "onToken") => results.reduce((sum, r) => sum + r[key], 0);

/** Every token and code a fake handed out (they are secrets as much as the configured ones). */
function issuedSecrets(...fakes: { requests: readonly { answer?: { body: string } }[] }[]): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if (typeof x === "string" && /token|code|secret/i.test(k) && x.length >= 8) out.push(x);
        else walk(x);
      }
    }
  };
  for (const fake of fakes) {
    for (const r of fake.requests) {
      try {
        walk(JSON.parse(r.answer?.body ?? "null"));
      } catch {
        // not JSON
      }
    }
  }
  return out;
}

async function soopFake(): Promise<FakeSoop> {
  const fake = createFakeSoop({ clientId: SECRETS.clientId, clientSecret: SECRETS.clientSecret });
  await fake.listen();
  return fake;
}

describe("several processes sharing one Redis", () => {
  let soop: FakeSoop;
  let arctos: FakeArctos;
  let polyv: FakePolyv;
  beforeAll(async () => {
    soop = await soopFake();
    arctos = createFakeArctos({ licenseKey: SECRETS.licenseKey });
    await arctos.listen();
    polyv = createFakePolyv({ appId: SECRETS.appId, appSecret: SECRETS.appSecret, rateLimit: { limit: 50, intervalMs: 1000, blockMs: 600_000 } });
    await polyv.listen();
  });
  afterAll(async () => {
    await Promise.all([soop?.close(), arctos?.close(), polyv?.close()]);
  });

  it("SOOP: 4 processes × 50 concurrent calls with an expired token in the store make exactly 1 refresh; all 200 succeed; onToken fires once", async () => {
    const granted = soop.grantToken();
    await store.set(`soop:${SECRETS.clientId}:token`, { ...granted, expiresAt: Date.now() - 1000 }); // expired for the client
    const procs = await spawnMany(PROCESSES, { provider: "soop", baseUrl: soop.url! });
    const results = await Promise.all(procs.map((p) => p.run(50)));
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    expect(total(results, "ok")).toBe(200);
    expect(soop.count("issueToken")).toBe(1);
    expect(total(results, "onToken")).toBe(1);
    // Every call went out with the one refreshed token.
    const used = new Set(soop.requests.filter((r) => r.operationId === "getStationInfo").map((r) => new URLSearchParams(r.body).get("access_token")));
    expect(used.size).toBe(1);
    expect(used.has(granted.accessToken)).toBe(false);
    await Promise.all(procs.map((p) => p.exit()));
  }, 60_000);

  it("Arctos: 4 × 50 concurrent first calls make exactly 1 getAuthCode and 1 login; after every process sees 1404, exactly one re-login", async () => {
    const procs = await spawnMany(PROCESSES, { provider: "arctos", baseUrl: arctos.url! });
    const first = await Promise.all(procs.map((p) => p.run(50)));
    expect(first.flatMap((r) => r.errors)).toEqual([]);
    expect(total(first, "ok")).toBe(200);
    expect(arctos.count("getAuthCode")).toBe(1);
    expect(arctos.count("getAuthTokenUseCode")).toBe(1);

    const [session] = arctos.sessions();
    arctos.expireToken(session!.accessToken);
    const second = await Promise.all(procs.map((p) => p.run(20)));
    expect(second.flatMap((r) => r.errors)).toEqual([]);
    expect(total(second, "ok")).toBe(80);
    // Every process was answered 1404 at least once with the old token, and one of them logged in again.
    const rejected = arctos.requests.filter((r) => r.operationId === "checkAuthToken" && r.answer?.status === 401).length;
    expect(rejected).toBeGreaterThanOrEqual(PROCESSES);
    expect(arctos.count("getAuthCode")).toBe(2);
    expect(arctos.count("getAuthTokenUseCode")).toBe(2);
    await Promise.all(procs.map((p) => p.exit()));
  }, 60_000);

  it("Polyv: 4 × 100 calls with a shared budget of 50 per second: no 1-second window at the server holds more than 50, and all 400 succeed", async () => {
    const limiter = { key: `egress-${Date.now()}`, limit: 50, intervalMs: 1000 };
    const procs = await spawnMany(PROCESSES, { provider: "polyv", baseUrl: polyv.url!, limiter });
    const results = await Promise.all(procs.map((p) => p.run(100)));
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    expect(total(results, "ok")).toBe(400);
    const times = polyv.requests.filter((r) => r.operationId === "saveViewerCustomFieldValues").map((r) => r.at);
    expect(times).toHaveLength(400);
    expect(busiestWindow(times, 1000)).toBeLessThanOrEqual(50);
    await Promise.all(procs.map((p) => p.exit()));
  }, 120_000);

  it("a process SIGKILLed inside the refresh lock: the others finish after the lock expires, with a valid token", async () => {
    const fake = await soopFake();
    try {
      await store.set(`soop:${SECRETS.clientId}:token`, { ...fake.grantToken(), expiresAt: Date.now() - 1000 });
      const lockTtlMs = 2000;
      const doomed = await spawnChild({ provider: "soop", baseUrl: fake.url!, hangRefresh: true, lockTtlMs }, 0);
      void doomed.run(1).catch(() => undefined);
      // Wait until it holds the lock, then kill it there.
      const lock = `mp:soop:${SECRETS.clientId}:token:lock`;
      for (let i = 0; i < 100 && !(await seed.exists(lock)); i++) await new Promise((r) => setTimeout(r, 50));
      expect(await seed.exists(lock)).toBe(1);
      await doomed.kill();
      const killedAt = Date.now();

      const procs = await spawnMany(3, { provider: "soop", baseUrl: fake.url!, lockTtlMs });
      const results = await Promise.all(procs.map((p) => p.run(10)));
      expect(results.flatMap((r) => r.errors)).toEqual([]);
      expect(total(results, "ok")).toBe(30);
      expect(Date.now() - killedAt).toBeGreaterThanOrEqual(lockTtlMs - 500); // they had to wait for the lock to expire
      expect(fake.count("issueToken")).toBe(1); // the killed process never sent its refresh; one other did
      expect(total(results, "onToken")).toBe(1);
      await Promise.all(procs.map((p) => p.exit()));
    } finally {
      await fake.close();
    }
  }, 60_000);

  it("Redis stopped mid-run: a fresh token keeps working, a call that needs the store fails naming it and sends nothing, Polyv falls back; normal service after the restart", async () => {
    const fake = await soopFake();
    const key = `soop:${SECRETS.clientId}:token`;
    try {
      const [soopProc] = await spawnMany(1, { provider: "soop", baseUrl: fake.url!, operationTimeoutMs: 500 });
      const pv = await spawnChild({ provider: "polyv", baseUrl: polyv.url!, operationTimeoutMs: 300, limiter: { key: `down-${Date.now()}`, limit: 40, intervalMs: 1000 } }, 1);
      expect((await pv.run(3)).ok).toBe(3);
      // A token the client counts as fresh for 5 more seconds (it renews 60 s before expiry).
      const freshFor = 5000;
      const seededAt = Date.now();
      await store.set(key, { ...fake.grantToken(), expiresAt: seededAt + 60_000 + freshFor });
      expect((await soopProc!.run(5)).ok).toBe(5);

      await server.stop();
      const during = await soopProc!.run(5); // fresh token: no store needed
      expect(during.errors).toEqual([]);
      const fallback = await pv.run(5);
      expect(fallback.errors).toEqual([]);
      expect(fallback.events).toEqual([expect.stringMatching(/^unreachable: the limiter .* falls back to a local limiter with 25% of the budget/)]);

      // Once the token is due for renewal, the call needs the store: it fails naming it, within its deadline.
      await new Promise((r) => setTimeout(r, Math.max(0, seededAt + freshFor + 100 - Date.now())));
      const sent = fake.requests.length;
      const started = Date.now();
      const failing = await soopProc!.run(3);
      expect(failing.ok).toBe(0);
      expect(failing.errors).toEqual(Array(3).fill(expect.objectContaining({ name: "TransportError", reason: "store", message: expect.stringMatching(/the redis store/) })));
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(fake.requests.length).toBe(sent); // nothing half-done at the provider

      await server.start();
      await new Promise<void>((resolve) => (seed.status === "ready" ? resolve() : seed.once("ready", () => resolve())));
      await store.set(key, fake.grantToken()); // the restarted Redis kept nothing (no persistence): the app stores a token again
      let recovered: ChildResult | undefined;
      for (const until = Date.now() + 15_000; Date.now() < until; await new Promise((r) => setTimeout(r, 250))) {
        recovered = await soopProc!.run(1);
        if (recovered.ok === 1) break;
      }
      expect(recovered?.ok).toBe(1);
      expect((await soopProc!.run(5)).ok).toBe(5);
      let back: ChildResult | undefined;
      for (const until = Date.now() + 15_000; Date.now() < until; await new Promise((r) => setTimeout(r, 250))) {
        back = await pv.run(1);
        if (back.events.some((e) => e.startsWith("reachable again"))) break;
      }
      expect(back?.errors).toEqual([]);
      expect(back?.events.some((e) => e.startsWith("reachable again"))).toBe(true);
      await Promise.all([soopProc!.exit(), pv.exit()]);
    } finally {
      await fake.close();
    }
  }, 120_000);

  it("the raw Redis contents hold no token, secret or license key in plaintext", async () => {
    const secrets = [SECRETS.clientSecret, SECRETS.licenseKey, SECRETS.appSecret, ...issuedSecrets(soop, arctos)];
    expect(secrets.length).toBeGreaterThan(5);
    const keys = await seed.keys("*");
    expect(keys.length).toBeGreaterThan(0);
    let raw = keys.join("\n");
    for (const key of keys) {
      const type = await seed.type(key);
      raw += `\n${JSON.stringify(type === "hash" ? await seed.hgetall(key) : type === "string" ? await seed.get(key) : type)}`;
    }
    for (const secret of secrets) expect(raw.includes(secret), "a secret in Redis").toBe(false);
  });
});
