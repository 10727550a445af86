// One flag per path/query/header parameter and per top-level body field of an operation, from the client-view
// schemas of the operation index; the values are converted by the schema's type and then validated by the
// client itself, so a bad value gets the same field path and rule as ValidationError.
import type { CallInit } from "../core/client.js";
import type { Issue } from "../core/errors.js";
import type { OperationMeta, Schema } from "../core/operation.js";

/** The JSON-Schema keywords the help text describes, typed (the index's Schema leaves the rest `unknown`). */
interface Rules extends Schema {
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly multipleOf?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly propertyNames?: Schema;
  readonly oneOf?: readonly Schema[];
  readonly anyOf?: readonly Schema[];
}
import type { FieldDocs, OperationDocs } from "./spec.js";

export type Location = "path" | "query" | "header" | "body" | "option";

export interface Flag {
  /** Without the leading `--`. */
  name: string;
  location: Location;
  /** The name on the wire (or the option's name). */
  key: string;
  schema: Schema;
  required: boolean;
  docs?: FieldDocs;
}

/** Flags every command takes (parseArgs option descriptors). */
export const GLOBAL_OPTIONS = {
  help: { type: "boolean", short: "h" },
  json: { type: "boolean" },
  "dry-run": { type: "boolean" },
  "base-url": { type: "string" },
  "env-file": { type: "string" },
} as const;

/** `--body`, for commands whose operation has a request body. */
export const BODY_OPTION = { body: { type: "string" } } as const;

const RESERVED = new Set([...Object.keys(GLOBAL_OPTIONS), "body", "version", "h"]);

/** appUserId → app-user-id, broad_ending_msg → broad-ending-msg, vodURL → vod-url. */
export function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .toLowerCase();
}

const LOCATIONS = ["path", "query", "header"] as const;

export function operationFlags(meta: OperationMeta, docs: OperationDocs | undefined): Flag[] {
  const flags: Flag[] = [];
  for (const location of LOCATIONS) {
    const schema = meta.params[location];
    for (const [key, s] of Object.entries(schema?.properties ?? {})) {
      flags.push({ name: kebab(key), location, key, schema: s, required: schema?.required?.includes(key) ?? false, docs: docs?.params[`${location}.${key}`] });
    }
  }
  const body = meta.body?.schema;
  for (const [key, s] of Object.entries(body?.properties ?? {})) {
    flags.push({ name: kebab(key), location: "body", key, schema: s, required: body?.required?.includes(key) ?? false, docs: docs?.body[key] });
  }
  // Two fields with one kebab name (a path `type` and a body `type`), or a field named like a global flag:
  // each takes its location as a prefix, so no value can land in the wrong place.
  const count = new Map<string, number>();
  for (const f of flags) count.set(f.name, (count.get(f.name) ?? 0) + 1);
  for (const f of flags) if (count.get(f.name)! > 1 || RESERVED.has(f.name) || f.name === "") f.name = `${f.location}-${f.name || "value"}`;
  return flags;
}

/** parseArgs descriptors for a command's own flags: arrays may be repeated. */
export function parseOptions(flags: readonly Flag[]): Record<string, { type: "string"; multiple?: boolean }> {
  return Object.fromEntries(flags.map((f) => [f.name, isArray(f.schema) ? { type: "string", multiple: true } : { type: "string" }]));
}

function types(schema: Schema): string[] {
  if (schema.type !== undefined) return typeof schema.type === "string" ? [schema.type] : [...schema.type];
  const sample: readonly unknown[] = schema.const !== undefined ? [schema.const] : schema.enum ?? [];
  return [...new Set(sample.map((v) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v)))];
}

const isArray = (schema: Schema) => types(schema).includes("array") && !types(schema).includes("string");

/** Where a field's issues are reported: the same path ValidationError uses (`path.appUserId`, `body.title`). */
export function fieldPath(flag: Flag): string {
  return /^[A-Za-z_$][\w$]*$/.test(flag.key) ? `${flag.location}.${flag.key}` : `${flag.location}[${JSON.stringify(flag.key)}]`;
}

/**
 * A flag's text as the value its schema asks for. A type the text can not be read as is left as text, so the
 * client's validator reports it with its rule (`type`); JSON that does not parse is reported here.
 */
