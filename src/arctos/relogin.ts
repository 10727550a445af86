// Bearer auth as openapi-fetch middleware for the wire layer (client.POST): operations whose spec security is
// bearer get `Authorization: Bearer <token>` (logging in on first need), and when the answer says the token is
// dead, the client logs in again ONCE and sends the same request again. The named operations do the same without
// middleware (index.ts: `finish` and `again`). The repeat is not itself checked, so a second rejection surfaces
// to the caller instead of looping.
import type { Middleware } from "openapi-fetch";
import { operationLookup } from "../core/form.js";
import type { OperationIndex } from "../core/operation.js";
import { cloneRequest } from "../core/request.js";
import type { Token, TokenKeeper } from "../core/token.js";

export interface BearerReloginOptions {
  operations: OperationIndex;
  keeper: TokenKeeper<Token>;
  /** Does this answer say that the token it was sent with is expired or invalid? */
  rejected(response: Response): Promise<boolean>;
}

interface Sent {
  /**
   * The request to send again after a new login: an unread copy when it has a body; otherwise the request itself,
   * held weakly so that the orphan backstop below can still see it become garbage.
   */
  request: Request | WeakRef<Request>;
  /** The token it carried, so concurrent rejections of one token share one login. */
  token: string;
}

export type BearerReloginMiddleware = Middleware & {
  /** Requests in flight whose copy is kept (for tests: it returns to 0 when they settle). */
  readonly pending: number;
};

export function bearerRelogin({ operations, keeper, rejected }: BearerReloginOptions): BearerReloginMiddleware {
  const lookup = operationLookup(operations);
  const sent = new Map<string, Sent>();
  // openapi-fetch skips onResponse/onError when a later middleware answers or throws in onRequest; the copy
  // is then dropped once the original request is garbage (a backstop: normally onResponse/onError drop it).
  const orphans = new FinalizationRegistry<string>((id) => sent.delete(id));

  function take(id: string): Sent | undefined {
    const entry = sent.get(id);
    if (!entry) return undefined;
    sent.delete(id);
    orphans.unregister(entry);
    return entry;
  }

  return {
    get pending() {
      return sent.size;
    },
    async onRequest({ request, schemaPath, id }) {
      const meta = lookup(request.method, schemaPath)?.[1];
      if (!meta?.credentials.some((c) => c.kind === "bearer")) return undefined;
      const token = (await keeper.get()).accessToken;
      request.headers.set("Authorization", `Bearer ${token}`);
      // A bodyless Request can be sent again as it is; only a body needs a copy (a clone tees its stream).
      // The copy stays the call's (cloneRequest): the transport then follows the caller's signal for it too.
      const entry: Sent = { request: request.body ? cloneRequest(request) : new WeakRef(request), token };
      sent.set(id, entry);
      orphans.register(request, id, entry);
      return undefined;
    },
    async onResponse({ response, options, id }) {
      const entry = take(id);
      if (!entry || !(await rejected(response))) return undefined;
      const again = entry.request instanceof WeakRef ? entry.request.deref() : entry.request;
      if (!again) return undefined; // cannot happen while openapi-fetch awaits this response; never loop on it
      const fresh = await keeper.renew(entry.token);
      again.headers.set("Authorization", `Bearer ${fresh.accessToken}`);
      return options.fetch(again);
    },
    onError({ id }) {
      take(id);
      return undefined;
    },
  };
}
