// SOOP Open API (formerly AfreecaTV): client_id / client_secret / access_token travel as form fields or query
// parameters, business failures come back as HTTP 200 with result <= 0, and user calls need an OAuth token.
import type { components, operations as Operations, paths as Paths } from "../../generated/soop.js";
import { info, operations, provider } from "../../generated/soop.operations.js";
import { validators } from "../../generated/soop.validators.js";
import { createProviderClient, type ProviderClient } from "../core/client.js";
import { ConfigError } from "../core/errors.js";
import { formSupport } from "../core/form.js";
import { checkStore, type Store } from "../core/store.js";
import { checkBaseUrl, requireString, type CommonOptions } from "../core/options.js";
import { Redactor } from "../core/redact.js";
import { getAuthCodeRedirect, type AuthCodeInit, type SoopAuthRedirect } from "./authcode.js";
import { fieldCredentials } from "./credentials.js";
import { jsonpMiddleware, mayAnswerJsonp, soopFailure } from "./envelope.js";
import { createTokenFlow, type SoopToken } from "./oauth.js";
import { paginateBroadcasts, type BroadListItem, type BroadListResponse, type ListAllBroadcastsQuery, type ListAllInit } from "./paginate.js";

export interface SoopOptions extends CommonOptions {
  /** The client ID (Developers > My Account). */
  clientId: string;
  /**
   * The client secret key. Never logged or shown in errors. Leave it out where it must not go (a browser): the
   * public operations (listBroadcasts, listCategories, getEmbedInfo, postEmbedInfo, authorizeUrl) need only
   * `clientId`, and an operation whose spec sends `client_secret` then throws ConfigError before sending anything.
   */
  clientSecret?: string;
  /** The Redirect URI registered with SOOP; sent with the code exchange when given. */
  redirectUri?: string;
  /** A token obtained earlier (e.g. persisted from `onToken`). */
  token?: SoopToken;
  /** Called with every new token (code exchange or refresh), so the app can persist it. */
  onToken?: (token: SoopToken) => void | Promise<void>;
  /** Clock for token expiry (ms since the epoch); tests pin it. Default Date.now. */
  now?: () => number;
  /**
   * Where the token lives, so several processes share it and one refresh (streamspec/redis's `createRedisStore`).
   * Default: this client's memory.
   */
  store?: Store;
  /** The token's key in `store` (one per SOOP user the app acts for). Default `soop:<clientId>:token`. */
  storeKey?: string;
}

type Base = ProviderClient<Paths, Operations, keyof typeof operations>;

export type SoopClient = Omit<Base, "getAuthCode" | "listBroadcasts"> & {
  /**
   * GET auth/code without following its redirect: resolves to where SOOP sends the browser and the code, if the
   * redirect carries one. For the browser flow, send the user to `authorizeUrl()` instead.
   */
  getAuthCode(init?: AuthCodeInit): Promise<SoopAuthRedirect>;
  /** broad/list; a JSONP answer (with `callback`) is unwrapped, so the result is always the parsed list. */
  listBroadcasts(...init: Parameters<Base["listBroadcasts"]>): Promise<BroadListResponse>;
  /** The GET auth/code URL to send a user's browser to; SOOP redirects back to the Redirect URI with `?code=`. */
  authorizeUrl(): string;
  /** Exchanges a verification code for a token, keeps it for later calls and passes it to `onToken`. */
  exchangeCode(code: string): Promise<SoopToken>;
  /** Re-issues the token with its refresh token now, keeps it and passes it to `onToken`. */
  refreshToken(): Promise<SoopToken>;
  /** Every broadcast of broad/list, page after page (60 a page), from `query.page_no` (default 1). */
  listAllBroadcasts(query?: ListAllBroadcastsQuery, init?: ListAllInit): AsyncGenerator<BroadListItem, void, undefined>;
};

