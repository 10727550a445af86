// The validators `npm run generate` compiles (Ajv standalone, bundled by esbuild) and the wording the client gives
// their findings. Schemas here go through the very same compiler as the specs' (scripts/lib/validators.mjs).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import vm from "node:vm";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { issuesOf, type CompiledError, type CompiledValidator, type ValidatorIndex } from "../../src/core/validate.js";
import { callInput } from "../../src/core/validate-call.js";
import type { OperationMeta } from "../../src/core/operation.js";
import { createPolyvClient } from "../../src/polyv/index.js";
import { createSoopClient } from "../../src/soop/index.js";
import { createFlipFlopClient } from "../../src/flipflop/index.js";
import { ValidationError } from "../../src/index.js";
import { json, recordingFetch } from "../helpers/fetch.js";
import { caught } from "../helpers/secrets.js";
import { root } from "../helpers/spec.js";
// @ts-expect-error plain ESM helper shared with the scripts
import { ajvRuntimeSource, compileValidators } from "../../scripts/lib/validators.mjs";
// @ts-expect-error plain ESM helper shared with the scripts
import { URI_PROBES } from "../../scripts/lib/formats.mjs";
import { fullFormats } from "ajv-formats/dist/formats.js";

mkdirSync(join(root, ".tmp"), { recursive: true });
const dir = mkdtempSync(join(root, ".tmp", "validators-"));
// The helpers every compiled module imports, beside them as generate writes them (generated/ajv-runtime.ts).
writeFileSync(join(dir, "ajv-runtime.js"), ajvRuntimeSource());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Compiles whole call schemas (name → schema of `{ path, query, header, body }`) the way generate does, and imports the module. */
async function compileCalls(calls: Record<string, object>): Promise<ValidatorIndex> {
  const file = join(dir, `v${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, await compileValidators({ validators: { schemas: calls } }));
  return ((await import(pathToFileURL(file).href)) as { validators: ValidatorIndex }).validators;
}

/** Compiles `schemas` (name → schema of the `body`) as the calls of operations with only a body. */
function compile(schemas: Record<string, object>): Promise<ValidatorIndex> {
  return compileCalls(Object.fromEntries(Object.entries(schemas).map(([id, body]) => [id, { type: "object", properties: { body }, additionalProperties: false }])));
}

const SCHEMAS = {
  integer: { type: "integer" },
  number: { type: "number" },
  union: { type: ["string", "integer"] },
  array: { type: "array" },
  object: { type: "object" },
  max2: { type: "string", maxLength: 2 },
  min1: { type: "string", minLength: 1 },
  pattern: { type: "string", pattern: "^[A-Za-z0-9]{6,}$" },
  uri: { type: "string", format: "uri" },
  range: { type: "integer", minimum: 1, maximum: 10 },
  exclusive: { type: "number", exclusiveMinimum: 0 },
  enum: { enum: [0, 19] },
  const: { const: "api" },
  objectEnum: { enum: [{ a: 1 }, [1, 2]] },
  objectConst: { const: { a: [1, { b: 2 }] } },
  unique: { type: "array", uniqueItems: true },
  nested: {
    type: "object",
    required: ["a", "b"],
    additionalProperties: false,
    properties: { a: { type: "string" }, b: { type: "object", maxProperties: 1, propertyNames: { type: "string", maxLength: 3 }, additionalProperties: { type: "string" } } },
  },
  items: { type: "array", minItems: 1, maxItems: 2, items: { type: "object", required: ["viewerId"], properties: { viewerId: { type: "string" } } } },
  oneOf: { oneOf: [{ type: "string" }, { type: "integer" }] },
  anyOf: { type: "string", anyOf: [{ maxLength: 1 }, { pattern: "^a" }] },
  allOf: { type: "string", allOf: [{ maxLength: 1 }, { pattern: "^a" }] },
  title: { type: "string", maxLength: 75 },
  strict: { type: "object", properties: { a: { type: "string" } }, required: ["a"], additionalProperties: false },
} as const;

let v: Record<keyof typeof SCHEMAS, CompiledValidator>;
beforeAll(async () => {
  v = (await compile(SCHEMAS)) as typeof v;
});
const rules = (name: keyof typeof SCHEMAS, value: unknown) => issuesOf(v[name], { body: value }).map((i) => `${i.path}:${i.rule}`);

describe("compiled validators", () => {
  it("check types, with integer as a kind of number and type lists", () => {
    expect(rules("integer", 1.5)).toEqual(["body:type"]);
    expect(rules("number", 2)).toEqual([]);
    expect(rules("union", 3)).toEqual([]);
    expect(rules("union", true)).toEqual(["body:type"]);
    expect(rules("array", {})).toEqual(["body:type"]);
    expect(rules("object", null)).toEqual(["body:type"]);
  });

  it("follow JSON Schema for NaN and the infinities: they are no JSON numbers", () => {
    for (const value of [NaN, Infinity, -Infinity]) {
      expect(rules("number", value)).toEqual(["body:type"]);
      expect(rules("integer", value)).toEqual(["body:type"]);
    }
    expect(issuesOf(v.number, { body: NaN })[0]!.message).toBe("must be number, got NaN");
  });

  it("count string length in characters, not UTF-16 units, and check patterns", () => {
    expect(rules("max2", "한국")).toEqual([]);
    expect(rules("max2", "😀😀")).toEqual([]);
    expect(rules("max2", "😀😀😀")).toEqual(["body:maxLength"]);
    expect(rules("min1", "")).toEqual(["body:minLength"]);
    expect(rules("pattern", "abc")).toEqual(["body:pattern"]);
  });

  it("check `format: uri` by RFC 3986: absolute, ASCII only, valid percent-escapes; any port digits", () => {
    expect(rules("uri", "https://example.com/x")).toEqual([]);
    expect(rules("uri", "http://127.0.0.1:99999/auth")).toEqual([]); // RFC 3986: port = *DIGIT
    expect(rules("uri", "urn:isbn:0451450523")).toEqual([]);
    expect(rules("uri", "http://a/%41")).toEqual([]);
    expect(rules("uri", "http://例え.jp/auth")).toEqual(["body:format"]); // an IRI, not a URI
    expect(rules("uri", "http://a/%zz")).toEqual(["body:format"]);
    expect(rules("uri", "/relative")).toEqual(["body:format"]);
    expect(rules("uri", "not a uri")).toEqual(["body:format"]);
  });

  it("check `format: uri` exactly as ajv-formats' own uri() does", () => {
    for (const probe of URI_PROBES as string[]) {
      expect([probe, rules("uri", probe).length === 0]).toEqual([probe, (fullFormats.uri as (s: string) => boolean)(probe)]);
    }
  });

  it("check numbers, enums and consts, with objects compared by value", () => {
    expect(rules("range", 15)).toEqual(["body:maximum"]);
    expect(rules("range", 0)).toEqual(["body:minimum"]);
    expect(rules("exclusive", 0)).toEqual(["body:exclusiveMinimum"]);
    expect(rules("enum", 18)).toEqual(["body:enum"]);
    expect(rules("const", "web")).toEqual(["body:const"]);
    expect(rules("objectEnum", { a: 1 })).toEqual([]);
    expect(rules("objectEnum", [1, 2])).toEqual([]);
    expect(rules("objectEnum", { a: 2 })).toEqual(["body:enum"]);
    expect(rules("objectEnum", [2, 1])).toEqual(["body:enum"]);
    expect(rules("objectConst", { a: [1, { b: 2 }] })).toEqual([]);
    expect(rules("objectConst", { a: [1, { b: 3 }] })).toEqual(["body:const"]);
  });

  it("check uniqueItems by value, objects and key order included", () => {
    expect(rules("unique", [1, "1", true])).toEqual([]);
    expect(rules("unique", [{ a: 1, b: 2 }, { b: 2, a: 1 }])).toEqual(["body:uniqueItems"]);
    expect(rules("unique", [[1], [1]])).toEqual(["body:uniqueItems"]);
    expect(rules("unique", [{ a: 1 }, { a: 2 }])).toEqual([]);
  });

  it("check objects: required, unknown fields, sizes and property names, with nested paths", () => {
    expect(rules("nested", { b: { long_name: 1, k: "v" }, c: 1 })).toEqual([
      "body.a:required",
      "body.c:additionalProperties",
      "body.b:maxProperties",
      "body.b.long_name:maxLength",
      "body.b.long_name:type",
    ]);
    expect(rules("nested", { a: "x", b: {} })).toEqual([]);
  });

  it("treat keys named like Object.prototype members as data: unknown and never inherited", () => {
    for (const key of ["constructor", "toString", "valueOf", "hasOwnProperty", "__proto__", "isPrototypeOf"]) {
      const value = JSON.parse(`{"a": "x", ${JSON.stringify(key)}: "1"}`);
      expect(rules("strict", value)).toEqual([`body.${key}:additionalProperties`]);
    }
    // `required` is not met by an inherited member either.
    const schema = v.strict;
    expect(issuesOf(schema, { body: Object.create({ a: "inherited" }) }).map((i) => i.rule)).toEqual(["required"]);
  });

  it("name the index of array items", () => {
    expect(rules("items", [])).toEqual(["body:minItems"]);
    expect(rules("items", [{ viewerId: "a" }, {}, {}])).toEqual(["body:maxItems", "body[1].viewerId:required", "body[2].viewerId:required"]);
  });

  it("report a failed oneOf/anyOf once, as itself, and every rule of an allOf", () => {
    expect(rules("oneOf", "x")).toEqual([]);
    expect(rules("oneOf", true)).toEqual(["body:oneOf"]);
    expect(rules("anyOf", "abc")).toEqual([]);
    expect(rules("anyOf", "bcd")).toEqual(["body:anyOf"]);
    expect(rules("allOf", "bc")).toEqual(["body:maxLength", "body:pattern"]);
  });

  it("show a function in an enum field by its source, cut like any long value", () => {
    const pick = () => "a value long enough to be cut after its fifty-seventh character, and then some";
    const [issue] = issuesOf(v.enum, { body: pick });
    const shown = String(pick).slice(0, 57);
    expect(issue).toEqual({ path: "body", rule: "enum", message: `must be one of 0, 19, got ${shown}...` });
  });

  it("say what is wrong in words", () => {
    const say = (name: keyof typeof SCHEMAS, value: unknown) => issuesOf(v[name], { body: value }).map((i) => i.message);
    expect(issuesOf(v.title, { body: "t".repeat(76) })).toEqual([{ path: "body", rule: "maxLength", message: "must be at most 75 characters, got 76" }]);
    expect(say("range", 15)).toEqual(["must be <= 10"]);
    expect(say("enum", 18)).toEqual(["must be one of 0, 19, got 18"]);
    expect(say("union", true)).toEqual(["must be string or integer, got boolean"]);
    expect(say("uri", "/x")).toEqual(["must be an absolute URI (RFC 3986)"]);
    expect(say("nested", { a: "x", b: { long_name: "v" }, c: 1 })).toEqual(["is not a known field", "name must be at most 3 characters, got 9"]);
    expect(say("oneOf", true)).toEqual(["must match exactly one of the allowed shapes, matched 0"]);
  });
});

// The wording is part of the public error (ValidationError.issues), so every keyword's message is pinned here,
// with the path it names: identifiers joined with dots, other keys quoted, array items by index.
describe("the issues, exactly: path, rule and message per keyword", () => {
  const x = (n: number) => "x".repeat(n);
  const cyclic = () => {
    const o: Record<string, unknown> = {};
    o.self = o;
    return o;
  };
  // [case, schema of the body (or of the whole call, see CALLS), input (the body), the issues]
  const BODY: [string, object, unknown, { path: string; rule: string; message: string }[]][] = [
    ["type: null", { type: "string" }, null, [{ path: "body", rule: "type", message: "must be string, got null" }]],
    ["type: array", { type: "string" }, [], [{ path: "body", rule: "type", message: "must be string, got array" }]],
    ["type: object", { type: "string" }, {}, [{ path: "body", rule: "type", message: "must be string, got object" }]],
    ["type: integer", { type: "string" }, 3, [{ path: "body", rule: "type", message: "must be string, got integer" }]],
    ["type: number", { type: "string" }, 1.5, [{ path: "body", rule: "type", message: "must be string, got number" }]],
    ["type: NaN", { type: "number" }, NaN, [{ path: "body", rule: "type", message: "must be number, got NaN" }]],
    ["type: Infinity", { type: "integer" }, Infinity, [{ path: "body", rule: "type", message: "must be integer, got Infinity" }]],
    ["type: -Infinity", { type: "number" }, -Infinity, [{ path: "body", rule: "type", message: "must be number, got -Infinity" }]],
    ["type: a list", { type: ["string", "integer"] }, true, [{ path: "body", rule: "type", message: "must be string or integer, got boolean" }]],
    ["required", { type: "object", required: ["a"], properties: { a: {} } }, {}, [{ path: "body.a", rule: "required", message: "is required" }]],
    ["additionalProperties, nested", { type: "object", properties: { a: {} }, additionalProperties: false }, { a: 1, b: 2 }, [{ path: "body.b", rule: "additionalProperties", message: "is not a known field" }]],
    ["const: a string", { const: "api" }, "web", [{ path: "body", rule: "const", message: 'must be "api"' }]],
    ["const: an object", { const: { a: [1, { b: 2 }] } }, {}, [{ path: "body", rule: "const", message: 'must be {"a":[1,{"b":2}]}' }]],
    ["enum: numbers", { enum: [0, 19] }, 18, [{ path: "body", rule: "enum", message: "must be one of 0, 19, got 18" }]],
    ["enum: strings", { enum: ["live", "vod"] }, "x", [{ path: "body", rule: "enum", message: 'must be one of "live", "vod", got "x"' }]],
    ["enum: Infinity", { enum: [0, 19] }, Infinity, [{ path: "body", rule: "enum", message: "must be one of 0, 19, got Infinity" }]],
    ["enum: NaN", { enum: [0, 19] }, NaN, [{ path: "body", rule: "enum", message: "must be one of 0, 19, got NaN" }]],
    // JSON cannot write a symbol: it is shown as JavaScript writes it.
    ["enum: a symbol", { enum: [0, 19] }, Symbol("s"), [{ path: "body", rule: "enum", message: "must be one of 0, 19, got Symbol(s)" }]],
    // Nor a BigInt or a cycle (JSON.stringify throws): then the kind of value is named.
    ["enum: a BigInt", { enum: [0, 19] }, 18n, [{ path: "body", rule: "enum", message: "must be one of 0, 19, got bigint" }]],
    ["enum: a cycle", { enum: [0, 19] }, cyclic(), [{ path: "body", rule: "enum", message: "must be one of 0, 19, got object" }]],
    // Shown values are cut after 57 characters of JSON when longer than 60; 60 are shown whole.
    ["enum: 61 characters of JSON", { enum: [0] }, x(59), [{ path: "body", rule: "enum", message: `must be one of 0, got "${x(56)}...` }]],
    ["enum: 60 characters of JSON", { enum: [0] }, x(58), [{ path: "body", rule: "enum", message: `must be one of 0, got "${x(58)}"` }]],
    ["enum: a long allowed value", { enum: [x(70), "a"] }, "b", [{ path: "body", rule: "enum", message: `must be one of "${x(56)}..., "a", got "b"` }]],
    ["minLength", { type: "string", minLength: 2 }, "😀", [{ path: "body", rule: "minLength", message: "must be at least 2 characters, got 1" }]],
    ["maxLength", { type: "string", maxLength: 2 }, "😀😀😀", [{ path: "body", rule: "maxLength", message: "must be at most 2 characters, got 3" }]],
    ["pattern", { type: "string", pattern: "^[a-z]+$" }, "A", [{ path: "body", rule: "pattern", message: "must match ^[a-z]+$" }]],
    ["format: uri", { type: "string", format: "uri" }, "/x", [{ path: "body", rule: "format", message: "must be an absolute URI (RFC 3986)" }]],
    ["minimum", { type: "number", minimum: 1 }, 0, [{ path: "body", rule: "minimum", message: "must be >= 1" }]],
    ["maximum", { type: "number", maximum: 10 }, 11, [{ path: "body", rule: "maximum", message: "must be <= 10" }]],
    ["exclusiveMinimum", { type: "number", exclusiveMinimum: 0 }, 0, [{ path: "body", rule: "exclusiveMinimum", message: "must be > 0" }]],
    ["exclusiveMaximum", { type: "number", exclusiveMaximum: 5 }, 5, [{ path: "body", rule: "exclusiveMaximum", message: "must be < 5" }]],
    ["multipleOf", { type: "number", multipleOf: 5 }, 7, [{ path: "body", rule: "multipleOf", message: "must be a multiple of 5" }]],
    ["minItems", { type: "array", minItems: 2 }, [1], [{ path: "body", rule: "minItems", message: "must have at least 2 items, got 1" }]],
    ["maxItems", { type: "array", maxItems: 2 }, [1, 2, 3], [{ path: "body", rule: "maxItems", message: "must have at most 2 items, got 3" }]],
    ["uniqueItems", { type: "array", uniqueItems: true }, [1, 2, 1], [{ path: "body", rule: "uniqueItems", message: "must not repeat items (items 0 and 2 are equal)" }]],
    ["minProperties", { type: "object", minProperties: 2 }, { a: 1 }, [{ path: "body", rule: "minProperties", message: "must have at least 2 entries, got 1" }]],
    ["maxProperties", { type: "object", maxProperties: 1 }, { a: 1, b: 2 }, [{ path: "body", rule: "maxProperties", message: "must have at most 1 entries, got 2" }]],
    ["anyOf", { anyOf: [{ type: "string" }, { type: "integer" }] }, true, [{ path: "body", rule: "anyOf", message: "must match at least one of the allowed shapes" }]],
    ["oneOf: none matched", { oneOf: [{ type: "string" }, { type: "integer" }] }, true, [{ path: "body", rule: "oneOf", message: "must match exactly one of the allowed shapes, matched 0" }]],
    ["oneOf: two matched", { oneOf: [{ type: "integer" }, { type: "number" }] }, 3, [{ path: "body", rule: "oneOf", message: "must match exactly one of the allowed shapes, matched more than one" }]],
    ["oneOf: three matched", { oneOf: [{ type: "integer" }, { type: "number" }, { type: "number", minimum: 0 }] }, 3, [{ path: "body", rule: "oneOf", message: "must match exactly one of the allowed shapes, matched more than one" }]],
    ["propertyNames", { type: "object", propertyNames: { maxLength: 3 } }, { long_name: 1 }, [{ path: "body.long_name", rule: "maxLength", message: "name must be at most 3 characters, got 9" }]],
    ["propertyNames, a key that is no identifier", { type: "object", propertyNames: { pattern: "^[a-z]+$" } }, { "view er": 1 }, [{ path: 'body["view er"]', rule: "pattern", message: "name must match ^[a-z]+$" }]],
    // Paths: only identifiers are joined with a dot; JSON Pointer's ~1 ("/") and ~0 ("~") are undone.
    ["path: a key with a space", { type: "object", additionalProperties: { type: "string" } }, { "view er": 1 }, [{ path: 'body["view er"]', rule: "type", message: "must be string, got integer" }]],
    ["path: a key with / and ~", { type: "object", additionalProperties: { type: "string" } }, { "a/b~c": 1 }, [{ path: 'body["a/b~c"]', rule: "type", message: "must be string, got integer" }]],
    ["path: a key spelled ~1", { type: "object", additionalProperties: { type: "string" } }, { "~1": 1 }, [{ path: 'body["~1"]', rule: "type", message: "must be string, got integer" }]],
    ["path: identifiers", { type: "object", additionalProperties: { type: "string" } }, { $a_1: 1 }, [{ path: "body.$a_1", rule: "type", message: "must be string, got integer" }]],
    ["path: a key starting with a digit", { type: "object", additionalProperties: { type: "string" } }, { "1a": 1 }, [{ path: 'body["1a"]', rule: "type", message: "must be string, got integer" }]],
    ["path: array items", { type: "array", items: { type: "object", required: ["viewerId"], properties: { viewerId: { type: "string" } } } }, [{ viewerId: "a" }, {}], [{ path: "body[1].viewerId", rule: "required", message: "is required" }]],
    ["path: a key of an item", { type: "array", items: { type: "object", additionalProperties: { type: "string" } } }, [{ "view er": "a" }, { "view er": 2 }], [{ path: 'body[1]["view er"]', rule: "type", message: "must be string, got integer" }]],
  ];

  // Whole calls, for what is found at the top: the locations an operation accepts.
  const CALLS: [string, object, unknown, { path: string; rule: string; message: string }[]][] = [
    ["a location the operation has none in", { type: "object", properties: { body: { type: "string" } }, additionalProperties: false }, { body: "x", query: { a: 1 } }, [{ path: "query", rule: "additionalProperties", message: "is not accepted by this operation" }]],
    ["a body for an operation without one", { type: "object", properties: { query: { type: "object" } }, additionalProperties: false }, { query: {}, body: { a: 1 } }, [{ path: "body", rule: "additionalProperties", message: "is not accepted by this operation (it has no request body)" }]],
    ["a location that is required", { type: "object", required: ["path"], properties: { path: { type: "object" } } }, {}, [{ path: "path", rule: "required", message: "is required" }]],
    ["the call itself", { type: "object", minProperties: 1 }, {}, [{ path: "(value)", rule: "minProperties", message: "must have at least 1 entries, got 0" }]],
    ["the call itself, of the wrong type", { type: "object" }, 5, [{ path: "(value)", rule: "type", message: "must be object, got integer" }]],
  ];

  let body: ValidatorIndex;
  let calls: ValidatorIndex;
  beforeAll(async () => {
    body = await compile(Object.fromEntries(BODY.map(([name, schema]) => [name, schema])));
    calls = await compileCalls(Object.fromEntries(CALLS.map(([name, schema]) => [name, schema])));
  });

  it.each(BODY)("%s", (name, _schema, value, expected) => {
    expect(issuesOf(body[name]!, { body: value })).toEqual(expected);
  });

  it.each(CALLS)("%s", (name, _schema, value, expected) => {
    expect(issuesOf(calls[name]!, value)).toEqual(expected);
  });

  // What the compiler refuses to produce (strict mode), as a validator could still report it.
  const reporting = (...errors: CompiledError[]): CompiledValidator => Object.assign(() => false, { errors });
  it("words a format other than uri, and an unknown keyword, generically", () => {
    expect(issuesOf(reporting({ instancePath: "/body", schemaPath: "", keyword: "format", params: { format: "date" } }), { body: "x" })).toEqual([
      { path: "body", rule: "format", message: "must be a valid date" },
    ]);
    expect(issuesOf(reporting({ instancePath: "/body/a", schemaPath: "", keyword: "contains", params: {} }), { body: { a: [] } })).toEqual([
      { path: "body.a", rule: "contains", message: "breaks the contains rule" },
    ]);
  });
});

