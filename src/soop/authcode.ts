// GET auth/code is a browser redirect, not an API answer: SOOP sends the browser to the app's Redirect URI with
// `?code=...` (or to its login page first). A server-side call must not follow that redirect to another host, so
// getAuthCode asks for it unfollowed and reports where it points.
import { provider } from "../../generated/soop.operations.js";
import { statusError, thrownError, type Failure } from "../core/client.js";
import { TransportError } from "../core/errors.js";
import type { Redactor } from "../core/redact.js";

export interface SoopAuthRedirect {
  /**
   * Where the user's browser has to go next: the Redirect URI carrying `?code=` when SOOP already knows the user,
   * otherwise SOOP's login page (for a 2xx answer, the auth/code page itself, i.e. `authorizeUrl()`).
   */
  location: string;
  /** The verification code from `location`'s `code` query variable, when it carries one. */
  code: string | undefined;
}

export interface AuthCodeInit {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

interface Context {
  /** Sends GET auth/code with `redirect: "manual"` through the wire layer (credentials, transport policy). */
  send: (init: AuthCodeInit & { redirect: "manual"; parseAs: "text" }) => Promise<{ error?: unknown; response: Response }>;
  authorizeUrl: () => string;
  failure: (body: unknown, status: number, response: Response) => Failure | undefined;
  redactor: Redactor;
}

const operation = "getAuthCode";

export async function getAuthCodeRedirect(ctx: Context, init: AuthCodeInit = {}): Promise<SoopAuthRedirect> {
  let result: { error?: unknown; response: Response };
  try {
    result = await ctx.send({ ...init, redirect: "manual", parseAs: "text" });
  } catch (error) {
    throw thrownError({ provider, operation, redactor: ctx.redactor }, error);
  }
  const { response, error } = result;
  const status = response.status;
  if (status >= 300 && status < 400) {
    const header = response.headers.get("location");
    if (!header) {
      throw new TransportError({ provider, operation, reason: "invalid-body", message: `the ${status} redirect has no Location header`, redactor: ctx.redactor });
    }
    const location = new URL(header, ctx.authorizeUrl()).toString();
    return { location, code: new URL(location).searchParams.get("code") ?? undefined };
  }
  if (response.ok) return { location: ctx.authorizeUrl(), code: undefined };
  throw statusError({ provider, operation, redactor: ctx.redactor }, ctx.failure, error, response);
}
