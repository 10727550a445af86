// Small auth strategies shared by providers: each is middleware that adds one credential to the requests
// of the operations whose spec asks for it.
import type { Middleware } from "openapi-fetch";
import { operationLookup } from "./form.js";
import type { Credential, OperationIndex } from "./operation.js";

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
    async onRequest({ request, schemaPath }) {
      const wanted = lookup(request.method, schemaPath)?.[1].credentials.find(wants);
      if (!wanted) return undefined;
      request.headers.set(typeof header === "string" ? header : header(wanted), await value());
      return undefined;
    },
  };
}

export function basicAuth(operations: OperationIndex, user: string, password: string): Middleware {
  const value = `Basic ${basicCredentials(user, password)}`;
  return headerCredential(operations, (c) => c.kind === "basic", "Authorization", () => value);
}

export function basicCredentials(user: string, password: string): string {
  return Buffer.from(`${user}:${password}`, "utf8").toString("base64");
}
