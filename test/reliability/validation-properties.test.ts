// Validation that knows the answer. For every operation of every provider, on the client-view schemas the
// generator compiles (scripts/lib: the same Redocly bundle and call schema):
// - the compiled validators (generated/, what the client runs), Ajv interpreting the same schemas, and an
//   independent JSON-Schema implementation (@cfworker/json-schema) agree on random input (fast-check);
// - the client throws ValidationError exactly for the input the independent validator refuses, before anything
//   is sent, and sends the rest;
// - every single-rule violation of a valid call, and every undeclared key (Object.prototype names included)
//   where the spec closes an object, is refused naming that field and rule.
import { Validator } from "@cfworker/json-schema";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { validators as arctosValidators } from "../../generated/arctos.validators.js";
import { validators as flipflopValidators } from "../../generated/flipflop.validators.js";
import { validators as polyvValidators } from "../../generated/polyv.validators.js";
import { validators as soopValidators } from "../../generated/soop.validators.js";
import type { CallInit } from "../../src/core/client.js";
import type { OperationMeta } from "../../src/core/operation.js";
import { callInput } from "../../src/core/validate-call.js";
import type { ValidatorIndex } from "../../src/core/validate.js";
import { ValidationError } from "../../src/index.js";
import { collectError, collectedErrors, leaks } from "../helpers/collect-errors.js";
import { allSecrets, KITS, responderFetch, SECRETS, type Kit } from "../helpers/providers.js";
import { BUILTIN_KEYS, objectValueFor, undeclaredKey, valueFor, withKeys, type JsonSchema } from "../helpers/schema-arbitrary.js";
// @ts-expect-error plain ESM helpers shared with the scripts
import { clientView } from "../../scripts/lib/client-view.mjs";
// @ts-expect-error plain ESM helpers shared with the scripts
import { buildOperationIndex } from "../../scripts/lib/operation-index.mjs";
// @ts-expect-error plain ESM helpers shared with the scripts
import { loadSpec, providers } from "../../scripts/lib/registry.mjs";
// @ts-expect-error plain ESM helpers shared with the scripts
import { createAjv } from "../../scripts/lib/validators.mjs";

const COMPILED: Record<string, ValidatorIndex> = { flipflop: flipflopValidators, polyv: polyvValidators, soop: soopValidators, arctos: arctosValidators };
const RUNS = 150;
const CLIENT_RUNS = 60;

/** operationId → the call schema generate compiled, per provider (read through the generator's own pipeline). */
const calls: Record<string, Record<string, JsonSchema>> = {};
beforeAll(async () => {
  await Promise.all(
    providers().map(async (p: { name: string; specPath: string }) => {
      calls[p.name] = buildOperationIndex(loadSpec(p.specPath), await clientView(p)).calls;
    }),
  );
}, 120_000);

// Operations whose SDK method takes validated input (SOOP getAuthCode is a redirect probe with no input).
const cases = KITS.flatMap((kit) =>
  Object.keys(kit.operations)
    .filter((id) => !(kit.name === "soop" && id === "getAuthCode"))
    .map((id) => [`${kit.name}.${id}`, kit, id] as const),
);

const interpreted = new Map<string, (data: unknown) => boolean>();
function interpret(provider: string, id: string): (data: unknown) => boolean {
  const key = `${provider}.${id}`;
  let v = interpreted.get(key);
  if (!v) interpreted.set(key, (v = createAjv([calls[provider]![id]]).compile(calls[provider]![id])));
  return v!;
}
const independent = (schema: JsonSchema) => {
  const validator = new Validator(schema as never, "2020-12", false);
  return (data: unknown) => validator.validate(data).valid;
};

/** The init a call input stands for: `{ path, query, header }` go under `params`. */
function initOf(input: Record<string, unknown>): CallInit {
  const { path, query, header, body } = input;
  const params: Record<string, unknown> = {};
  if (path !== undefined) params.path = path;
  if (query !== undefined) params.query = query;
  if (header !== undefined) params.header = header;
  return { params: params as CallInit["params"], ...(body !== undefined ? { body } : {}) };
}

