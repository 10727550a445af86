// The few Redis commands the store needs, over either client the app already has: node-redis (v4+) or ioredis.
// Everything goes through EVAL, whose signature is the one difference that matters between the two clients;
// each script is one atomic step (a compare-and-set, a lock taken or released only by its holder).
import { StoreError } from "../core/store.js";

/** The part of a node-redis client the store uses. */
export interface NodeRedisLike {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  isOpen?: boolean;
}

/** The part of an ioredis client the store uses. */
export interface IORedisLike {
  eval(script: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  defineCommand(...args: unknown[]): unknown;
  status?: string;
}

export type RedisClientLike = NodeRedisLike | IORedisLike;

export function isRedisClient(value: unknown): value is RedisClientLike {
  return value !== null && typeof value === "object" && typeof (value as { eval?: unknown }).eval === "function";
}

/** ioredis has `defineCommand` and a positional EVAL; node-redis takes `{ keys, arguments }`. */
export function isIORedis(client: RedisClientLike): client is IORedisLike {
  return typeof (client as IORedisLike).defineCommand === "function";
}

export interface Commands {
  eval(script: string, keys: string[], args: string[]): Promise<unknown>;
}

/** EVAL with a time limit: an unreachable Redis (or one stuck behind a reconnect) fails the step, never hangs it. */
export function commands(client: RedisClientLike, timeoutMs: number): Commands {
  const run = isIORedis(client)
    ? (script: string, keys: string[], args: string[]) => client.eval(script, keys.length, ...keys, ...args)
    : (script: string, keys: string[], args: string[]) => (client as NodeRedisLike).eval(script, { keys, arguments: args });
  return {
    eval(script, keys, args) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StoreError("redis", `did not answer within ${timeoutMs} ms`)), timeoutMs);
      });
      const step = Promise.resolve()
        .then(() => run(script, keys, args))
        .catch((error: unknown) => {
          throw new StoreError("redis", `failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        });
      return Promise.race([step, late]).finally(() => clearTimeout(timer));
    },
  };
}

// An entry is a hash { v: version, d: data }, so a compare-and-set compares versions without decoding the data.
export const READ = `return redis.call('HMGET', KEYS[1], 'v', 'd')`;

// ARGV: version to write, data, ttl in ms ('' = none), mode ('any' | 'absent' | 'version'), expected version.
export const WRITE = `
local mode = ARGV[4]
if mode == 'absent' and redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if mode == 'version' and redis.call('HGET', KEYS[1], 'v') ~= ARGV[5] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'd', ARGV[2])
if ARGV[3] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return 1`;

// The single-instance lock of the Redis documentation: SET NX PX with a random owner, deleted only by that owner.
export const LOCK = `return redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) and 1 or 0`;
export const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
