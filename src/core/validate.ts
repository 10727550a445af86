// Runs the validators `npm run generate` compiles from the specs (generated/<provider>.validators.ts: Ajv standalone
// code, no eval at run time) and words what they found. The wording is ours, so Ajv is built without its messages.

export interface Issue {
  /** Where the broken value sits, e.g. `body[0].viewerId` or `query.page_no`. */
  readonly path: string;
  /** The JSON-Schema keyword that failed, e.g. `maxLength`. */
  readonly rule: string;
  readonly message: string;
}

/** One error as Ajv's generated code reports it (`messages: false`, so without a message). */
export interface CompiledError {
  readonly instancePath: string;
  /** Only where it runs through an anyOf/oneOf (the generator blanks the rest, see scripts/lib/validators.mjs). */
  readonly schemaPath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** Set on the errors of a `propertyNames` subschema: the key whose name broke it. */
  readonly propertyName?: string;
}

/** An Ajv standalone validate function: true when valid; otherwise its `errors` say why. */
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: readonly CompiledError[] | null;
}

export type ValidatorIndex = Readonly<Record<string, CompiledValidator>>;

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : Number.isFinite(value) ? "number" : String(value);
  return typeof value;
}

function show(value: unknown): string {
  let s: string;
  try {
    // JSON has no NaN/Infinity, and no function or symbol (undefined): those are shown as JavaScript writes them.
    s = (typeof value === "number" && !Number.isFinite(value) ? undefined : JSON.stringify(value)) ?? String(value);
  } catch {
    s = typeOf(value); // a BigInt or a cycle, which JSON cannot write: name its kind, so the issue is still reported
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

const characters = (value: unknown) => (typeof value === "string" ? [...value].length : 0);
const count = (value: unknown) => (Array.isArray(value) ? value.length : value && typeof value === "object" ? Object.keys(value).length : 0);

const FORMATS: Readonly<Record<string, string>> = { uri: "must be an absolute URI (RFC 3986)" };

function wording(e: CompiledError, value: unknown, location: boolean): string {
  const p = e.params as Record<string, any>;
  switch (e.keyword) {
    case "type":
      return `must be ${String(p.type).split(",").join(" or ")}, got ${typeOf(value)}`;
    case "required":
      return "is required";
    case "additionalProperties":
      if (!location) return "is not a known field";
      return p.additionalProperty === "body" ? "is not accepted by this operation (it has no request body)" : "is not accepted by this operation";
    case "const":
      return `must be ${show(p.allowedValue)}`;
    case "enum":
      return `must be one of ${(p.allowedValues as unknown[]).map(show).join(", ")}, got ${show(value)}`;
    case "minLength":
      return `must be at least ${p.limit} characters, got ${characters(value)}`;
    case "maxLength":
      return `must be at most ${p.limit} characters, got ${characters(value)}`;
    case "pattern":
      return `must match ${p.pattern}`;
    case "format":
      return FORMATS[p.format] ?? `must be a valid ${p.format}`;
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return `must be ${p.comparison} ${p.limit}`;
    case "multipleOf":
      return `must be a multiple of ${p.multipleOf}`;
    case "minItems":
      return `must have at least ${p.limit} items, got ${count(value)}`;
    case "maxItems":
      return `must have at most ${p.limit} items, got ${count(value)}`;
    case "uniqueItems":
      return `must not repeat items (items ${p.j} and ${p.i} are equal)`;
    case "minProperties":
      return `must have at least ${p.limit} entries, got ${count(value)}`;
    case "maxProperties":
      return `must have at most ${p.limit} entries, got ${count(value)}`;
    case "anyOf":
      return "must match at least one of the allowed shapes";
    case "oneOf":
      // Ajv stops at the second shape that matches: passingSchemas says "two or more", never how many.
      return `must match exactly one of the allowed shapes, matched ${p.passingSchemas ? "more than one" : "0"}`;
    default:
      return `breaks the ${e.keyword} rule`;
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `/body/0/view er` → `body[0]["view er"]`, walking the data so that array indexes and keys are told apart. */
function pathOf(pointer: string, data: unknown, extra: string | undefined): { path: string; value: unknown } {
  let path = "";
  let value = data;
  const segments = pointer === "" ? [] : pointer.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (extra !== undefined) segments.push(extra);
  for (const key of segments) {
    if (Array.isArray(value)) path += `[${key}]`;
    else path += IDENTIFIER.test(key) ? (path ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
    value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  }
  return { path: path || "(value)", value };
}

/**
 * The issues a compiled validator found in `data`, in order. A failed `anyOf`/`oneOf` is reported once, as itself:
 * what each rejected alternative disliked is noise to the caller.
 */
export function issuesOf(validator: CompiledValidator, data: unknown): Issue[] {
  if (validator(data)) return [];
  const errors = validator.errors ?? [];
  const alternatives = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf").map((e) => e.schemaPath.slice(0, -e.keyword.length));
  const issues: Issue[] = [];
  for (const e of errors) {
    // A bad key name is reported by the rule it broke (below, as "name ..."); Ajv's summary error adds nothing.
    if (e.keyword === "propertyNames") continue;
    if (alternatives.some((prefix) => e.schemaPath.startsWith(prefix) && /^(any|one)Of\/\d/.test(e.schemaPath.slice(prefix.length)))) continue;
    const p = e.params as Record<string, unknown>;
    if (e.propertyName !== undefined) {
      const { path } = pathOf(e.instancePath, data, e.propertyName);
      issues.push({ path, rule: e.keyword, message: `name ${wording(e, e.propertyName, false)}` });
      continue;
    }
    const named = e.keyword === "required" ? p.missingProperty : e.keyword === "additionalProperties" ? p.additionalProperty : undefined;
    const { path, value } = pathOf(e.instancePath, data, named as string | undefined);
    issues.push({ path, rule: e.keyword, message: wording(e, value, e.instancePath === "") });
  }
  return issues;
}
