// Small auth strategies shared by providers: each is middleware that adds one credential to the requests
// of the operations whose spec asks for it.
import type { Middleware } from "openapi-fetch";
import { operationLookup } from "./form.js";
import type { Credential, OperationIndex } from "./operation.js";

/** Adds the header value for `kind` to every operation whose spec lists that credential. */
export function headerCredential(
  operations: OperationIndex,
  wants: (c: Credential) => boolean,
  header: string,
  value: () => string | Promise<string>,
): Middleware {
  const lookup = operationLookup(operations);
  return {
    async onRequest({ request, schemaPath }) {
      const meta = lookup(request.method, schemaPath)?.[1];
      if (!meta?.credentials.some(wants)) return undefined;
      request.headers.set(header, await value());
      return undefined;
    },
  };
}

export function basicAuth(operations: OperationIndex, user: string, password: string): Middleware {
  const value = `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
  return headerCredential(operations, (c) => c.kind === "basic", "Authorization", () => value);
}

export function basicCredentials(user: string, password: string): string {
  return Buffer.from(`${user}:${password}`, "utf8").toString("base64");
}