/**
 * What the validator sees for `init`, after the one default a factory fills in before validation (Polyv's
 * `userId` for a path that has it, from the factory's `userId`, see createPolyvClient's `prepare`).
 */
function seen(kit: Kit, meta: OperationMeta, init: CallInit): Record<string, unknown> {
  const path = init.params?.path;
  if (kit.name === "polyv" && meta.params.path?.properties?.userId && (path === undefined || (typeof path === "object" && path !== null && !Array.isArray(path) && (path as Record<string, unknown>).userId === undefined))) {
    init = { ...init, params: { ...init.params, path: { ...(path as object), userId: SECRETS.polyv.userId } } };
  }
  return callInput(meta, init);
}

async function run(kit: Kit, id: string, init: CallInit): Promise<{ error: unknown; sent: number }> {
  const fetch = responderFetch(kit.responder());
  const client = kit.make({ fetch, retry: false }) as Record<string, (init: CallInit) => Promise<unknown>>;
  try {
    await client[id]!(init);
    return { error: undefined, sent: fetch.calls.length };
  } catch (error) {
    return { error: collectError(`validation ${kit.name}.${id}`, error), sent: fetch.calls.length };
  }
}

/** A known valid call input (the kit's smallest valid call) and a known invalid one (plus a header location). */
async function known(kit: Kit, id: string): Promise<Record<string, unknown>[]> {
  const valid = seen(kit, kit.operations[id]!, await validInit(kit, id));
  return [valid, { ...valid, header: { undeclared: "x" } }];
}

/**
 * The init each kit's smallest valid call passes to operation `id`, captured by calling it on a stand-in client (a
 * call that first asks for a code gets one from the stand-in).
 */
async function validInit(kit: Kit, id: string): Promise<CallInit> {
  let captured: CallInit = {};
  const answer = { code: "stand-in-code", info: { code: "stand-in-code" } };
  const standIn = new Proxy({}, { get: (_, name) => (init?: CallInit) => (name === id && (captured = init ?? {}), Promise.resolve(answer)) });
  await kit.calls[id]!.call(standIn);
  return captured;
}

