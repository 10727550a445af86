// Arctos (iHH) Auth API: the license key buys a one-time code (getAuthCode), the code buys a JWT access token
// (getAuthTokenUseCode), and the token is sent as Bearer to the operations that ask for it (checkAuthToken).
// The client logs in on first need, through its own named operations, and once more after a dead-token code
// (the spec's x-streamspec.reauthCodes). Where the license key must not go (a browser), the app's own server
// buys the codes and the client asks it for one through `getCode` at every login.
import type { components, operations as Operations, paths as Paths } from "../../generated/arctos.js";
import { info, operations, provider } from "../../generated/arctos.operations.js";
import { validators } from "../../generated/arctos.validators.js";
import { headerCredential } from "../core/auth.js";
import { createProviderClient, type Finish, type ProviderClient } from "../core/client.js";
import { ConfigError, StreamspecError, TransportError, ValidationError } from "../core/errors.js";
import type { Credential, OperationMeta } from "../core/operation.js";
import type { CommonOptions } from "../core/options.js";
import { requireString } from "../core/options.js";
import { Redactor } from "../core/redact.js";
import { checkStore, type Store } from "../core/store.js";
import { TokenKeeper, type Token } from "../core/token.js";
import { bufferedText } from "../core/transport.js";
import { validateCall } from "../core/validate-call.js";
import { arctosFailure } from "./errors.js";
import { bearerRelogin } from "./relogin.js";

export type ArctosUser = components["schemas"]["GetAuthCodeRequest"];
export type ArctosRole = components["schemas"]["Role"];
export type ArctosClientId = components["schemas"]["ClientId"];

interface ArctosCommonOptions extends CommonOptions {
  /** Your deployment's base URL. Required: Arctos publishes no production URL (the spec's SIT host is no default). */
  baseUrl: string;
  /** The client source sent when exchanging the code: `arctos-webapp`, `arctos-switch` or `arctos-client`. */
  clientId: ArctosClientId;
  /** Sent as `redirect_uri` when exchanging the code. */
  redirectUri?: string;
  /**
   * Where the session lives, so several processes share one login (streamspec/redis's `createRedisStore`).
   * Default: this client's memory.
   */
  store?: Store;
  /** The session's key in `store`. Default `arctos:<clientId>:<user_id>:session`. */
  storeKey?: string;
}

/** On a server: the client buys its own one-time codes with the license key (getAuthCode). */
export interface ArctosLicenseKeyOptions extends ArctosCommonOptions {
  /** Your Arctos license key, sent in the `arc-license-key` header of getAuthCode only. Never logged or shown in errors. */
  licenseKey: string;
  /** The user the client logs in as (the getAuthCode body). */
  user: ArctosUser;
  getCode?: undefined;
}

/** In a browser (or anywhere the license key must not go): one-time codes come from your own server. */
export interface ArctosGetCodeOptions extends ArctosCommonOptions {
  /**
   * Resolves to a one-time code that your server obtained with getAuthCode (license key and user on the server).
   * Called for the first login and again for every re-login (after 1404 / 1405), so each code is used once.
   */
  getCode: () => Promise<string>;
  licenseKey?: undefined;
  user?: undefined;
}

export type ArctosOptions = ArctosLicenseKeyOptions | ArctosGetCodeOptions;

type Base = ProviderClient<Paths, Operations, keyof typeof operations>;
type OperationId = keyof typeof operations;
// A failure body (`status` 0 or a specific code) is thrown as ProviderError, so the methods never resolve to
// the spec's failure envelope.
type Settled<F> = F extends (...init: infer A) => Promise<infer R> ? (...init: A) => Promise<Exclude<R, components["schemas"]["ErrorResponse"]>> : F;

export type ArctosClient = Omit<Base, OperationId> & { [K in OperationId]: Settled<Base[K]> } & {
  /** Log in now (a new code, then a new token), replacing the cached token; resolves to the new access token. */
  login(): Promise<string>;
  /** The cached access token, or undefined before the first login. */
  token(): string | undefined;
};

