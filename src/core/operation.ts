// The shape of generated/<provider>.operations.ts: what the runtime knows about each operation.
/**
 * An input schema as the index records it (validation keywords only). The client validates with the compiled
 * validators, not with these; they serve code that needs to know the shape (a default path parameter, tools).
 */
export interface Schema {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly additionalProperties?: boolean | Schema;
  readonly items?: Schema;
  readonly [keyword: string]: unknown;
}

export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE" | "PATCH" | "HEAD" | "OPTIONS" | "TRACE";

/** A credential the middleware supplies, as the spec describes it on the wire. */
export type Credential =
  | { readonly kind: "basic" | "bearer" }
  | { readonly kind: "apiKey"; readonly in: string; readonly name: string }
  | { readonly kind: "field"; readonly in: string; readonly name: string };

export interface OperationMeta {
  readonly method: HttpMethod;
  readonly path: string;
  /** From the spec's x-retry-safe: may the client send this request again after it may have arrived? */
  readonly retrySafe: boolean;
  readonly credentials: readonly Credential[];
  /**
   * Per location, its parameters. In a provider's `operations` each is named only (`properties`, each `{}`): the
   * compiled validators hold the rules, and `schemas` (generated beside it, for tools) the full schemas.
   */
  readonly params: { readonly path?: Schema; readonly query?: Schema; readonly header?: Schema; readonly cookie?: Schema };
  /** The request body: its media type and whether it is required (`schema` only where a tool merged it in). */
  readonly body?: { readonly contentType: string; readonly required: boolean; readonly schema?: Schema };
  /** Success statuses and the media types each promises (empty: no body). */
  readonly responses: Readonly<Record<string, readonly string[]>>;
}

export type OperationIndex = Readonly<Record<string, OperationMeta>>;

/** operationId → its full parameter schemas (per location) and body schema: what tools read (generated `schemas`). */
export type OperationSchemas = Readonly<Record<string, { readonly params: OperationMeta["params"]; readonly body?: Schema }>>;

export interface ProviderInfo {
  readonly title: string;
  readonly servers: readonly string[];
  readonly factory?: string;
  readonly options?: unknown;
  readonly [key: string]: unknown;
}
