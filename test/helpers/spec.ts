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

/** What the client must make of a documented answer: the body as the result, or a ProviderError with this code. */
export type DocumentedOutcome = { ok: true } | { ok: false; code: string | number | undefined };

const record = (value: unknown): Record<string, any> =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, any>) : {};

/**
 * The outcome of a documented response example, by the rules the README's Errors table states (written out here,
 * independently of src/, so a client that misreads an envelope fails the tests): any HTTP error status is a
 * failure; under 2xx, a SOOP `result` <= 0, a Polyv `code` other than 200 or `success: false`, an Arctos `status`
 * other than 1 and 2. The code is FlipFlop's `errorCode`, Polyv's `error.code` (else its `code`), SOOP's `result`,
 * Arctos's specific code (1401–1405, 3401–3406: in `status`, or in a separate `code` in the older spec shape),
 * else the HTTP error status, else 0.
 */
export function documentedOutcome(provider: string, ex: Pick<DocumentedExample, "status" | "value">): DocumentedOutcome {
  const httpError = ex.status >= 400;
  const b = record(ex.value);
  switch (provider) {
    case "flipflop":
      return httpError ? { ok: false, code: b.errorCode } : { ok: true };
    case "polyv": {
      const envelope = "code" in b;
      if (!httpError && (!envelope || (Number(b.code) === 200 && b.success !== false))) return { ok: true };
      return { ok: false, code: record(b.error).code ?? b.code };
    }
    case "soop": {
      const result = typeof b.result === "number" ? b.result : undefined;
      if (!httpError && !(result !== undefined && result <= 0)) return { ok: true };
      return { ok: false, code: result };
    }
    case "arctos": {
      if (!httpError && (b.status === 1 || b.status === 2)) return { ok: true };
      const specific = Number.isInteger(b.code) ? b.code : Number.isInteger(b.status) && b.status > 2 ? b.status : undefined;
      return { ok: false, code: specific ?? (httpError ? ex.status : 0) };
    }
    default:
      throw new Error(`no outcome rule for ${provider}`);
  }
}