export function createArctosClient(options: ArctosOptions): ArctosClient {
  const source = codeSource(options);
  const clientId = requireString(provider, "clientId", options.clientId) as ArctosClientId;
  const licenseKey = "licenseKey" in source ? source.licenseKey : undefined;
  const user = "user" in source ? source.user : undefined;
  const getCode = "getCode" in source ? source.getCode : undefined;
  const exchange = { grant_type: "authorization_code" as const, client_id: clientId, ...(options.redirectUri === undefined ? {} : { redirect_uri: options.redirectUri }) };
  const redactor = new Redactor().add(licenseKey);

  // A success body without what the spec promises is no usable answer.
  const missing = (operation: string, field: string) =>
    new TransportError({ provider, operation, reason: "invalid-body", message: `the success body has no ${field}`, redactor });

  // The login goes through this client's own operations, so validation, timeouts and error mapping apply.
  let client: ArctosClient | undefined;
  async function login(): Promise<Token> {
    const c = client!;
    // Both bodies are known up front except the code: check both before the first request is sent.
    const bodies = [...(user ? [["getAuthCode", user] as const] : []), ["getAuthTokenUseCode", { ...exchange, code: "code" }] as const];
    for (const [id, body] of bodies) {
      const issues = validateCall(validators[id]!, operations[id], { body });
      if (issues.length) throw new ValidationError(provider, id, issues);
    }
    const code = getCode ? await codeFromApp(getCode) : (await c.getAuthCode({ body: user! })).info?.code;
    if (typeof code !== "string" || code === "") {
      if (getCode) throw new ConfigError(provider, "getCode", "must resolve to a one-time code (a non-empty string)");
      throw missing("getAuthCode", "info.code");
    }
    redactor.add(code); // a live credential for ten minutes
    const granted = await c.getAuthTokenUseCode({ body: { ...exchange, code } });
    const accessToken = granted.info?.access_token;
    if (typeof accessToken !== "string" || accessToken === "") throw missing("getAuthTokenUseCode", "info.access_token");
    return { accessToken };
  }

  /** The app's own getCode, called for every login (the first, and each after 1404 / 1405): its failure is the login's. */
  async function codeFromApp(get: () => Promise<string>): Promise<unknown> {
    try {
      return await get();
    } catch (error) {
      if (error instanceof StreamspecError) throw error;
      throw new TransportError({ provider, operation: "getAuthCode", reason: "network", message: "getCode() failed, so there is no code to log in with", cause: error, redactor });
    }
  }

  const keeper = new TokenKeeper<Token>({
    obtain: login,
    redactor,
    store: checkStore(options.store, provider),
    // With getCode the user is your server's choice: one session per client id unless storeKey says otherwise.
    key: options.storeKey ?? `arctos:${clientId}:${user ? user.user_id : "getCode"}:session`,
    provider,
  });
  const reauthCodes: readonly number[] = info.reauthCodes;
  /** Does this answer say the token it was sent with is dead (the spec's x-streamspec reauthCodes)? */
  const deadToken = (body: unknown, status: number) => {
    const failure = arctosFailure(body, status);
    return failure !== undefined && reauthCodes.includes(failure.code as number);
  };
  const bearer = bearerRelogin({
    operations,
    keeper,
    rejected: async (response) => deadToken(await bodyOf(response), response.status),
  });
  // The license key goes in the header the spec's apiKey scheme names (arc-license-key), where it asks for it.
  const license = headerCredential(
    operations,
    inHeader,
    (c) => (c as { name: string }).name,
    () => licenseKey ?? noLicenseKey(),
  );

  // The named operations get the same two headers while openapi-fetch builds their Request (ProviderHooks.finish),
  // and their re-login in `again`: no middleware runs for them, and nothing of the Request is kept for a repeat.
  // Both answer at once when nothing needs waiting for (a fresh token in hand; an answer that is no dead-token code):
  // a Promise costs every call a turn of the microtask queue.
  function finish(_: string, meta: OperationMeta): Finish | Promise<Finish> {
    const headers: Record<string, string> = {};
    const key = meta.credentials.find(inHeader);
    if (key) headers[(key as { name: string }).name] = licenseKey ?? noLicenseKey();
    if (!meta.credentials.some((c) => c.kind === "bearer")) return { headers };
    const token = keeper.available();
    return token instanceof Promise ? token.then((t) => withBearer(headers, t.accessToken)) : withBearer(headers, token.accessToken);
  }
  function again(_: string, body: unknown, response: Response, sent: Finish): Finish | undefined | Promise<Finish> {
    if (sent.credential === undefined) return undefined;
    // A caller's parseAs other than "json" leaves the body unparsed (text, Blob, stream…): the dead-token code is
    // read from the bytes the transport kept all the same.
    const parsed = isPlainObject(body) ? body : jsonOrUndefined(bufferedText(response) ?? (typeof body === "string" ? body : ""));
    if (!deadToken(parsed, response.status)) return undefined;
    return keeper.renew(sent.credential).then((t) => withBearer(sent.headers!, t.accessToken));
  }

  const wire = createProviderClient<Paths, Operations, OperationId>(
    { provider, operations, validators }, // no defaultBaseUrl: the factory refuses a missing baseUrl (ConfigError)
    options,
    { redactor, middleware: [license, bearer], finish, again, failure: arctosFailure },
  );
  client = Object.assign(wire as unknown as Omit<ArctosClient, "login" | "token">, {
    login: async () => (await keeper.renew()).accessToken,
    token: () => keeper.current()?.accessToken,
  });
  return client;
}

