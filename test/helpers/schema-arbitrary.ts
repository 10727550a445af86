// fast-check arbitraries driven by a JSON schema: values that are mostly of the schema's shape (so both valid and
// invalid input is common), with values at and just past every bound, strings from its patterns, and keys it does
// not declare — `Object.prototype` member names among them.
import fc from "fast-check";

export type JsonSchema = { readonly [keyword: string]: any };

/** Keys every plain object inherits a member of: a validator must treat them as data. */
export const BUILTIN_KEYS = [
  "constructor", "toString", "valueOf", "hasOwnProperty", "__proto__", "isPrototypeOf", "propertyIsEnumerable",
  "toLocaleString", "__defineGetter__", "__lookupSetter__",
] as const;

/** JSON values only: JSON Schema speaks of JSON data (NaN and undefined are tested on their own elsewhere). */
export const anyJson = fc.jsonValue({ maxDepth: 2 });

export const undeclaredKey = fc.oneof(fc.constantFrom(...BUILTIN_KEYS), fc.string({ minLength: 1, maxLength: 8 }));

/** `target` plus `extra`'s keys as own data properties (an assignment of `__proto__` would set the prototype). */
export function withKeys(target: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out = { ...target };
  for (const [k, v] of Object.entries(extra)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

const typesOf = (s: JsonSchema): string[] => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);

/**
 * `careful`: values meant to be valid (in bounds, required keys present, nothing undeclared); otherwise values
 * at and just past every bound, required keys dropped, undeclared keys added and, now and then, any JSON value.
 */
function typed(type: string, s: JsonSchema, depth: number, careful: boolean): fc.Arbitrary<unknown> {
  const off = careful ? 0 : 1;
  switch (type) {
    case "string": {
      const options: fc.Arbitrary<unknown>[] = [];
      if (s.pattern) options.push(fc.stringMatching(new RegExp(s.pattern, "u")));
      if (s.format === "uri") options.push(fc.webUrl({ withQueryParameters: true, withFragments: true }));
      if (!careful || !options.length) {
        options.push(fc.string({ minLength: Math.max(0, (s.minLength ?? 0) - off), maxLength: (s.maxLength ?? 12) + off }));
      }
      return fc.oneof(...options);
    }
    case "integer":
      return fc.integer({ min: (s.minimum ?? -1000) - off, max: (s.maximum ?? 1000) + off });
    case "number":
      return fc.double({ min: (s.minimum ?? -1000) - off, max: (s.maximum ?? 1000) + off, noNaN: true, noDefaultInfinity: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array": {
      const item = s.items ? shapedBy(s.items, depth + 1, careful) : anyJson;
      return fc.array(item, { minLength: Math.max(0, (s.minItems ?? 0) - off), maxLength: (s.maxItems ?? 3) + off });
    }
    case "object":
      return objectFor(s, depth, careful);
    default:
      return anyJson;
  }
}

function objectFor(s: JsonSchema, depth: number, careful: boolean, keys: fc.Arbitrary<string> = undeclaredKey): fc.Arbitrary<Record<string, unknown>> {
  const props: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, sub] of Object.entries<JsonSchema>(s.properties ?? {})) props[name] = shapedBy(sub, depth + 1, careful);
  const required: string[] = (s.required ?? []).filter((n: string) => n in props);
  const base = fc.record(props, { requiredKeys: required }) as fc.Arbitrary<Record<string, unknown>>;
  if (careful) return base;
  const drop = required.length ? fc.option(fc.constantFrom(...required), { freq: 6 }) : fc.constant(null);
  const extra = fc.option(fc.dictionary(keys, anyJson, { minKeys: 1, maxKeys: 2 }), { freq: 4 });
  return fc.tuple(base, drop, extra).map(([value, dropped, added]) => {
    const out: Record<string, unknown> = { ...value };
    if (dropped) delete out[dropped];
    return added ? withKeys(out, added) : out;
  });
}

function shapedBy(s: JsonSchema, depth: number, careful: boolean): fc.Arbitrary<unknown> {
  const shaped: fc.Arbitrary<unknown>[] = [];
  if (s.const !== undefined) shaped.push(fc.constant(s.const));
  if (s.enum) shaped.push(fc.constantFrom(...s.enum));
  for (const branch of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) {
    const { anyOf: _a, oneOf: _o, ...rest } = s;
    shaped.push(shapedBy({ ...rest, ...branch, properties: { ...rest.properties, ...branch.properties }, required: [...(rest.required ?? []), ...(branch.required ?? [])] }, depth, careful));
  }
  // Under enum/const/alternatives, the values they name are the careful ones.
  if (!careful || !shaped.length) for (const type of typesOf(s)) shaped.push(typed(type, s, depth, careful));
  if (!shaped.length) shaped.push(anyJson);
  if (careful || depth > 3) return fc.oneof(...shaped);
  return fc.oneof({ weight: 9, arbitrary: fc.oneof(...shaped) }, { weight: 1, arbitrary: anyJson });
}

/** Values for `s`: half meant to be valid, half at or past its bounds (and now and then any JSON value). */
export function valueFor(s: JsonSchema): fc.Arbitrary<unknown> {
  return fc.oneof(shapedBy(s, 0, true), shapedBy(s, 0, false));
}

/** The same for an object schema, always an object at the top, whose undeclared keys come from `keys`. */
export function objectValueFor(s: JsonSchema, keys?: fc.Arbitrary<string>): fc.Arbitrary<Record<string, unknown>> {
  return fc.oneof(objectFor(s, 0, true), objectFor(s, 0, false, keys));
}
