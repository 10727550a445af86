// The SOOP token flow: a code is exchanged for a token, the token is refreshed with its refresh_token before it
// expires, and every new token is announced through onToken so the app can persist it.
import type { components } from "../../generated/soop.js";
import { provider } from "../../generated/soop.operations.js";
import { ConfigError, TransportError, ValidationError } from "../core/errors.js";
import type { Redactor } from "../core/redact.js";
import type { Store } from "../core/store.js";
import { TokenKeeper, type Token } from "../core/token.js";

type TokenRequest = components["schemas"]["TokenRequestForm"];
type TokenResponse = components["schemas"]["TokenResponse"];

export interface SoopToken extends Token {
  accessToken: string;
  refreshToken: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export interface TokenFlowOptions {
  /** Calls issueToken (auth/token); client_id and client_secret are added by the credentials middleware. */
  issueToken: (body: TokenRequest) => Promise<TokenResponse>;
  redirectUri?: string;
  initial?: SoopToken;
  onToken?: (token: SoopToken) => void | Promise<void>;
  redactor: Redactor;
  now: () => number;
  /** Where the token is shared between processes (default: this client's memory), and under which key. */
  store?: Store;
  storeKey: string;
}

export interface TokenFlow {
  /** A fresh access token, refreshed first when it expires within 60 s; concurrent callers share one refresh. */
  accessToken(): Promise<string>;
  exchangeCode(code: string): Promise<SoopToken>;
  refreshToken(): Promise<SoopToken>;
}

export function createTokenFlow(options: TokenFlowOptions): TokenFlow {
  const { issueToken, redirectUri, redactor, now } = options;

  function toToken(res: TokenResponse): SoopToken {
    if (typeof res?.access_token !== "string" || res.access_token === "" || typeof res.expires_in !== "number") {
      throw new TransportError({ provider, operation: "issueToken", reason: "invalid-body", message: "the token response lacks access_token or expires_in", redactor });
    }
    redactor.add(res.access_token, res.refresh_token);
    return { accessToken: res.access_token, refreshToken: res.refresh_token, expiresAt: now() + res.expires_in * 1000 };
  }

  const keeper = new TokenKeeper<SoopToken>(
    {
      async obtain(current) {
        if (!current) throw missingToken();
        if (!current.refreshToken) {
          throw new ConfigError(provider, "token", "has expired and has no refreshToken: call exchangeCode(code) again, or pass a fresh `token`");
        }
        return toToken(await issueToken({ grant_type: "refresh_token", refresh_token: current.refreshToken }));
      },
      onToken: options.onToken,
      redactor,
      now,
      store: options.store,
      key: options.storeKey,
      provider,
    },
    options.initial,
  );

  return {
    // Without a token of its own, the client looks in the store (another process may have one), then gives up.
    accessToken: async () => (await keeper.get()).accessToken,
    async exchangeCode(code) {
      // The guide asks for the code and says nothing of its form, so any string goes (an empty one included).
      if (typeof code !== "string") {
        throw new ValidationError(provider, "issueToken", [{ path: "code", rule: "type", message: "must be a string (the verification code)" }]);
      }
      redactor.add(code);
      const body: TokenRequest = { grant_type: "authorization_code", code, ...(redirectUri ? { redirect_uri: redirectUri } : {}) };
      return keeper.set(toToken(await issueToken(body)));
    },
    refreshToken: () => keeper.renew(),
  };
}

function missingToken(): ConfigError {
  return new ConfigError(provider, "token", "is missing: call client.exchangeCode(code) first, or pass `token` to createSoopClient");
}