describe.each(cases)("%s", (_label, kit, id) => {
  const meta = kit.operations[id]!;

  it("compiled validator, Ajv interpreting the same schema and an independent validator agree (fast-check)", async () => {
    const examples = (await known(kit, id)).map((input) => [input] as [unknown]);
    const schema = calls[kit.name]![id]!;
    const compiled = COMPILED[kit.name]![id]!;
    const ajv = interpret(kit.name, id);
    const other = independent(schema);
    let valid = 0;
    fc.assert(
      fc.property(valueFor(schema), (input) => {
        const verdict = compiled(input);
        expect(ajv(input)).toBe(verdict);
        expect(other(input)).toBe(verdict);
        if (verdict) valid++;
      }),
      { numRuns: RUNS, examples },
    );
    // The generator reaches both sides of the line.
    expect(valid).toBeGreaterThan(0);
    expect(valid).toBeLessThan(RUNS);
  });

  it("the client refuses exactly what the independent validator refuses, before sending; the rest is sent (fast-check)", async () => {
    const examples = (await known(kit, id)).map((input) => [input] as [Record<string, unknown>]);
    const other = independent(calls[kit.name]![id]!);
    const seenOutcomes = { refused: 0, sent: 0 };
    await fc.assert(
      // A call's keys are the locations: undeclared ones are locations the operation does not take.
      fc.asyncProperty(objectValueFor(calls[kit.name]![id]!, fc.constantFrom("path", "query", "header", "body")), async (input) => {
        const init = initOf(input);
        const expectedValid = other(seen(kit, meta, init));
        const { error, sent } = await run(kit, id, init);
        if (expectedValid) {
          expect(error, `refused valid input ${JSON.stringify(input)}`).not.toBeInstanceOf(ValidationError);
          expect(sent).toBeGreaterThan(0);
          seenOutcomes.sent++;
        } else {
          expect(error, `accepted invalid input ${JSON.stringify(input)}`).toBeInstanceOf(ValidationError);
          expect((error as ValidationError).issues.length).toBeGreaterThan(0);
          expect(sent).toBe(0);
          seenOutcomes.refused++;
        }
      }),
      // Besides the random calls, always the kit's valid one and that one with a location it does not take.
      { numRuns: CLIENT_RUNS, examples },
    );
    expect(seenOutcomes.sent).toBeGreaterThan(0);
    expect(seenOutcomes.refused).toBeGreaterThan(0);
  });

  it("every single-rule violation of a valid call is refused naming that field and rule, nothing sent", async () => {
    const base = seen(kit, meta, await validInit(kit, id));
    const schema = calls[kit.name]![id]!;
    expect(independent(schema)(base), "the kit's valid call").toBe(true);
    const list = [...violations(schema, base)];
    for (const v of list) {
      expect(independent(schema)(v.input), `${v.label} is a violation`).toBe(false);
      const { error, sent } = await run(kit, id, initOf(v.input));
      if (independent(schema)(seen(kit, meta, initOf(v.input)))) {
        // A default the factory fills in before validation repaired it (Polyv's userId): then it is sent.
        expect(error, v.label).not.toBeInstanceOf(ValidationError);
        expect(sent, v.label).toBeGreaterThan(0);
        continue;
      }
      expect(error, v.label).toBeInstanceOf(ValidationError);
      const issues = (error as ValidationError).issues;
      const named = issues.some((i) => (i.path === v.path && i.rule === v.rule) || (v.within !== undefined && i.path.startsWith(v.within.path) && i.rule === v.within.rule));
      expect(named, `${v.label}: ${JSON.stringify(issues)}`).toBe(true);
      expect(sent, v.label).toBe(0);
    }
    // Every operation with input has rules to break; one without input at least refuses undeclared locations.
    expect(list.length).toBeGreaterThan(0);
  });

  it("undeclared keys, Object.prototype names included, are refused where the spec closes the object, kept where it is open (fast-check)", async () => {
    const base = seen(kit, meta, await validInit(kit, id));
    const schema = calls[kit.name]![id]!;
    const places = objectsOf(schema, base);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...places), undeclaredKey, async (place, key) => {
        fc.pre(!place.declared.includes(key));
        const input = setAt(base, place.at, withKeys(getAt(base, place.at) ?? {}, { [key]: "x" }));
        const { error, sent } = await run(kit, id, initOf(input));
        if (place.closed) {
          expect(error).toBeInstanceOf(ValidationError);
          // In a location the operation has no parameters in, the location itself is what is refused.
          const path = place.declared.length || place.at.length > 1 || schema.properties?.[place.at[0]!] ? pathText([...place.at, key], input) : String(place.at[0]);
          expect((error as ValidationError).issues).toContainEqual(expect.objectContaining({ path, rule: "additionalProperties" }));
          expect(sent).toBe(0);
        } else {
          expect(error).not.toBeInstanceOf(ValidationError);
          expect(sent).toBeGreaterThan(0);
        }
      }),
      { numRuns: 40, examples: places.flatMap((p) => BUILTIN_KEYS.filter((k) => !p.declared.includes(k)).map((k) => [p, k] as [typeof p, string])) },
    );
  });
});

