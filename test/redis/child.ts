// One app instance for the multi-process tests (test/redis/multiprocess.test.ts): a separate Node process with its
// own Redis connection and its own client, driven over stdin. Each line in is a command, each line out its result:
//   {"run": n}  → n concurrent calls at once → {"ok": k, "errors": [...], "onToken": total so far, "events": [...]}
//   {"exit": true} → closes its connection and exits.
// The test bundles this file with esbuild (the package's sources included) and spawns it with a JSON config.
import { createInterface } from "node:readline";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { createArctosClient } from "../../src/arctos/index.js";
import type { LogEvent } from "../../src/core/logger.js";
import { createPolyvClient } from "../../src/polyv/index.js";
import { createRedisStore } from "../../src/redis/index.js";
import { createSoopClient } from "../../src/soop/index.js";

export interface ChildConfig {
  provider: "soop" | "arctos" | "polyv";
  redisUrl: string;
  redisClient: "node-redis" | "ioredis";
  keyPrefix: string;
  encryptionKey: string;
  baseUrl: string;
  lockTtlMs?: number;
  operationTimeoutMs?: number;
  /** SOOP: never send the token refresh (the process hangs inside the refresh lock until it is killed). */
  hangRefresh?: boolean;
  secrets: Record<string, string>;
  limiter?: { key: string; limit: number; intervalMs: number };
}

export interface ChildResult {
  ok: number;
  errors: { name: string; reason?: string; code?: unknown; message: string }[];
  onToken: number;
  events: string[];
}

const config = JSON.parse(process.argv[2]!) as ChildConfig;
const events: string[] = [];
const logger = (e: LogEvent) => {
  if (e.type === "store") events.push(e.message);
};

async function connect() {
  if (config.redisClient === "node-redis") {
    const client = createClient({ url: config.redisUrl, disableOfflineQueue: true, socket: { reconnectStrategy: () => 100 } });
    client.on("error", () => undefined);
    await client.connect();
    return { client, close: () => client.close().catch(() => undefined) };
  }
  const client = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 100 });
  client.on("error", () => undefined);
  await new Promise<void>((resolve) => client.once("ready", () => resolve()));
  return { client, close: async () => void client.disconnect() };
}

const redis = await connect();
const store = createRedisStore({
  redis: redis.client as never,
  keyPrefix: config.keyPrefix,
  encryptionKey: config.encryptionKey,
  lockTtlMs: config.lockTtlMs,
  operationTimeoutMs: config.operationTimeoutMs,
  logger,
});
let onToken = 0;
const s = config.secrets;

// A fetch that never sends POST /auth/token: the process stays inside the refresh lock until it is killed.
const hanging: typeof fetch = (input, init) => {
  const request = new Request(input, init);
  if (request.method === "POST" && new URL(request.url).pathname === "/auth/token") return new Promise<Response>(() => undefined);
  return fetch(request);
};

const call: () => Promise<unknown> = (() => {
  switch (config.provider) {
    case "soop": {
      const soop = createSoopClient({
        clientId: s.clientId!,
        clientSecret: s.clientSecret!,
        baseUrl: config.baseUrl,
        store,
        onToken: () => void onToken++,
        ...(config.hangRefresh ? { fetch: hanging } : {}),
      });
      return () => soop.getStationInfo();
    }
    case "arctos": {
      const arctos = createArctosClient({
        licenseKey: s.licenseKey!,
        baseUrl: config.baseUrl,
        clientId: "arctos-switch",
        user: { user_id: "operator-1", role: "MODERATOR" },
        store,
      });
      return () => arctos.checkAuthToken();
    }
    case "polyv": {
      const polyv = createPolyvClient({ appId: s.appId!, appSecret: s.appSecret!, baseUrl: config.baseUrl, rateLimit: store.limiter(config.limiter!) });
      return () => polyv.saveViewerCustomFieldValues({ body: [{ viewerId: "viewer-1", customFieldId: "PAY_ORDER", customFieldValue: "paid" }] });
    }
  }
})();

async function run(n: number): Promise<ChildResult> {
  const settled = await Promise.allSettled(Array.from({ length: n }, () => call()));
  const errors = settled
    .filter((r): r is PromiseRejectedResult => r.status === "rejected")
    .map(({ reason }) => ({ name: reason?.name, reason: reason?.reason, code: reason?.code, message: String(reason?.message) }));
  return { ok: n - errors.length, errors, onToken, events: events.splice(0) };
}

const lines = createInterface({ input: process.stdin });
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
for await (const line of lines) {
  const command = JSON.parse(line) as { run?: number; exit?: boolean };
  if (command.exit) break;
  process.stdout.write(`${JSON.stringify(await run(command.run ?? 1))}\n`);
}
await redis.close();
process.exit(0);
