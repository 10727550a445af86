// Polyv (保利威) live API: every call is signed with appId, a fresh timestamp and sign (see ./signing.ts),
// kept under Polyv's per-IP rate limit, and its envelope checked for failure.
import type { operations as Operations, paths as Paths } from "../../generated/polyv.js";
import { info, operations, provider } from "../../generated/polyv.operations.js";
import { validators } from "../../generated/polyv.validators.js";
import { createProviderClient, type CallInit, type ProviderClient } from "../core/client.js";
import { ConfigError } from "../core/errors.js";
import { formSupport } from "../core/form.js";
import type { OperationIndex } from "../core/operation.js";
import { requireString, type CommonOptions } from "../core/options.js";
import { Redactor } from "../core/redact.js";
import { polyvFailure } from "./errors.js";
import { resolveRateLimit, type PolyvRateLimitOption } from "./rate-limit.js";
import type { PolyvSignatureMethod } from "./sign.js";
import { polyvSigning } from "./signing.js";

export interface PolyvOptions extends CommonOptions {
  /** The account's appId. */
  appId: string;
  /** The account's appSecret, used only to sign. Never sent, logged or shown in errors. */
  appSecret: string;
  /** The live account ID: the default for operations whose path has a `userId` (e.g. updateChannelOauthCustom). */
  userId?: string;
  /** "MD5" (default; `signatureMethod` is then not sent) or "SHA256" (sends `signatureMethod=SHA256`). */
  signatureMethod?: PolyvSignatureMethod;
  /** Clock for the `timestamp` parameter, in ms. Default: Date.now. */
  now?: () => number;
  /**
   * Keeps the process under Polyv's per-IP quota (spec: 1500 requests in 10 s; going over blocks the IP for
   * 5 minutes). Default: one limiter shared by every Polyv client of the process; calls over the quota wait.
   * `{ limit, intervalMs }` gives this client its own limiter, a `{ acquire(signal) }` object is used as is
   * (share one between clients to share the quota), `false` switches limiting off.
   */
  rateLimit?: PolyvRateLimitOption;
}

// The SDK layer fills a path `userId` from the factory, so callers may leave it out there.
type OptionalUserId<Op> = Op extends { parameters: { path: infer P } }
  ? P extends { userId: string }
    ? Omit<Op, "parameters"> & { parameters: Omit<Op["parameters"], "path"> & { path?: Omit<P, "userId"> & { userId?: string } } }
    : Op
  : Op;
export type PolyvSdkOperations = { [K in keyof Operations]: OptionalUserId<Operations[K]> };

export type PolyvClient = ProviderClient<Paths, PolyvSdkOperations, keyof typeof operations>;

/**
 * A Polyv client. Every request gets `appId`, a fresh 13-digit `timestamp` and `sign` (plus
 * `signatureMethod=SHA256` when chosen) where the spec puts them: the query for v4 endpoints
 * (`saveViewerCustomFieldValues`), the form body for v2 endpoints (`updateChannelOauthCustom`). The wire
 * layer (`client.POST(...)`) is signed the same way.
 *
 * Blank values (null, undefined, "" or whitespace only) are left out of both the request and the signature.
 * So for `updateChannelOauthCustom`, a `channelId` of `""`, `0` or none at all means every channel of the
 * account: `""` is dropped, `0` is sent as "0" (Polyv's own "all channels" value). Its path `userId` defaults
 * to the factory's `userId`; a call without either throws ConfigError naming `userId`.
 */
export function createPolyvClient(options: PolyvOptions): PolyvClient {
  const appId = requireString(provider, "appId", options?.appId);
  const appSecret = requireString(provider, "appSecret", options?.appSecret);
  const userId = options.userId === undefined ? undefined : requireString(provider, "userId", options.userId);
  const method = options.signatureMethod ?? "MD5";
  if (method !== "MD5" && method !== "SHA256") throw new ConfigError(provider, "signatureMethod", 'must be "MD5" or "SHA256"');
  const now = options.now ?? Date.now;
  if (typeof now !== "function") throw new ConfigError(provider, "now", "must be a function returning milliseconds");

  const redactor = new Redactor().add(appSecret);
  const index: OperationIndex = operations;
  const signing = polyvSigning(operations, { provider, appId, appSecret, method, now });
  return createProviderClient<Paths, PolyvSdkOperations, keyof typeof operations>(
    { provider, operations, validators, defaultBaseUrl: info.servers[0] },
    options,
    {
      redactor,
      middleware: [signing.middleware],
      finish(operationId) {
        const query = signing.query(operationId);
        return query && { query };
      },
      limiter: resolveRateLimit(options.rateLimit),
      failure: polyvFailure,
      form: formSupport,
      prepare(operationId: string, init: CallInit): CallInit {
        const path = init.params?.path;
        // Only a missing userId is filled in; a path that is no object at all is left for validation to refuse.
        const fillable = path === undefined || (typeof path === "object" && path !== null && !Array.isArray(path) && path.userId === undefined);
        if (!index[operationId]?.params.path?.properties?.userId || !fillable) return init;
        if (userId === undefined) {
          throw new ConfigError(provider, "userId", `is required for ${operationId}: pass it to createPolyvClient or as params.path.userId`);
        }
        return { ...init, params: { ...init.params, path: { ...path, userId } } };
      },
    },
  );
}

export { signPolyvParams } from "./sign.js";
export type { PolyvSignatureMethod, PolyvParamValue } from "./sign.js";
export { verifyPolyvCustomAuth } from "./custom-auth.js";
export type { PolyvCustomAuthParams, PolyvCustomAuthOptions } from "./custom-auth.js";
export type { PolyvRateLimit, PolyvRateLimitOption } from "./rate-limit.js";
export type { Limiter } from "../core/transport.js";
export { info, operations };
export type { Paths as PolyvPaths, Operations as PolyvOperations };
export type { components as PolyvComponents } from "../../generated/polyv.js";
