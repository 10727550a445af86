// Property-based tests (fast-check): Polyv's request signature, and input validation of every named operation
// of every provider under random input.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { OperationMeta } from "../../src/core/operation.js";
import type { Schema } from "../../src/core/operation.js";
import { ProviderError, TransportError, ValidationError } from "../../src/index.js";
import { signPolyvParams, type PolyvParamValue } from "../../src/polyv/index.js";
import { collectError, collectedErrors, leaks } from "../helpers/collect-errors.js";
import { allSecrets, KITS, responderFetch, type Kit } from "../helpers/providers.js";

const RUNS = 200;
/** Per operation: 29 operations × 100 random calls. */
const VALIDATION_RUNS = 100;

// ---------------------------------------------------------------------------------------------------------------
// signPolyvParams

const SECRET = "pv-app-secret-83b0+k/2=";
const methods = fc.constantFrom("MD5" as const, "SHA256" as const);
/** Parameter names: anything but `sign` (never signed) and `__proto__` (not an own property of a plain object). */
const name = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => k !== "sign" && k !== "__proto__");
const blankChars = [" ", "\t", "\n", "\r", "\u000b", "\f", "\u001c", "\u001d", "\u001e", "\u001f", "\u00a0", "\u3000"];
const blank = fc.oneof(fc.constant(null), fc.constant(undefined), fc.string({ unit: fc.constantFrom(...blankChars), maxLength: 4 }));
const nonBlank: fc.Arbitrary<PolyvParamValue> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !/^[\s\u001c-\u001f]*$/u.test(s)),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
);
const params = fc.dictionary(name, nonBlank, { maxKeys: 8 });
const hex = (method: "MD5" | "SHA256") => (method === "MD5" ? /^[0-9A-F]{32}$/ : /^[0-9A-F]{64}$/);

/** The same entries in another order. */
function reorder(p: Record<string, PolyvParamValue>, order: number[]): Record<string, PolyvParamValue> {
  const entries = Object.entries(p);
  const keyed = entries.map((e, i) => [order[i % Math.max(order.length, 1)] ?? i, e] as const).sort((a, b) => a[0] - b[0]);
  return Object.fromEntries(keyed.map(([, e]) => e));
}

