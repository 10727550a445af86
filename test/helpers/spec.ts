// Reads the specs the way the tests need them: every documented response example, per operation.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export const root = join(import.meta.dirname, "..", "..");

type Json = Record<string, any>;

export function loadSpec(provider: string): Json {
  return parse(readFileSync(join(root, "specs", `${provider}.yaml`), "utf8"));
}

function resolve(doc: Json, node: any): any {
  while (node && typeof node.$ref === "string") {
    node = node.$ref.slice(2).split("/").reduce((n: any, k: string) => n[k.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
  }
  return node;
}

export interface DocumentedExample {
  operationId: string;
  status: number;
  mediaType: string;
  name: string;
  value: any;
}

/** Every named response example of every operation, with its status. */
export function responseExamples(provider: string): DocumentedExample[] {
  const doc = loadSpec(provider);
  const out: DocumentedExample[] = [];
  for (const item of Object.values<Json>(doc.paths)) {
    for (const op of Object.values<Json>(item)) {
      if (!op?.operationId) continue;
      for (const [status, raw] of Object.entries<Json>(op.responses ?? {})) {
        const response = resolve(doc, raw);
        for (const [mediaType, media] of Object.entries<Json>(response.content ?? {})) {
          for (const [name, ex] of Object.entries<Json>(media.examples ?? {})) {
            out.push({ operationId: op.operationId, status: Number(status), mediaType, name, value: resolve(doc, ex).value });
          }
        }
      }
    }
  }
  return out;
}

/** The first request-body example of an operation. */
export function requestExample(provider: string, operationId: string): any {
  const doc = loadSpec(provider);
  for (const item of Object.values<Json>(doc.paths)) {
    for (const op of Object.values<Json>(item)) {
      if (op?.operationId !== operationId) continue;
      const media: Json = Object.values<Json>(resolve(doc, op.requestBody)?.content ?? {})[0] ?? {};
      const first = media.examples ? resolve(doc, Object.values<Json>(media.examples)[0]).value : media.example;
      return first;
    }
  }
  throw new Error(`no operation ${operationId} in ${provider}`);
}
