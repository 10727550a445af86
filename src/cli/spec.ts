// What the operation index leaves out and the command line shows or needs: summaries, descriptions, defaults
// and examples of every operation and field, and the environment map (info.x-streamspec.env). Read from the spec
// (the build's JSON copy of it), so a new operation in a spec is a new command with its help, with no change here.
import { readFileSync } from "node:fs";
import { specPath } from "./locate.js";

export interface FieldDocs {
  description?: string;
  /** The spec's `x-undocumented` reason: no document gives this, and it is assumed (CONVENTIONS.md). */
  undocumented?: string;
  default?: unknown;
  example?: unknown;
  deprecated?: boolean;
}

export interface OperationDocs {
  summary?: string;
  description?: string;
  undocumented?: string;
  /** Keyed `<in>.<name>`, e.g. `path.appUserId`. */
  params: Record<string, FieldDocs>;
  /** Top-level body properties by name. */
  body: Record<string, FieldDocs>;
  bodyDescription?: string;
  /** Names of success-response properties the spec marks `x-secret: true` (a credential, e.g. a stream key). */
  secretFields: ReadonlySet<string>;
}

export interface SpecDocs {
  title?: string;
  summary?: string;
  /** info.x-streamspec.env, unchecked (see env.ts). */
  env: unknown;
  operation(id: string): OperationDocs | undefined;
}

type Node = Record<string, unknown>;
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

const cache = new Map<string, SpecDocs>();

export function readSpec(provider: string): SpecDocs {
  let docs = cache.get(provider);
  if (!docs) {
    let text: string;
    try {
      text = readFileSync(specPath(provider), "utf8");
    } catch {
      throw new Error(`streamspec: ${specPath(provider)} is missing: run \`npm run build\``);
    }
    cache.set(provider, (docs = specDocs(JSON.parse(text) as Node)));
  }
  return docs;
}

function specDocs(doc: Node): SpecDocs {
  // Specs use local $refs only (specs/CONVENTIONS.md); follow them where a value is read.
  const at = (node: unknown, depth = 0): Node | undefined => {
    if (!node || typeof node !== "object") return undefined;
    const ref = (node as Node).$ref;
    if (typeof ref !== "string") return node as Node;
    if (!ref.startsWith("#/") || depth > 20) return undefined;
    let target: unknown = doc;
    for (const part of ref.slice(2).split("/")) {
      target = (target as Node | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    }
    return at(target, depth + 1);
  };
  const fieldDocs = (field: Node | undefined, schema: Node | undefined): FieldDocs => ({
    description: text(field?.description) ?? text(schema?.description),
    undocumented: text(field?.["x-undocumented"]) ?? text(schema?.["x-undocumented"]),
    default: schema?.default,
    example: field?.example ?? schema?.example ?? (Array.isArray(schema?.examples) ? schema.examples[0] : undefined),
    deprecated: field?.deprecated === true || schema?.deprecated === true || undefined,
  });
  /** Top-level properties of a body schema, allOf parts included. */
  const properties = (schema: Node | undefined, out: Record<string, FieldDocs> = {}): Record<string, FieldDocs> => {
    for (const [name, prop] of Object.entries((schema?.properties as Node | undefined) ?? {})) out[name] ??= fieldDocs(undefined, at(prop));
    for (const part of (schema?.allOf as unknown[] | undefined) ?? []) properties(at(part), out);
    return out;
  };

  const secrets = (schema: Node | undefined, out: Set<string>, depth = 0): void => {
    if (!schema || depth > 30) return;
    for (const [name, raw] of Object.entries((schema.properties as Node | undefined) ?? {})) {
      const prop = at(raw);
      if (prop?.["x-secret"] === true) out.add(name);
      secrets(prop, out, depth + 1);
    }
    for (const key of ["items", "additionalProperties"]) secrets(at(schema[key]), out, depth + 1);
    for (const key of ["allOf", "oneOf", "anyOf"]) for (const part of (schema[key] as unknown[] | undefined) ?? []) secrets(at(part), out, depth + 1);
  };

  const operations = new Map<string, OperationDocs>();
  for (const item of Object.values((doc.paths as Node | undefined) ?? {})) {
    const pathItem = at(item);
    for (const method of METHODS) {
      const op = at(pathItem?.[method]);
      if (!op || typeof op.operationId !== "string") continue;
      const params: Record<string, FieldDocs> = {};
      for (const p of [...((pathItem?.parameters as unknown[]) ?? []), ...((op.parameters as unknown[]) ?? [])]) {
        const param = at(p);
        if (param && typeof param.name === "string") params[`${String(param.in)}.${param.name}`] = fieldDocs(param, at(param.schema));
      }
      const requestBody = at(op.requestBody);
      const media = Object.values((requestBody?.content as Node | undefined) ?? {})[0] as Node | undefined;
      const bodySchema = at(media?.schema);
      const secretFields = new Set<string>();
      for (const [status, response] of Object.entries((op.responses as Node | undefined) ?? {})) {
        if (!/^2/.test(status)) continue;
        for (const media of Object.values((at(response)?.content as Node | undefined) ?? {})) secrets(at((media as Node).schema), secretFields);
      }
      operations.set(op.operationId, {
        summary: text(op.summary),
        description: text(op.description),
        undocumented: text(op["x-undocumented"]),
        params,
        body: properties(bodySchema),
        bodyDescription: text(requestBody?.description) ?? text(bodySchema?.description),
        secretFields,
      });
    }
  }
  const info = (doc.info ?? {}) as Node;
  return {
    title: text(info.title),
    summary: text(info.summary),
    env: (info["x-streamspec"] as Node | undefined)?.env,
    operation: (id) => operations.get(id),
  };
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}