export function convert(raw: string, schema: Schema, path: string, issues: Issue[]): unknown {
  const t = types(schema);
  if (t.includes("string")) return raw; // "007" stays "007" where a string is allowed
  if (t.includes("object") || (t.includes("array") && /^\s*\[/.test(raw))) {
    try {
      return JSON.parse(raw);
    } catch {
      issues.push({ path, rule: "type", message: `must be JSON (${t.includes("object") ? "an object, e.g. '{\"key\":\"value\"}'" : "an array"})` });
      return undefined;
    }
  }
  if (t.includes("array")) return raw === "" ? [] : raw.split(",").map((item, i) => convert(item.trim(), schema.items ?? {}, `${path}[${i}]`, issues));
  if ((t.includes("integer") || t.includes("number")) && raw.trim() !== "" && Number.isFinite(Number(raw))) return Number(raw);
  if (t.includes("boolean") && (raw === "true" || raw === "false")) return raw === "true";
  if (t.includes("null") && raw === "null") return null;
  if (t.length === 0) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  return raw;
}

/**
 * The openapi-fetch `init` for a call: parameters by location, and the body from `--body` with the body-field
 * flags on top. An object body defaults to `{}` when the operation requires one, so a missing field is reported
 * by name rather than as a missing body.
 */
export function buildInit(meta: OperationMeta, flags: readonly Flag[], values: Record<string, unknown>, body: unknown, issues: Issue[]): CallInit {
  const params: Record<string, Record<string, unknown>> = {};
  const fields: Record<string, unknown> = {};
  for (const flag of flags) {
    const given = values[flag.name];
    if (given === undefined) continue;
    const path = fieldPath(flag);
    const value = Array.isArray(given)
      ? given.flatMap((raw: string) => {
          const v = convert(raw, flag.schema, path, issues);
          return Array.isArray(v) ? v : [v];
        })
      : convert(given as string, flag.schema, path, issues);
    if (flag.location === "body") fields[flag.key] = value;
    else if (flag.location !== "option") (params[flag.location] ??= {})[flag.key] = value;
  }
  const init: CallInit = {};
  if (Object.keys(params).length) init.params = params;
  const hasFields = Object.keys(fields).length > 0;
  if (body !== undefined || hasFields) {
    if (hasFields && body !== undefined && (body === null || typeof body !== "object" || Array.isArray(body))) {
      issues.push({ path: "body", rule: "type", message: "must be an object when field flags are given with --body" });
    }
    init.body = !hasFields ? body : body === undefined ? fields : { ...(body as object), ...fields };
  } else if (meta.body?.required && types(meta.body.schema ?? {}).includes("object")) {
    init.body = {};
  }
  return init;
}

/** `string`, `integer`, `array of string`, `integer|string`, `object (JSON)`. */
export function describeType(schema: Schema): string {
  const t = types(schema);
  if (t.length === 0) return "JSON";
  return t
    .map((x) => (x === "array" ? `array of ${describeType(schema.items ?? {})}` : x === "object" ? "object (JSON)" : x))
    .join("|");
}

/** The schema's rules in words: `one of a, b`, `pattern ^…$`, `1..50 characters`. */
export function describeConstraints(input: Schema): string[] {
  const schema = input as Rules;
  const out: string[] = [];
  const show = (v: unknown) => JSON.stringify(v);
  if (schema.const !== undefined) out.push(`must be ${show(schema.const)}`);
  if (schema.enum) out.push(`one of ${schema.enum.map(show).join(", ")}`);
  const range = (min: number | undefined, max: number | undefined, unit: string) => {
    const units = (n: number) => (n === 1 ? unit.replace(/s$/, "") : unit);
    if (min !== undefined && max !== undefined) out.push(`${min}..${max} ${units(max)}`);
    else if (min !== undefined) out.push(`at least ${min} ${units(min)}`);
    else if (max !== undefined) out.push(`at most ${max} ${units(max)}`);
  };
  range(schema.minLength, schema.maxLength, "characters");
  if (schema.pattern) out.push(`pattern ${schema.pattern}`);
  if (schema.format) out.push(`format ${schema.format}`);
  if (schema.minimum !== undefined) out.push(`>= ${schema.minimum}`);
  if (schema.exclusiveMinimum !== undefined) out.push(`> ${schema.exclusiveMinimum}`);
  if (schema.maximum !== undefined) out.push(`<= ${schema.maximum}`);
  if (schema.exclusiveMaximum !== undefined) out.push(`< ${schema.exclusiveMaximum}`);
  if (schema.multipleOf !== undefined) out.push(`multiple of ${schema.multipleOf}`);
  range(schema.minItems, schema.maxItems, "items");
  if (schema.uniqueItems) out.push("no repeated items");
  range(schema.minProperties, schema.maxProperties, "properties");
  if (schema.items && isArray(schema)) for (const c of describeConstraints(schema.items)) out.push(`each ${c}`);
  if (schema.propertyNames) for (const c of describeConstraints(schema.propertyNames)) out.push(`keys: ${c}`);
  if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
    const inner = describeConstraints(schema.additionalProperties);
    out.push(`values: ${describeType(schema.additionalProperties)}${inner.length ? `, ${inner.join(", ")}` : ""}`);
  }
  if (schema.oneOf || schema.anyOf) out.push(`${schema.oneOf ? "one" : "any"} of ${(schema.oneOf ?? schema.anyOf)!.length} shapes (see the docs)`);
  return out;
}
