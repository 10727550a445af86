// The root entry: the error model and the shared types. Each provider's client lives at streamspec/<provider>.
export { StreamspecError, ProviderError, TransportError, ValidationError, ConfigError } from "./core/errors.js";
export type { Issue, TransportReason } from "./core/errors.js";
export type { CommonOptions } from "./core/options.js";
export type { RetryPolicy } from "./core/retry.js";
export type { LogEvent, Logger } from "./core/logger.js";
export type { OperationMeta, OperationIndex, Credential } from "./core/operation.js";
export type { CallInit } from "./core/client.js";