describe("a value JSON cannot write, in a field with an enum", () => {
  it("is a ValidationError naming the field, before anything is sent (not a TypeError from JSON.stringify)", async () => {
    const fetch = recordingFetch(() => json({ total_cnt: 0, page_no: 1, broad: [] }));
    const soop = createSoopClient({ clientId: "id", clientSecret: "secret", fetch });
    const err = await caught(() => soop.listBroadcasts({ params: { query: { order_type: 1n } as never } }));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues).toEqual([
      { path: "query.order_type", rule: "type", message: "must be string, got bigint" },
      { path: "query.order_type", rule: "enum", message: 'must be one of "view_cnt", "broad_start", got bigint' },
    ]);
    expect(fetch.calls).toHaveLength(0);
  });
});

describe("callInput: what of a call the validator sees", () => {
  const meta = (params: OperationMeta["params"]): OperationMeta => ({ method: "GET", path: "/x", retrySafe: true, credentials: [], params, responses: { "200": [] } });
  const withQuery = meta({ query: { type: "object", properties: { page: {} } } });
  const withoutQuery = meta({});

  it("always has the locations the operation has parameters in, filled or not", () => {
    expect(callInput(withQuery, {})).toEqual({ query: {} });
    expect(callInput(withQuery, { params: { query: { page: 2 } } })).toEqual({ query: { page: 2 } });
  });

  it("leaves out an empty location the operation has none in (undefined, null, {}), so an empty one is no error", () => {
    expect(callInput(withoutQuery, {})).toEqual({});
    for (const query of [undefined, null, {}]) expect(callInput(withoutQuery, { params: { query } as never })).toEqual({});
  });

  it("keeps anything else there, so the validator can refuse it: keys, and values that are no object", () => {
    for (const query of [{ page: 1 }, 5, "", "ab", 0, false]) expect(callInput(withoutQuery, { params: { query } as never })).toEqual({ query });
  });

  it("passes the body when there is one", () => {
    expect(callInput(withoutQuery, { body: { a: 1 } })).toEqual({ body: { a: 1 } });
    expect(callInput(withoutQuery, { body: null })).toEqual({ body: null });
  });
});