describe("validation properties: secrets", () => {
  it("no error of these calls shows a secret", () => {
    expect(collectedErrors().length).toBeGreaterThan(0);
    expect(leaks(allSecrets())).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Single-rule violations, derived from the schema and a valid input

type Key = string | number;

interface Violation {
  label: string;
  input: Record<string, unknown>;
  /** The issue that must be reported: its path as the client writes it, and its rule. */
  path: string;
  rule: string;
  /** Inside an anyOf/oneOf alternative, the failed alternatives are reported as that rule at the parent instead. */
  within?: { path: string; rule: string };
}

const clone = <T>(value: T): T => (value === undefined ? value : structuredClone(value));

function getAt(root: unknown, at: Key[]): any {
  return at.reduce<any>((node, key) => (node !== null && typeof node === "object" ? node[key] : undefined), root);
}

/** A copy of `root` with `value` at `at` (missing objects created on the way; undefined deletes the key). */
function setAt(root: Record<string, unknown>, at: Key[], value: unknown): Record<string, unknown> {
  const out = clone(root);
  let node: any = out;
  at.slice(0, -1).forEach((key, i) => {
    if (node[key] === null || typeof node[key] !== "object") node[key] = typeof at[i + 1] === "number" ? [] : {};
    node = node[key];
  });
  const last = at[at.length - 1]!;
  if (value === undefined) delete node[last];
  else Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

/** How the client writes a path (src/core/validate.ts): `body[0].viewerId`, `body["a b"]`. */
function pathText(at: Key[], root: unknown): string {
  let out = "";
  let node: any = root;
  for (const key of at) {
    if (Array.isArray(node)) out += `[${key}]`;
    else out += /^[A-Za-z_$][\w$]*$/.test(String(key)) ? (out ? `.${key}` : String(key)) : `[${JSON.stringify(String(key))}]`;
    node = node !== null && typeof node === "object" ? node[key] : undefined;
  }
  return out;
}

const WRONG_TYPES: [string, unknown][] = [["boolean", true], ["object", { x: 1 }], ["array", [1]], ["string", "x"], ["number", 1.5], ["null", null]];
const matchesType = (types: string[], value: unknown) =>
  types.some((t) =>
    t === "integer" ? Number.isInteger(value) : t === "number" ? typeof value === "number" : t === "array" ? Array.isArray(value) : t === "null" ? value === null : t === "object" ? value !== null && typeof value === "object" && !Array.isArray(value) : typeof value === t,
  );

function* violations(schema: JsonSchema, base: Record<string, unknown>): Generator<Violation> {
  yield* walk(schema, base, [], undefined);
}

function* walk(s: JsonSchema, root: Record<string, unknown>, at: Key[], within: Violation["within"]): Generator<Violation> {
  const here = getAt(root, at);
  const mk = (rule: string, input: Record<string, unknown>, target: Key[] = at): Violation => ({
    label: `${pathText(target, input) || "(call)"} ${rule}`,
    input,
    path: pathText(target, input),
    rule,
    within,
  });
  const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.length) {
    const wrong = WRONG_TYPES.find(([, v]) => !matchesType(types, v) && !(s.enum ?? []).some((e: unknown) => JSON.stringify(e) === JSON.stringify(v)));
    if (wrong && at.length > 0) yield mk("type", setAt(root, at, wrong[1]));
  }
  if (s.enum) {
    const candidate = types.includes("string") || !types.length ? "__not_an_option__" : 987654;
    if (!s.enum.includes(candidate)) yield mk("enum", setAt(root, at, candidate));
  }
  if (s.const !== undefined) yield mk("const", setAt(root, at, typeof s.const === "string" ? `${s.const}_other` : 987654));
  if (s.maxLength !== undefined) yield mk("maxLength", setAt(root, at, "7".repeat(s.maxLength + 1)));
  if (s.minLength) yield mk("minLength", setAt(root, at, "7".repeat(s.minLength - 1)));
  if (s.pattern) {
    const re = new RegExp(s.pattern, "u");
    const bad = ["", " ", "!", "a b", "\u0000", "7".repeat(40), "x"].find((c) => !re.test(c) && c.length <= (s.maxLength ?? Infinity) && c.length >= (s.minLength ?? 0));
    if (bad !== undefined) yield mk("pattern", setAt(root, at, bad));
  }
  if (s.format === "uri") yield mk("format", setAt(root, at, "not a uri"));
  const step = types.includes("integer") ? 1 : 0.5;
  if (s.minimum !== undefined) yield mk("minimum", setAt(root, at, s.minimum - step));
  if (s.maximum !== undefined) yield mk("maximum", setAt(root, at, s.maximum + step));
  if (s.exclusiveMinimum !== undefined) yield mk("exclusiveMinimum", setAt(root, at, s.exclusiveMinimum));
  if (s.exclusiveMaximum !== undefined) yield mk("exclusiveMaximum", setAt(root, at, s.exclusiveMaximum));
  if (Array.isArray(here) || types.includes("array")) {
    const items: unknown[] = Array.isArray(here) ? here : [];
    if (s.minItems) yield mk("minItems", setAt(root, at, items.slice(0, s.minItems - 1)));
    if (s.maxItems !== undefined && items.length) yield mk("maxItems", setAt(root, at, Array.from({ length: s.maxItems + 1 }, (_, i) => clone(items[i % items.length]))));
    if (s.uniqueItems && items.length) yield mk("uniqueItems", setAt(root, at, [clone(items[0]), clone(items[0])]));
    if (s.items && items.length) yield* walk(s.items, root, [...at, 0], within);
  }
  if (s.properties || s.required) {
    const object = here !== null && typeof here === "object" && !Array.isArray(here) ? here : {};
    for (const name of s.required ?? []) if (object[name] !== undefined) yield mk("required", setAt(root, [...at, name], undefined), [...at, name]);
    if (s.additionalProperties === false && at.length === 0) {
      // The call itself: a location (or a body) the operation does not take.
      for (const location of ["path", "query", "header", "body"].filter((l) => !s.properties?.[l])) {
        yield mk("additionalProperties", setAt(root, [location], { undeclared_field: "x" }), [location]);
      }
    } else if (s.additionalProperties === false) {
      yield mk("additionalProperties", setAt(root, at, withKeys(object, { undeclared_field: "x" })), [...at, "undeclared_field"]);
    }
    for (const [name, sub] of Object.entries<JsonSchema>(s.properties ?? {})) yield* walk(sub, root, [...at, name], within);
  }
  for (const rule of ["anyOf", "oneOf"] as const) {
    for (const branch of s[rule] ?? []) {
      // Breaking a rule that only an alternative has is reported as the failed alternatives, at this path.
      const only = { ...branch, properties: Object.fromEntries(Object.entries<JsonSchema>(branch.properties ?? {}).filter(([n]) => !s.properties?.[n])) };
      yield* walk(only, root, at, within ?? { path: pathText(at, root), rule });
    }
  }
}

/**
 * Every object of the call a caller fills: the locations the operation takes (and those it does not, which are
 * closed), and the objects inside them, each with whether the spec closes it and the names it declares.
 */
function objectsOf(schema: JsonSchema, base: Record<string, unknown>): { at: Key[]; declared: string[]; closed: boolean }[] {
  const out: { at: Key[]; declared: string[]; closed: boolean }[] = [];
  const visit = (s: JsonSchema, at: Key[]) => {
    out.push({ at, declared: Object.keys(s.properties ?? {}), closed: s.additionalProperties === false });
    for (const [name, sub] of Object.entries<JsonSchema>(s.properties ?? {})) {
      const value = getAt(base, [...at, name]);
      if (value !== null && typeof value === "object" && !Array.isArray(value)) visit(sub, [...at, name]);
      else if (Array.isArray(value) && value.length && value[0] !== null && typeof value[0] === "object" && sub.items) visit(sub.items, [...at, name, 0]);
    }
  };
  for (const location of ["path", "query", "header", "body"]) {
    const sub = schema.properties?.[location];
    const value = getAt(base, [location]);
    if (!sub) {
      if (location !== "body" || value === undefined) out.push({ at: [location], declared: [], closed: true });
    } else if (value !== null && typeof value === "object" && !Array.isArray(value)) visit(sub, [location]);
    else if (Array.isArray(value) && value.length && sub.items) visit(sub.items, [location, 0]);
  }
  return out;
}
