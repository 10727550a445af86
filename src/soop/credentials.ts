// SOOP credentials travel as form fields or query parameters (client_id, client_secret, access_token), never as
// headers. Which operation gets which field, and where, is read from the operation index (the spec's x-internal
// fields), so adding an operation to the spec is enough.
import type { Middleware } from "openapi-fetch";
import { operationLookup, withFields, withFormFields, withQueryFields } from "../core/form.js";
import type { Finish } from "../core/client.js";
import type { OperationIndex, OperationMeta } from "../core/operation.js";

/** Credential name (as on the wire) → where its value comes from, for the operation being sent. */
export type CredentialSources = Readonly<Record<string, (operation: string) => string | Promise<string>>>;

export interface FieldCredentials {
  middleware: Middleware;
  /**
   * For a named operation: the credentials as steps that add them to the query string and form text while
   * openapi-fetch serialises the call (ProviderHooks.finish), so no Request is rebuilt. Same fields, same
   * `set` semantics as the middleware's withQueryFields / withFormFields.
   */
  finish(operationId: string): Promise<Finish | undefined>;
}

export function fieldCredentials(operations: OperationIndex, sources: CredentialSources): FieldCredentials {
  // A credential the spec names but nobody supplies is a programming error: say so at construction.
  for (const [id, meta] of Object.entries(operations)) {
    for (const c of meta.credentials) {
      if (c.kind !== "field" || !(c.name in sources) || (c.in !== "query" && c.in !== "body")) {
        throw new Error(`soop: operation ${id} needs credential ${JSON.stringify(c)}, which the client can not supply`);
      }
    }
  }
  const lookup = operationLookup(operations);

  /** The values of an operation's credentials, by where they go. */
  async function fieldsOf(id: string, meta: OperationMeta): Promise<{ query: Record<string, string>; body: Record<string, string> }> {
    const query: Record<string, string> = {};
    const body: Record<string, string> = {};
    for (const c of meta.credentials) {
      if (c.kind !== "field") continue;
      (c.in === "query" ? query : body)[c.name] = await sources[c.name]!(id);
    }
    return { query, body };
  }

  return {
    middleware: {
      async onRequest({ request, schemaPath }) {
        const [id, meta] = lookup(request.method, schemaPath) ?? [];
        if (!id || !meta?.credentials.length) return undefined;
        const { query, body } = await fieldsOf(id, meta);
        let next = request;
        if (Object.keys(query).length) next = withQueryFields(next, query);
        if (Object.keys(body).length) next = await withFormFields(next, body);
        return next;
      },
    },
    async finish(id) {
      const meta = operations[id];
      if (!meta) return undefined;
      if (!meta.credentials.length) return {}; // nothing to add: built complete as it is
      const { query, body } = await fieldsOf(id, meta);
      const add = (fields: Record<string, string>) => (Object.keys(fields).length ? (text: string) => withFields(text, fields) : undefined);
      return { query: add(query), form: add(body) };
    },
  };
}
