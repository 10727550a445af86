// Options every factory takes (design.md), and the checks that turn unusable ones into a ConfigError.
import { ConfigError } from "./errors.js";
import type { RetryPolicy } from "./retry.js";
import type { Logger } from "./logger.js";

export interface CommonOptions {
  /** Default: the provider's production URL (Arctos has none: required there). */
  baseUrl?: string;
  /** A custom fetch (tests, proxies, instrumentation). */
  fetch?: typeof globalThis.fetch;
  /** Per attempt, including reading the body. Default 30 000 ms. */
  timeoutMs?: number;
  /** Across all attempts of one call, retries and their waits included. Default 120 000 ms. */
  deadlineMs?: number;
  /** Retry policy for operations the spec marks safe, or `false` for none. */
  retry?: RetryPolicy | false;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** A larger response fails with TransportError "too-large" without being buffered. Default 10 MiB. */
  maxResponseBytes?: number;
  /** Allow a non-loopback `http:` base URL (credentials would travel in clear text). */
  allowInsecureHttp?: boolean;
  /** Debug logging of every attempt; secrets are masked in headers, query strings and bodies before it sees them. */
  logger?: Logger;
}

export const DEFAULTS = {
  timeoutMs: 30_000,
  deadlineMs: 120_000,
  maxResponseBytes: 10 * 1024 * 1024,
} as const;

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

export function checkBaseUrl(provider: string, value: unknown, allowInsecureHttp: boolean | undefined): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new ConfigError(provider, "baseUrl", "is required: pass the API's base URL");
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(provider, "baseUrl", "must be an absolute http(s) URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError(provider, "baseUrl", "must be an absolute http(s) URL");
  }
  if (url.search || url.hash) throw new ConfigError(provider, "baseUrl", "must not carry a query string or fragment");
  if (url.protocol === "http:" && !LOOPBACK.test(url.hostname) && !allowInsecureHttp) {
    throw new ConfigError(provider, "baseUrl", "must use https (credentials would travel in clear text); pass allowInsecureHttp: true to override");
  }
  return value.replace(/\/+$/, "");
}

/**
 * The fetch a client sends with: the caller's, or the runtime's global `fetch`, looked up at each call and called
 * unbound (browsers and workerd throw "Illegal invocation" when their fetch is called as a method of another
 * object, e.g. `cfg.fetch(request)`).
 */
export function resolveFetch(provider: string, custom: unknown): typeof globalThis.fetch {
  if (custom !== undefined) {
    if (typeof custom !== "function") throw new ConfigError(provider, "fetch", "must be a function (input, init) => Promise<Response>");
    return custom as typeof globalThis.fetch;
  }
  if (typeof globalThis.fetch !== "function") {
    throw new ConfigError(provider, "fetch", "is required: this runtime has no global fetch, so pass one");
  }
  return (input, init) => fetch(input, init);
}

export function requireString(provider: string, option: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new ConfigError(provider, option, "is required and must be a non-empty string");
  }
  return value;
}

export function checkPositive(provider: string, option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(provider, option, "must be a positive number of milliseconds");
  }
  return value;
}