describe("the clients refuse prototype-named keys before sending anything", () => {
  const names = ["constructor", "toString", "valueOf", "hasOwnProperty", "__proto__"];
  const own = (key: string, value: unknown) => JSON.parse(`{${JSON.stringify(key)}: ${JSON.stringify(value)}}`);

  it.each(names)("SOOP GET /broad/list?…&%s=x", async (key) => {
    const fetch = recordingFetch(() => json({ total_cnt: 0, page_no: 1, broad: [] }));
    const soop = createSoopClient({ clientId: "id", clientSecret: "secret", fetch });
    const err = await caught(() => soop.listBroadcasts({ params: { query: { ...own(key, "x") } } }));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues).toEqual([expect.objectContaining({ path: `query.${key}`, rule: "additionalProperties" })]);
    expect(fetch.calls).toHaveLength(0);
  });

  it.each(names)("a signed Polyv form with %s=1", async (key) => {
    const fetch = recordingFetch(() => json({ code: 200, status: "success", message: "", data: [] }));
    const polyv = createPolyvClient({ appId: "app", appSecret: "secret", userId: "u1", fetch, rateLimit: false });
    const err = await caught(() => polyv.updateChannelOauthCustom({ body: { customUri: "https://example.com/auth", ...own(key, 1) } }));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues).toEqual([expect.objectContaining({ path: `body.${key}`, rule: "additionalProperties" })]);
    expect(fetch.calls).toHaveLength(0);
  });

  it.each(names)("a FlipFlop path parameter object with %s", async (key) => {
    const fetch = recordingFetch(() => new Response(null, { status: 204 }));
    const flipflop = createFlipFlopClient({ apiKey: "k", apiSecret: "s", fetch });
    const path = { appUserId: "m1", ...own(key, "x") };
    const err = await caught(() => flipflop.forceTerminateMemberStreamKey({ params: { path } }));
    expect((err as ValidationError).issues).toEqual([expect.objectContaining({ path: `path.${key}`, rule: "additionalProperties" })]);
    expect(fetch.calls).toHaveLength(0);
  });
});