/** `headers` with the Bearer token over them, remembering the token for `again`. */
function withBearer(headers: Readonly<Record<string, string>>, credential: string): Finish {
  return { headers: { ...headers, Authorization: `Bearer ${credential}` }, credential };
}

/** The spec's apiKey scheme in a header (arc-license-key). */
const inHeader = (c: Credential) => c.kind === "apiKey" && c.in === "header";

/** Exactly one way to get codes: the license key (with `user`), or `getCode`. */
function codeSource(options: ArctosOptions): { licenseKey: string; user: ArctosUser } | { getCode: () => Promise<string> } {
  if (options === null || typeof options !== "object") throw new ConfigError(provider, "licenseKey", "or `getCode` is required");
  const { licenseKey, getCode, user } = options as { licenseKey?: unknown; getCode?: unknown; user?: unknown };
  if (getCode !== undefined) {
    if (licenseKey !== undefined) throw new ConfigError(provider, "getCode", "and `licenseKey` exclude each other: pass one (getCode in a browser, licenseKey on a server)");
    if (typeof getCode !== "function") throw new ConfigError(provider, "getCode", "must be a function returning a Promise of a one-time code");
    if (user !== undefined) throw new ConfigError(provider, "user", "goes with `licenseKey`: with `getCode`, your server chooses the user when it asks for the code");
    return { getCode: getCode as () => Promise<string> };
  }
  if (licenseKey === undefined) throw new ConfigError(provider, "licenseKey", "or `getCode` is required: the license key on a server, getCode in a browser");
  const key = requireString(provider, "licenseKey", licenseKey);
  if (user === null || typeof user !== "object" || Array.isArray(user)) {
    throw new ConfigError(provider, "user", "is required: pass { user_id, name?, role }");
  }
  return { licenseKey: key, user: { ...(user as ArctosUser) } };
}

// getAuthCode sends the license key; a client made with getCode has none (and must not ask the caller for it).
function noLicenseKey(): never {
  throw new ConfigError(provider, "licenseKey", "is required for getAuthCode: this client was made with getCode, so its codes come from your server");
}

async function bodyOf(response: Response): Promise<unknown> {
  // A body already read (clone() throws) reads as no body.
  return jsonOrUndefined(bufferedText(response) ?? (await response.clone().text().catch(() => "")));
}

/** A parsed JSON object (openapi-fetch's parseAs "json"), not a Blob, stream or buffer. */
function isPlainObject(value: unknown): boolean {
  return value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype;
}

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export { info, operations };
export type { Paths as ArctosPaths, Operations as ArctosOperations };
