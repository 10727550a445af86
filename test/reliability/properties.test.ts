// Property-based tests (fast-check) of Polyv's request signature. (Validation under random input:
// validation-properties.test.ts.)
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


