// Checks what a fake answered against the spec's own response schemas (Ajv, JSON Schema 2020-12, ajv-formats):
// the status must be one the operation declares, the media type one that status declares, and the body valid
// against its schema (a JSONP answer both as text and, unwrapped, as the JSON it carries); required headers (the
// 302's Location) must be there.
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import formats from "ajv-formats";
import { expect } from "vitest";
import type { RecordedRequest } from "../../src/testing/index.js";
import { loadSpec } from "./spec.js";

type Json = Record<string, any>;

const specs = new Map<string, Json>();
const spec = (provider: string): Json => {
  let doc = specs.get(provider);
  if (!doc) specs.set(provider, (doc = loadSpec(provider)));
  return doc;
};

function deref(doc: Json, node: any, seen: string[] = []): any {
  if (Array.isArray(node)) return node.map((n) => deref(doc, n, seen));
  if (!node || typeof node !== "object") return node;
  if (typeof node.$ref === "string") {
    if (seen.includes(node.$ref)) throw new Error(`recursive $ref ${node.$ref}`);
    const target = node.$ref.slice(2).split("/").reduce((n: any, k: string) => n[k.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
    return deref(doc, target, [...seen, node.$ref]);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, deref(doc, v, seen)]));
}

function operation(doc: Json, id: string): Json {
  for (const item of Object.values<Json>(doc.paths)) {
    for (const op of Object.values<Json>(item)) if (op?.operationId === id) return op;
  }
  throw new Error(`no operation ${id}`);
}

// Ajv ignores the spec's annotations and x- extensions (strict off); formats are checked.
const ajv = new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true });
// ajv-formats is CommonJS: under NodeNext its default import is module.exports, whose `default` is the plugin.
(formats as unknown as { default: (a: Ajv2020) => void }).default(ajv);
const compiled = new Map<string, ValidateFunction>();

function validator(provider: string, id: string, status: string, media: string, schema: Json): ValidateFunction {
  const key = `${provider} ${id} ${status} ${media}`;
  const v = compiled.get(key) ?? ajv.compile(schema);
  compiled.set(key, v);
  return v;
}

const JSONP = /^\s*[A-Za-z_$][\w$.]*\s*\(([\s\S]*)\)\s*;?\s*$/;

/** What is wrong with one recorded answer, measured against the spec; [] when it is right (or was an injected fault). */
export function answerProblems(provider: string, rec: RecordedRequest): string[] {
  if (!rec.operationId || !rec.answer || rec.fault !== undefined) return [];
  const doc = spec(provider);
  const id = rec.operationId;
  const { status, headers, body } = rec.answer;
  const where = `${provider}.${id} answered ${status}`;
  const responses: Json = operation(doc, id).responses ?? {};
  const declaredAs = [String(status), `${String(status)[0]}XX`, "default"].find((s) => s in responses);
  if (!declaredAs) return [`${where}, a status the spec does not declare (${Object.keys(responses).join(", ")})`];
  const response = deref(doc, responses[declaredAs]);
  const problems: string[] = [];
  for (const [name, h] of Object.entries<Json>(response.headers ?? {})) {
    if (h.required && headers[name.toLowerCase()] === undefined) problems.push(`${where} without its required header ${name}`);
  }
  const content: Json = response.content ?? {};
  if (Object.keys(content).length === 0) {
    if (body !== "") problems.push(`${where} with a body, where the spec declares none`);
    return problems;
  }
  const type = (headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  const media = content[type];
  if (!media) return [...problems, `${where} as ${type || "(no content type)"}, not one of ${Object.keys(content).join(", ")}`];
  const check = (mediaType: string, schema: Json, data: unknown) => {
    const v = validator(provider, id, declaredAs, mediaType, schema);
    if (!v(data)) problems.push(`${where} (${mediaType}) breaks the spec: ${ajv.errorsText(v.errors)} in ${body.slice(0, 300)}`);
  };
  if (type.includes("json")) {
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch {
      return [...problems, `${where} with a body that is not JSON: ${body.slice(0, 100)}`];
    }
    check(type, media.schema ?? {}, data);
  } else {
    check(type, media.schema ?? {}, body);
    const inner = type.includes("javascript") ? JSONP.exec(body)?.[1] : undefined;
    if (type.includes("javascript")) {
      if (inner === undefined) problems.push(`${where} as ${type} that is not JSONP: ${body.slice(0, 100)}`);
      else if (content["application/json"]) {
        let data: unknown;
        try {
          data = JSON.parse(inner);
        } catch {
          problems.push(`${where} as JSONP whose argument is not JSON: ${body.slice(0, 100)}`);
        }
        if (data !== undefined) check("application/json", content["application/json"].schema, data);
      }
    }
  }
  return problems;
}

/** Asserts that every answer the fake recorded is one the spec allows; returns how many answers were checked. */
export function expectAnswersValid(provider: string, requests: readonly RecordedRequest[]): number {
  const checked = requests.filter((r) => r.operationId && r.answer && r.fault === undefined);
  expect(requests.flatMap((r) => answerProblems(provider, r))).toEqual([]);
  return checked.length;
}