describe("generate", () => {
  it("fails loudly on a keyword or format the compiler can not enforce, instead of dropping it", async () => {
    await expect(compile({ x: { type: "string", minLenght: 3 } })).rejects.toThrow(/unknown keyword: "minLenght"/);
    await expect(compile({ x: { type: "string", format: "date" } })).rejects.toThrow(/format "date" is not supported/);
    await expect(compile({ x: { type: "string", format: "color" } })).rejects.toThrow(/format "color" is not supported/);
  });

  it("refuses a spec with an unenforceable keyword: `npm run generate` exits non-zero and names it", () => {
    const registry = parse(readFileSync(join(root, "redocly.yaml"), "utf8"));
    registry.apis = { "flipflop@v2": { root: "flipflop.yaml" } };
    writeFileSync(join(dir, "redocly.yaml"), stringify(registry));
    const spec = readFileSync(join(root, "specs", "flipflop.yaml"), "utf8");
    const broken = spec.replace("maxLength: 50\n          description: A type of your own", "maxLenght: 50\n          description: A type of your own");
    expect(broken).not.toBe(spec);
    writeFileSync(join(dir, "flipflop.yaml"), broken);
    const run = spawnSync(process.execPath, [join(root, "scripts", "generate.mjs"), "--check"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, STREAMSPEC_REGISTRY: join(dir, "redocly.yaml") },
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('unknown keyword: "maxLenght"');
  });

  it("emits validators that run where code generation from strings is forbidden (no eval, no new Function)", async () => {
    for (const provider of ["flipflop", "polyv", "soop", "arctos"]) {
      const out = await build({
        entryPoints: [join(root, "generated", `${provider}.validators.ts`)],
        bundle: true,
        write: false,
        format: "iife",
        globalName: "compiled",
        platform: "neutral",
        logLevel: "silent",
      });
      // A context like a Worker or a strict-CSP page: eval and new Function throw EvalError.
      const context = vm.createContext({}, { codeGeneration: { strings: false, wasm: false } });
      vm.runInContext(out.outputFiles[0]!.text, context);
      const { validators } = (context as { compiled: { validators: ValidatorIndex } }).compiled;
      expect(vm.runInContext("(() => { try { eval('1'); return 'eval ran'; } catch (e) { return e.name; } })()", context)).toBe("EvalError");
      for (const validate of Object.values(validators)) {
        expect(typeof validate({ body: { unknown: { deep: [1, "x", null] } }, query: { constructor: 1 } })).toBe("boolean");
      }
    }
  });
});
