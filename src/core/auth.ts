// Small auth strategies shared by providers: each is middleware that adds one credential to the requests
// of the operations whose spec asks for it.
import type { Middleware } from "openapi-fetch";
import type { Finish } from "./client.js";
import { operationLookup } from "./form.js";
import type { Credential, OperationIndex, OperationMeta } from "./operation.js";

/**
 * Adds a header to every operation whose spec lists a credential `wants` accepts. The header is named by the
 * string given, or by the credential itself (an apiKey scheme's `name`) when `header` is a function of it.
 */
export function headerCredential(
  operations: OperationIndex,
  wants: (c: Credential) => boolean,
  header: string | ((c: Credential) => string),
  value: () => string | Promise<string>,
): Middleware {
  const lookup = operationLookup(operations);
  return {
    onRequest({ request, schemaPath }) {
      const wanted = lookup(request.method, schemaPath)?.[1].credentials.find(wants);
      if (!wanted) return undefined;
      const name = typeof header === "string" ? header : header(wanted);
      const got = value();
      // A value at hand is set at once; only one that has to be fetched (a token) makes this step wait.
      if (typeof got === "string") request.headers.set(name, got);
      else return got.then((v) => void request.headers.set(name, v));
      return undefined;
    },
  };
}

export function basicAuth(operations: OperationIndex, user: string, password: string): Middleware {
  const value = `Basic ${basicCredentials(user, password)}`;
  return headerCredential(operations, (c) => c.kind === "basic", "Authorization", () => value);
}

/**
 * The same header for a named operation, set as openapi-fetch builds its Request (ProviderHooks.finish), so the
 * named operations need no middleware at all. An operation without a basic credential gets nothing added.
 */
export function basicAuthFinish(user: string, password: string): (operationId: string, meta: OperationMeta) => Finish {
  const headers = { Authorization: `Basic ${basicCredentials(user, password)}` };
  const none: Finish = {};
  return (_, meta) => (meta.credentials.some((c) => c.kind === "basic") ? { headers } : none);
}

/** Base64 of `user:password` over its UTF-8 bytes (RFC 7617), with `btoa`, which every runtime has. */
export function basicCredentials(user: string, password: string): string {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  // btoa takes a "binary string" (one char per byte); build it in chunks to stay clear of argument limits.
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
