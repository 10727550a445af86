// A small validator for the JSON-Schema subset the specs use (see specs/CONVENTIONS.md). It runs on every call,
// so it is kept allocation-light; it reports every broken rule, not only the first.

export interface Schema {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly additionalProperties?: boolean | Schema;
  readonly items?: Schema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly multipleOf?: number;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly propertyNames?: Schema;
  readonly format?: string;
  readonly oneOf?: readonly Schema[];
  readonly anyOf?: readonly Schema[];
  readonly allOf?: readonly Schema[];
}

export interface Issue {
  /** Where the broken value sits, e.g. `body[0].viewerId` or `query.page_no`. */
  readonly path: string;
  /** The schema keyword that failed, e.g. `maxLength`. */
  readonly rule: string;
  readonly message: string;
}

const patterns = new Map<string, RegExp>();
function regex(source: string): RegExp {
  let re = patterns.get(source);
  if (!re) patterns.set(source, (re = new RegExp(source, "u")));
  return re;
}

function codePoints(value: string): number {
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 === value.length) n++;
    else {
      const d = value.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      n++;
    }
  }
  return n;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === "number" && actual === "integer");
}

function show(value: unknown): string {
  const s = JSON.stringify(value);
  return s === undefined ? String(value) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function isAbsoluteUri(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(value) && URL.canParse(value);
}

function child(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}

export function validate(schema: Schema, value: unknown, path: string, issues: Issue[] = []): Issue[] {
  const add = (rule: string, message: string) => issues.push({ path: path || "(value)", rule, message });

  if (schema.type !== undefined) {
    const types = typeof schema.type === "string" ? [schema.type] : schema.type;
    if (!types.some((t) => matchesType(value, t))) {
      add("type", `must be ${types.join(" or ")}, got ${typeOf(value)}`);
      return issues; // the other keywords say nothing useful about a value of the wrong type
    }
  }
  if (schema.const !== undefined && value !== schema.const) add("const", `must be ${show(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value as never)) {
    add("enum", `must be one of ${schema.enum.map(show).join(", ")}, got ${show(value)}`);
  }

  if (typeof value === "string") {
    // Lengths count code points; UTF-16 length is an upper bound, so most strings need no counting at all.
    if (schema.minLength !== undefined && value.length < schema.minLength * 2 && codePoints(value) < schema.minLength) {
      add("minLength", `must be at least ${schema.minLength} characters, got ${codePoints(value)}`);
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength && codePoints(value) > schema.maxLength) {
      add("maxLength", `must be at most ${schema.maxLength} characters, got ${codePoints(value)}`);
    }
    if (schema.pattern !== undefined && !regex(schema.pattern).test(value)) {
      add("pattern", `must match ${schema.pattern}`);
    }
    if ((schema.format === "uri" || schema.format === "url") && !isAbsoluteUri(value)) {
      add("format", "must be an absolute URI");
    }
  } else if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) add("minimum", `must be >= ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) add("maximum", `must be <= ${schema.maximum}`);
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) {
      add("exclusiveMinimum", `must be > ${schema.exclusiveMinimum}`);
    }
    if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) {
      add("exclusiveMaximum", `must be < ${schema.exclusiveMaximum}`);
    }
    if (schema.multipleOf !== undefined && value % schema.multipleOf !== 0) {
      add("multipleOf", `must be a multiple of ${schema.multipleOf}`);
    }
  } else if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      add("minItems", `must have at least ${schema.minItems} items, got ${value.length}`);
    }
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      add("maxItems", `must have at most ${schema.maxItems} items, got ${value.length}`);
    }
    if (schema.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) {
      add("uniqueItems", "must not repeat items");
    }
    if (schema.items) for (let i = 0; i < value.length; i++) validate(schema.items, value[i], child(path, i), issues);
  } else if (value !== null && typeof value === "object") {
    validateObject(schema, value as Record<string, unknown>, path, issues, add);
  }

  if (schema.allOf) for (const s of schema.allOf) validate(s, value, path, issues);
  if (schema.anyOf && !schema.anyOf.some((s) => validate(s, value, path).length === 0)) {
    add("anyOf", "must match at least one of the allowed shapes");
  }
  if (schema.oneOf) {
    const matching = schema.oneOf.filter((s) => validate(s, value, path).length === 0).length;
    if (matching !== 1) add("oneOf", `must match exactly one of the allowed shapes, matched ${matching}`);
  }
  return issues;
}

function validateObject(
  schema: Schema,
  value: Record<string, unknown>,
  path: string,
  issues: Issue[],
  add: (rule: string, message: string) => void,
): void {
  if (schema.required) {
    for (const name of schema.required) {
      if (value[name] === undefined) {
        issues.push({ path: child(path, name), rule: "required", message: "is required" });
      }
    }
  }
  const keys = Object.keys(value).filter((k) => value[k] !== undefined);
  if (schema.minProperties !== undefined && keys.length < schema.minProperties) {
    add("minProperties", `must have at least ${schema.minProperties} entries, got ${keys.length}`);
  }
  if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) {
    add("maxProperties", `must have at most ${schema.maxProperties} entries, got ${keys.length}`);
  }
  for (const key of keys) {
    const at = child(path, key);
    if (schema.propertyNames) {
      for (const issue of validate(schema.propertyNames, key, at)) {
        issues.push({ ...issue, message: `name ${issue.message}` });
      }
    }
    const prop = schema.properties?.[key];
    if (prop) validate(prop, value[key], at, issues);
    else if (schema.additionalProperties === false) issues.push({ path: at, rule: "additionalProperties", message: "is not a known field" });
    else if (typeof schema.additionalProperties === "object") validate(schema.additionalProperties, value[key], at, issues);
  }
}