export function createSoopClient(options: SoopOptions): SoopClient {
  const clientId = requireString(provider, "clientId", options?.clientId);
  const clientSecret = options.clientSecret === undefined ? undefined : requireString(provider, "clientSecret", options.clientSecret);
  const redirectUri = checkRedirectUri(options.redirectUri);
  const token = checkToken(options.token);
  if (options.onToken !== undefined && typeof options.onToken !== "function") throw new ConfigError(provider, "onToken", "must be a function");
  if (options.now !== undefined && typeof options.now !== "function") throw new ConfigError(provider, "now", "must be a function");
  const baseUrl = checkBaseUrl(provider, options.baseUrl ?? info.servers[0], options.allowInsecureHttp);
  const redactor = new Redactor().add(clientSecret);

  const flow = createTokenFlow({
    issueToken: (body) => client.issueToken({ body }),
    redirectUri,
    initial: token,
    onToken: options.onToken,
    redactor,
    now: options.now ?? Date.now,
    store: checkStore(options.store, provider),
    storeKey: options.storeKey ?? `soop:${clientId}:token`,
  });
  const credentials = fieldCredentials(operations, {
    client_id: () => clientId,
    client_secret: (operation) => clientSecret ?? missingSecret(operation),
    access_token: () => flow.accessToken(),
  });
  const jsonp = jsonpMiddleware(operations);
  const client: Base = createProviderClient<Paths, Operations, keyof typeof operations>(
    { provider, operations, validators, defaultBaseUrl: info.servers[0] },
    options,
    {
      redactor,
      middleware: [credentials.middleware, jsonp],
      failure: soopFailure,
      finish: credentials.finish,
      finishedMiddleware: { middleware: [jsonp], applies: mayAnswerJsonp },
      form: formSupport,
    },
  );

  const authorizeUrl = () => {
    const url = new URL(`${baseUrl}${operations.getAuthCode.path}`);
    url.searchParams.set("client_id", clientId);
    return url.toString();
  };
  const extra = {
    authorizeUrl,
    getAuthCode: (init?: AuthCodeInit) =>
      getAuthCodeRedirect(
        { send: (i) => client.request("get", operations.getAuthCode.path, i as never), authorizeUrl, failure: soopFailure, redactor },
        init,
      ),
    exchangeCode: flow.exchangeCode,
    refreshToken: flow.refreshToken,
    listAllBroadcasts: (query?: ListAllBroadcastsQuery, init?: ListAllInit) =>
      paginateBroadcasts((i) => client.listBroadcasts(i) as Promise<BroadListResponse>, query, init),
  };
  return Object.assign(client, extra) as unknown as SoopClient;
}

// Which operations send client_secret is the spec's (their x-internal credentials): the credentials middleware asks
// for it only there, so this runs before such a request is sent, and never for the public operations.
function missingSecret(operation: string): never {
  throw new ConfigError(provider, "clientSecret", `is required for ${operation} (its spec sends client_secret): pass it to createSoopClient, on a server only`);
}

function checkRedirectUri(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new ConfigError(provider, "redirectUri", "must be an absolute http(s) URL (the Redirect URI registered with SOOP)");
  }
  return value;
}

function checkToken(value: unknown): SoopToken | undefined {
  if (value === undefined) return undefined;
  const t = value as Partial<SoopToken> | null;
  if (!t || typeof t !== "object") throw new ConfigError(provider, "token", "must be { accessToken, refreshToken, expiresAt }");
  requireString(provider, "token.accessToken", t.accessToken);
  if (t.refreshToken !== undefined && typeof t.refreshToken !== "string") {
    throw new ConfigError(provider, "token.refreshToken", "must be a string");
  }
  if (t.expiresAt !== undefined && !Number.isFinite(t.expiresAt)) { // false for anything but a finite number
    throw new ConfigError(provider, "token.expiresAt", "must be milliseconds since the epoch");
  }
  return { ...t } as SoopToken;
}

export { info, operations };
export type { SoopToken, SoopAuthRedirect, AuthCodeInit, BroadListItem, BroadListResponse, ListAllBroadcastsQuery, ListAllInit };
export type { Paths as SoopPaths, Operations as SoopOperations, components as SoopComponents };
