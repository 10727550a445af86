// SOOP credentials travel as form fields or query parameters (client_id, client_secret, access_token), never as
// headers. Which operation gets which field, and where, is read from the operation index (the spec's x-internal
// fields), so adding an operation to the spec is enough.
import type { Middleware } from "openapi-fetch";
import { operationLookup, withFormFields, withQueryFields } from "../core/form.js";
import type { OperationIndex } from "../core/operation.js";

/** Credential name (as on the wire) → where its value comes from, for the operation being sent. */
export type CredentialSources = Readonly<Record<string, (operation: string) => string | Promise<string>>>;

interface Field {
  name: string;
  in: "query" | "body";
}

export function fieldCredentials(operations: OperationIndex, sources: CredentialSources): Middleware {
  // Each operation's fields, read once. A credential the spec names but nobody supplies is a programming error:
  // say so at construction.
  const fields = new Map<string, Field[]>();
  for (const [id, meta] of Object.entries(operations)) {
    fields.set(
      id,
      meta.credentials.map((c): Field => {
        if (c.kind !== "field" || !(c.name in sources) || (c.in !== "query" && c.in !== "body")) {
          throw new Error(`soop: operation ${id} needs credential ${JSON.stringify(c)}, which the client can not supply`);
        }
        return { name: c.name, in: c.in };
      }),
    );
  }
  const lookup = operationLookup(operations);
  return {
    async onRequest({ request, schemaPath }) {
      const id = lookup(request.method, schemaPath)?.[0];
      if (id === undefined) return undefined; // a wire-layer path the spec does not list: sent as it is
      const query: Record<string, string> = {};
      const body: Record<string, string> = {};
      for (const f of fields.get(id)!) (f.in === "query" ? query : body)[f.name] = await sources[f.name]!(id);
      let next = request;
      if (Object.keys(query).length) next = withQueryFields(next, query);
      if (Object.keys(body).length) next = await withFormFields(next, body);
      return next;
    },
  };
}
