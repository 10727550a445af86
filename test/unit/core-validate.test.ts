// The validator against the keywords the specs use; every broken rule is reported with its path.
import { describe, expect, it } from "vitest";
import { validate, type Schema } from "../../src/core/validate.js";

const rules = (schema: Schema, value: unknown) => validate(schema, value, "body").map((i) => `${i.path}:${i.rule}`);

describe("validate", () => {
  it("checks types, with integer as a kind of number and type lists", () => {
    expect(rules({ type: "integer" }, 1.5)).toEqual(["body:type"]);
    expect(rules({ type: "number" }, 2)).toEqual([]);
    expect(rules({ type: ["string", "integer"] }, 3)).toEqual([]);
    expect(rules({ type: ["string", "integer"] }, true)).toEqual(["body:type"]);
    expect(rules({ type: "array" }, {})).toEqual(["body:type"]);
    expect(rules({ type: "object" }, null)).toEqual(["body:type"]);
  });

  it("checks string length in characters, patterns and absolute URIs", () => {
    expect(rules({ maxLength: 2 }, "한국")).toEqual([]);
    expect(rules({ maxLength: 2 }, "😀😀😀")).toEqual(["body:maxLength"]);
    expect(rules({ minLength: 1 }, "")).toEqual(["body:minLength"]);
    expect(rules({ pattern: "^[A-Za-z0-9]{6,}$" }, "abc")).toEqual(["body:pattern"]);
    expect(rules({ format: "uri" }, "https://example.com/x")).toEqual([]);
    expect(rules({ format: "uri" }, "/relative")).toEqual(["body:format"]);
    expect(rules({ format: "uri" }, "not a uri")).toEqual(["body:format"]);
  });

  it("checks numbers, enums and consts", () => {
    expect(rules({ minimum: 1, maximum: 10 }, 15)).toEqual(["body:maximum"]);
    expect(rules({ minimum: 1, maximum: 10 }, 0)).toEqual(["body:minimum"]);
    expect(rules({ exclusiveMinimum: 0 }, 0)).toEqual(["body:exclusiveMinimum"]);
    expect(rules({ enum: [0, 19] }, 18)).toEqual(["body:enum"]);
    expect(rules({ const: "api" }, "web")).toEqual(["body:const"]);
  });

  it("checks objects: required, unknown fields, sizes and property names, nested paths", () => {
    const schema: Schema = {
      type: "object",
      required: ["a", "b"],
      additionalProperties: false,
      properties: { a: { type: "string" }, b: { type: "object", maxProperties: 1, propertyNames: { maxLength: 3 }, additionalProperties: { type: "string" } } },
    };
    expect(rules(schema, { b: { long_name: 1, k: "v" }, c: 1 })).toEqual([
      "body.a:required",
      "body.b:maxProperties",
      "body.b.long_name:maxLength",
      "body.b.long_name:type",
      "body.c:additionalProperties",
    ]);
    expect(rules(schema, { a: "x", b: {}, skipped: undefined })).toEqual([]);
  });

  it("checks arrays and names the index", () => {
    const schema: Schema = { type: "array", minItems: 1, maxItems: 2, items: { type: "object", required: ["viewerId"] } };
    expect(rules(schema, [])).toEqual(["body:minItems"]);
    expect(rules(schema, [{ viewerId: "a" }, {}, {}])).toEqual(["body:maxItems", "body[1].viewerId:required", "body[2].viewerId:required"]);
  });

  it("checks oneOf, anyOf and allOf", () => {
    const one: Schema = { oneOf: [{ type: "string" }, { type: "integer" }] };
    expect(rules(one, "x")).toEqual([]);
    expect(rules(one, true)).toEqual(["body:oneOf"]);
    expect(rules({ anyOf: [{ maxLength: 1 }, { pattern: "^a" }] }, "abc")).toEqual([]);
    expect(rules({ anyOf: [{ maxLength: 1 }, { pattern: "^a" }] }, "bcd")).toEqual(["body:anyOf"]);
    expect(rules({ allOf: [{ maxLength: 1 }, { pattern: "^a" }] }, "bc")).toEqual(["body:maxLength", "body:pattern"]);
  });

  it("says what is wrong in words", () => {
    const [issue] = validate({ maxLength: 75 }, "t".repeat(76), "body.title");
    expect(issue).toEqual({ path: "body.title", rule: "maxLength", message: "must be at most 75 characters, got 76" });
  });
});
