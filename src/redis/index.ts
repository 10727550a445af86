// streamspec/redis: a store over the app's own Redis client, so several processes share the SOOP token, the
// Arctos session and Polyv's request budget. Not imported by any provider subpath.
export { createRedisStore } from "./store.js";
export type { RedisStore, RedisStoreOptions } from "./store.js";
export type { SharedLimiterOptions } from "./limiter.js";
export type { RedisClientLike, NodeRedisLike, IORedisLike } from "./commands.js";
export type { Store, StoreEntry, LockOptions } from "../core/store.js";
