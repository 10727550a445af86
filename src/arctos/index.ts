// Arctos (iHH) Auth API: the license key buys a one-time code (getAuthCode), the code buys a JWT access token
// (getAuthTokenUseCode), and the token is sent as Bearer to the operations that ask for it (checkAuthToken).
// The client logs in on first need, through its own named operations, and once more after a dead-token code
// (the spec's x-streamspec.reauthCodes).
import type { components, operations as Operations, paths as Paths } from "../../generated/arctos.js";
import { info, operations, provider } from "../../generated/arctos.operations.js";
import { validators } from "../../generated/arctos.validators.js";
import { headerCredential } from "../core/auth.js";
import { createProviderClient, type ProviderClient } from "../core/client.js";
import { ConfigError, TransportError, ValidationError } from "../core/errors.js";
import type { CommonOptions } from "../core/options.js";
import { requireString } from "../core/options.js";
import { Redactor } from "../core/redact.js";
import { TokenKeeper, type Token } from "../core/token.js";
import { bufferedText } from "../core/transport.js";
import { validateCall } from "../core/validate-call.js";
import { arctosFailure } from "./errors.js";
import { bearerRelogin } from "./relogin.js";

export type ArctosUser = components["schemas"]["GetAuthCodeRequest"];
export type ArctosRole = components["schemas"]["Role"];
export type ArctosClientId = components["schemas"]["ClientId"];

export interface ArctosOptions extends CommonOptions {
  /** Your Arctos license key, sent in the `arc-license-key` header of getAuthCode only. Never logged or shown in errors. */
  licenseKey: string;
  /** Your deployment's base URL. Required: Arctos publishes no production URL (the spec's SIT host is no default). */
  baseUrl: string;
  /** The client source sent when exchanging the code: `arctos-webapp`, `arctos-switch` or `arctos-client`. */
  clientId: ArctosClientId;
  /** The user the client logs in as (the getAuthCode body). */
  user: ArctosUser;
  /** Sent as `redirect_uri` when exchanging the code. */
  redirectUri?: string;
}

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
  const licenseKey = requireString(provider, "licenseKey", options?.licenseKey);
  const clientId = requireString(provider, "clientId", options.clientId) as ArctosClientId;
  if (options.user === null || typeof options.user !== "object" || Array.isArray(options.user)) {
    throw new ConfigError(provider, "user", "is required: pass { user_id, name?, role }");
  }
  const user: ArctosUser = { ...options.user };
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
    for (const [id, body] of [["getAuthCode", user], ["getAuthTokenUseCode", { ...exchange, code: "code" }]] as const) {
      const issues = validateCall(validators[id]!, operations[id], { body });
      if (issues.length) throw new ValidationError(provider, id, issues);
    }
    const issued = await c.getAuthCode({ body: user });
    const code = issued.info?.code;
    if (typeof code !== "string" || code === "") throw missing("getAuthCode", "info.code");
    redactor.add(code); // a live credential for ten minutes
    const granted = await c.getAuthTokenUseCode({ body: { ...exchange, code } });
    const accessToken = granted.info?.access_token;
    if (typeof accessToken !== "string" || accessToken === "") throw missing("getAuthTokenUseCode", "info.access_token");
    return { accessToken };
  }

  const keeper = new TokenKeeper<Token>({ obtain: login, redactor });
  const reauthCodes: readonly number[] = info.reauthCodes;
  const bearer = bearerRelogin({
    operations,
    keeper,
    async rejected(response) {
      const failure = arctosFailure(await bodyOf(response), response.status);
      return failure !== undefined && reauthCodes.includes(failure.code as number);
    },
  });
  // The license key goes in the header the spec's apiKey scheme names (arc-license-key), where it asks for it.
  const license = headerCredential(
    operations,
    (c) => c.kind === "apiKey" && c.in === "header",
    (c) => (c as { name: string }).name,
    () => licenseKey,
  );

  const wire = createProviderClient<Paths, Operations, OperationId>(
    { provider, operations, validators }, // no defaultBaseUrl: the factory refuses a missing baseUrl (ConfigError)
    options,
    { redactor, middleware: [license, bearer], failure: arctosFailure },
  );
  client = Object.assign(wire as unknown as Omit<ArctosClient, "login" | "token">, {
    login: async () => (await keeper.renew()).accessToken,
    token: () => keeper.current()?.accessToken,
  });
  return client;
}

async function bodyOf(response: Response): Promise<unknown> {
  try {
    return JSON.parse(bufferedText(response) ?? (await response.clone().text()));
  } catch {
    return undefined;
  }
}

export { info, operations };
export type { Paths as ArctosPaths, Operations as ArctosOperations };