describe("signPolyvParams (fast-check)", () => {
  it("is deterministic, and is uppercase hex of the method's length", () => {
    fc.assert(
      fc.property(params, methods, (p, m) => {
        const a = signPolyvParams(p, SECRET, m);
        expect(signPolyvParams({ ...p }, SECRET, m)).toBe(a);
        expect(a).toMatch(hex(m));
      }),
      { numRuns: RUNS },
    );
  });

  it("does not depend on the order in which the keys were inserted", () => {
    fc.assert(
      fc.property(params, fc.array(fc.integer(), { minLength: 1, maxLength: 8 }), methods, (p, order, m) => {
        expect(signPolyvParams(reorder(p, order), SECRET, m)).toBe(signPolyvParams(p, SECRET, m));
        const reversed = Object.fromEntries(Object.entries(p).reverse());
        expect(signPolyvParams(reversed, SECRET, m)).toBe(signPolyvParams(p, SECRET, m));
      }),
      { numRuns: RUNS },
    );
  });

  it("blank values (null, undefined, empty, whitespace only) change nothing: adding one is like leaving it out", () => {
    fc.assert(
      fc.property(params, fc.dictionary(name, blank, { minKeys: 1, maxKeys: 4 }), methods, (p, blanks, m) => {
        const extra = Object.fromEntries(Object.entries(blanks).filter(([k]) => !(k in p)));
        expect(signPolyvParams({ ...p, ...extra }, SECRET, m)).toBe(signPolyvParams(p, SECRET, m));
        // Blanking an existing value is the same as removing the key.
        for (const k of Object.keys(p)) {
          const { [k]: _gone, ...without } = p;
          expect(signPolyvParams({ ...p, [k]: "  " }, SECRET, m)).toBe(signPolyvParams(without, SECRET, m));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("any change of a non-blank value (as the text it travels as) changes the signature", () => {
    fc.assert(
      fc.property(params.filter((p) => Object.keys(p).length > 0), fc.nat(), nonBlank, methods, (p, pick, value, m) => {
        const keys = Object.keys(p);
        const k = keys[pick % keys.length]!;
        fc.pre(String(value) !== String(p[k]));
        expect(signPolyvParams({ ...p, [k]: value }, SECRET, m)).not.toBe(signPolyvParams(p, SECRET, m));
      }),
      { numRuns: RUNS },
    );
  });

  it("adding a non-blank parameter, or changing the secret, changes the signature; a `sign` parameter is ignored", () => {
    fc.assert(
      fc.property(params, name, nonBlank, fc.string({ minLength: 1 }), methods, (p, k, value, other, m) => {
        fc.pre(!(k in p));
        const base = signPolyvParams(p, SECRET, m);
        expect(signPolyvParams({ ...p, [k]: value }, SECRET, m)).not.toBe(base);
        fc.pre(other !== SECRET);
        expect(signPolyvParams(p, other, m)).not.toBe(base);
        expect(signPolyvParams({ ...p, sign: "ANYTHING" }, SECRET, m)).toBe(base);
      }),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Validation of every named operation under random input

/** The init each kit's smallest valid call passes, captured by calling it on a recording stand-in client. */
function validInit(kit: Kit, id: string): Record<string, any> {
  let captured: Record<string, any> = {};
  const standIn = new Proxy({}, { get: () => (init?: Record<string, any>) => ((captured = init ?? {}), Promise.resolve()) });
  void kit.calls[id]!.call(standIn);
  return captured;
}

const json = fc.anything({ maxDepth: 3, maxKeys: 5, withBigInt: false, withMap: false, withSet: false, withTypedArray: false, withDate: false });

/** `base` with one field (or nothing) replaced by anything. */
function mutated(base: unknown): fc.Arbitrary<unknown> {
  if (base === null || typeof base !== "object") return fc.oneof(fc.constant(base), json);
  const keys = Object.keys(base);
  return fc.oneof(
    fc.constant(base),
    json,
    fc.record({ key: keys.length ? fc.oneof(fc.constantFrom(...keys), fc.string()) : fc.string(), value: json }).map(({ key, value }) =>
      Array.isArray(base) ? base.map((item, i) => (i === 0 && item && typeof item === "object" ? { ...item, [key]: value } : item)) : { ...(base as object), [key]: value },
    ),
  );
}

/**
 * Random input in the operation's shape: params only in the locations the spec declares and only under the names
 * it declares (none declares header params), a body only where the spec has one. A params object is the valid
 * one, each declared name with the valid value or anything, or not an object at all; a body is the valid one,
 * anything, or the valid one with one field replaced by anything. (Input outside that shape is in the report:
 * "undeclared params or body".)
 */
function randomParams(schema: Schema | undefined, valid: Record<string, unknown> = {}): fc.Arbitrary<unknown> | undefined {
  if (!schema) return undefined;
  const names = Object.keys(schema.properties ?? {});
  const fields = Object.fromEntries(names.map((n) => [n, fc.oneof(fc.constant(valid[n]), json)]));
  return fc.oneof(fc.constant(valid), fc.record(fields, { requiredKeys: [] }), fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(json, { maxLength: 3 })));
}

function randomInit(meta: OperationMeta, valid: Record<string, any>): fc.Arbitrary<Record<string, unknown>> {
  const params: Record<string, fc.Arbitrary<unknown>> = {};
  const path = randomParams(meta.params.path, valid.params?.path);
  const query = randomParams(meta.params.query, valid.params?.query);
  if (path) params.path = path;
  if (query) params.query = query;
  const parts: Record<string, fc.Arbitrary<unknown>> = { params: fc.record(params, { requiredKeys: [] }) };
  if (meta.body) parts.body = mutated(valid.body);
  return fc.record(parts, { requiredKeys: [] });
}

const cases = KITS.flatMap((kit) => Object.keys(kit.calls).map((id) => [`${kit.name}.${id}`, kit, id] as const));

describe("validation under random input (fast-check)", () => {
  it.each(cases)("%s: a ValidationError before anything is sent, or an answer (or ProviderError/TransportError) after", async (_label, kit, id) => {
    const valid = validInit(kit, id);
    const meta = kit.operations[id]!;
    const outcomes = { resolved: 0, invalid: 0, provider: 0, transport: 0 };
    await fc.assert(
      fc.asyncProperty(randomInit(meta, valid), async (init) => {
        const fetch = responderFetch(kit.responder());
        const client = kit.make({ fetch, retry: false });
        let error: unknown;
        try {
          await (client as Record<string, (i: unknown) => Promise<unknown>>)[id]!(init);
        } catch (err) {
          error = collectError(`fuzz ${kit.name}.${id}`, err);
        }
        if (error === undefined) {
          outcomes.resolved++;
          expect(fetch.calls.length).toBeGreaterThan(0);
        } else if (error instanceof ValidationError) {
          outcomes.invalid++;
          expect(fetch.calls, "a ValidationError is thrown before any request").toHaveLength(0);
          expect(error.issues.length).toBeGreaterThan(0);
        } else if (error instanceof ProviderError || error instanceof TransportError) {
          error instanceof ProviderError ? outcomes.provider++ : outcomes.transport++;
          expect(fetch.calls.length, `${String(error)} without a request`).toBeGreaterThan(0);
        } else {
          throw error;
        }
      }),
      { numRuns: VALIDATION_RUNS },
    );
    // Both branches were exercised: some random inputs pass validation, others do not (where there is any input).
    expect(outcomes.resolved + outcomes.provider + outcomes.transport).toBeGreaterThan(0);
    if (meta.body || meta.params.path || meta.params.query) expect(outcomes.invalid).toBeGreaterThan(0);
  });
});

describe("properties: secrets", () => {
  it("no error of the random calls shows a secret", () => {
    expect(collectedErrors().length).toBeGreaterThan(0);
    expect(leaks(allSecrets())).toEqual([]);
  });
});
