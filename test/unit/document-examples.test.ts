// Tests from the documents themselves (test/fixtures/document-examples.json, the committed copy of every example
// the source documents print; scripts/check-document-examples.mjs keeps it verbatim):
// - every request example passes the client's input validation, as the client checks it before sending;
// - every response example, answered by an injected fetch, comes out of the client as the documents mean it:
//   a success resolves to the example's body, a failure throws ProviderError with the provider's code.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { schemas as arctosSchemas } from "../../generated/arctos.operations.js";
import { validators as arctosValidators } from "../../generated/arctos.validators.js";
import { schemas as flipflopSchemas } from "../../generated/flipflop.operations.js";
import { validators as flipflopValidators } from "../../generated/flipflop.validators.js";
import { schemas as polyvSchemas } from "../../generated/polyv.operations.js";
import { validators as polyvValidators } from "../../generated/polyv.validators.js";
import { schemas as soopSchemas } from "../../generated/soop.operations.js";
import { validators as soopValidators } from "../../generated/soop.validators.js";
import { createArctosClient, operations as arctos } from "../../src/arctos/index.js";
import type { CallInit } from "../../src/core/client.js";
import type { OperationIndex, OperationMeta, OperationSchemas } from "../../src/core/operation.js";
import { validateCall } from "../../src/core/validate-call.js";
import type { ValidatorIndex } from "../../src/core/validate.js";
import { createFlipFlopClient, operations as flipflop } from "../../src/flipflop/index.js";
import { ProviderError } from "../../src/index.js";
import { createPolyvClient, operations as polyv } from "../../src/polyv/index.js";
import { createSoopClient, operations as soop } from "../../src/soop/index.js";
import { recordingFetch, type Recorded } from "../helpers/fetch.js";
import { caught } from "../helpers/secrets.js";
import { root } from "../helpers/spec.js";

type Provider = "flipflop" | "polyv" | "soop" | "arctos";
type Expectation = "body" | "nothing" | { value: unknown } | { ProviderError: { code: string | number } };

interface DocumentExample {
  provider: Provider;
  document: string;
  operationId: string;
  kind: "request" | "response";
  where: string;
  format: "json" | "jsonp" | "form" | "url" | "none";
  in?: "body" | "query";
  url?: string;
  status?: number | null;
  deliverWith?: number[];
  deliver?: "redirect";
  text: string;
  corrected?: { text?: string; why: string; spec: string; specSays: string };
  expect?: Expectation;
}

const fixture: { examples: DocumentExample[] } = JSON.parse(readFileSync(join(root, "test", "fixtures", "document-examples.json"), "utf8"));
const examples = fixture.examples;
const requests = examples.filter((e) => e.kind === "request");
const responses = examples.filter((e) => e.kind === "response");
const indexes: Record<Provider, OperationIndex> = { flipflop, polyv, soop, arctos };
/** The parameter schemas (the runtime index names parameters only). */
const schemas: Record<Provider, OperationSchemas> = { flipflop: flipflopSchemas, polyv: polyvSchemas, soop: soopSchemas, arctos: arctosSchemas };
const validators: Record<Provider, ValidatorIndex> = { flipflop: flipflopValidators, polyv: polyvValidators, soop: soopValidators, arctos: arctosValidators };
const metaOf = (e: DocumentExample): OperationMeta => {
  const meta = indexes[e.provider][e.operationId];
  if (!meta) throw new Error(`${e.provider} has no operation ${e.operationId}`);
  return meta;
};
const label = (e: DocumentExample) => `${e.provider}.${e.operationId} ${e.kind} ${e.status ?? ""} (${e.where})`;

/** The example as the documents mean it: the corrected reading when the printed one is broken. */
function parsed(e: DocumentExample): unknown {
  const text = e.corrected?.text ?? e.text;
  switch (e.format) {
    case "json":
      return JSON.parse(text);
    case "jsonp":
      return JSON.parse(/^\s*\w+\(([\s\S]*)\);?\s*$/.exec(text)![1]!);
    case "form":
      return Object.fromEntries(new URLSearchParams(text));
    case "url":
      return text;
    case "none":
      return undefined;
  }
}

const without = (value: Record<string, unknown>, names: Set<string>) => Object.fromEntries(Object.entries(value).filter(([k]) => !names.has(k)));

/** Values of a path template (`/filter/{type}`) read from a concrete path (`/filter/streamer`). */
function pathParams(template: string, path: string): Record<string, string> {
  const names: string[] = [];
  const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{([^}]+)\}/g, (_, n: string) => (names.push(n), "([^/]+)"))}$`);
  const match = pattern.exec(path);
  if (!match) throw new Error(`${path} is not ${template}`);
  return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(match[i + 1]!)]));
}

/**
 * A request example as the caller passes it to the client: without the credentials the client injects (the
 * spec's x-internal fields, listed in the operation index), with path and query values from the printed URL.
 * Query values are text on the wire (the samples feed them to URLSearchParams): a numeric one is passed as the
 * number the spec types it as.
 */
function callInit(e: DocumentExample): CallInit {
  const meta = metaOf(e);
  const injected = (where: string) => new Set(meta.credentials.flatMap((c) => (c.kind === "field" && c.in === where ? [c.name] : [])));
  const value = parsed(e) as Record<string, unknown> | unknown[];
  const params: NonNullable<CallInit["params"]> = {};
  let query: Record<string, unknown> = {};
  if (e.url) {
    const url = new URL(e.url);
    const path = pathParams(meta.path, url.pathname);
    if (Object.keys(path).length) params.path = path;
    query = Object.fromEntries(url.searchParams);
  }
  if (e.in === "query") query = { ...query, ...(value as Record<string, unknown>) };
  query = without(query, injected("query"));
  const types = schemas[e.provider][e.operationId]!.params.query?.properties ?? {};
  for (const [k, v] of Object.entries(query)) {
    const type = ([] as unknown[]).concat((types as Record<string, { type?: unknown }>)[k]?.type ?? []);
    if (typeof v === "string" && /^-?\d+$/.test(v) && !type.includes("string") && (type.includes("integer") || type.includes("number"))) query[k] = Number(v);
  }
  if (Object.keys(query).length) params.query = query;
  const init: CallInit = Object.keys(params).length ? { params } : {};
  if (e.in === "body") {
    const body = Array.isArray(value) ? value : without(value, injected("body"));
    if (meta.body) init.body = body;
    // An operation whose whole body is injected (SOOP resetStreamKey, getStationInfo) takes none from the caller.
    else expect(body, `${label(e)}: only injected credentials`).toEqual({});
  }
  return init;
}

describe("document examples: the fixture", () => {
  it("holds request and response examples of every provider, for real operations, each response with its outcome", () => {
    for (const p of Object.keys(indexes)) {
      expect(requests.some((e) => e.provider === p), `${p} requests`).toBe(true);
      expect(responses.some((e) => e.provider === p), `${p} responses`).toBe(true);
    }
    for (const e of examples) {
      expect(["request", "response"], label(e)).toContain(e.kind);
      expect(() => metaOf(e), label(e)).not.toThrow();
      if (e.kind === "request") expect(["body", "query"], label(e)).toContain(e.in);
      else expect(e.expect, label(e)).toBeDefined();
    }
  });

  it.each(examples.filter((e) => e.corrected).map((e) => [label(e), e] as const))("%s: the correction is one the spec states", (_, e) => {
    const [file, at] = e.corrected!.spec.split("#") as [string, string];
    const spec = parse(readFileSync(join(root, file), "utf8"));
    let description: string | undefined = at === "info" ? spec.info.description : undefined;
    for (const item of Object.values<any>(spec.paths)) for (const op of Object.values<any>(item)) if (op?.operationId === at) description = op.description;
    expect(description, `${e.corrected!.spec}`).toBeTypeOf("string");
    expect(description!.replace(/\s+/g, " ")).toContain(e.corrected!.specSays);
    if (e.corrected!.text !== undefined && e.format !== "url") expect(() => parsed(e)).not.toThrow();
  });
});

describe("document examples: every request example passes the client's validation", () => {
  it.each(requests.map((e) => [label(e), e] as const))("%s", (_, e) => {
    const init = callInit(e);
    expect(validateCall(validators[e.provider][e.operationId]!, metaOf(e), init)).toEqual([]);
  });
});

// --- responses through the client -------------------------------------------------------------------------

const baseUrl = "https://provider.example.test";
const firstRequest = (e: DocumentExample) => requests.find((r) => r.provider === e.provider && r.operationId === e.operationId);
// Operations whose documents print no request JSON: the values their text gives (FlipFlop "such as 1,2,3").
const defaults: Record<string, CallInit> = {
  "flipflop.deleteMembers": { params: { path: { appUserIds: ["1", "2", "3"] } } },
  "flipflop.forceTerminateMemberStreamKey": { params: { path: { appUserId: "1" } } },
};

function answer(e: DocumentExample, status: number): Response {
  if (e.deliver === "redirect") return new Response(null, { status: 302, headers: { location: e.text } });
  if (e.format === "none") return new Response(null, { status });
  const type = e.format === "jsonp" ? "text/javascript" : "application/json";
  return new Response(e.corrected?.text ?? e.text, { status, headers: { "content-type": type } });
}

/** The Arctos login the client makes first answers with the document's own success examples. */
const arctosLogin = (path: string): Response | undefined => {
  const op = path === arctos.getAuthCode.path ? "getAuthCode" : path === arctos.getAuthTokenUseCode.path ? "getAuthTokenUseCode" : undefined;
  const ex = op && responses.find((r) => r.provider === "arctos" && r.operationId === op);
  return ex ? answer(ex, 200) : undefined;
};

function clientFor(e: DocumentExample, status: number) {
  const meta = metaOf(e);
  const target = (r: Recorded) => r.method === meta.method && r.url.pathname === pathOf(e, meta);
  const fetch = recordingFetch((r) => (target(r) ? answer(e, status) : (e.provider === "arctos" && arctosLogin(r.url.pathname)) || new Response("unexpected request", { status: 599 })));
  const common = { baseUrl, fetch, retry: false as const };
  const client =
    e.provider === "flipflop"
      ? createFlipFlopClient({ apiKey: "key", apiSecret: "secret", ...common })
      : e.provider === "polyv"
        ? createPolyvClient({ appId: "frlr1zazn3", appSecret: "app-secret", userId: "1b448be323", rateLimit: false, ...common })
        : e.provider === "soop"
          ? createSoopClient({ clientId: "ae1d3e4XXXXXXX", clientSecret: "dafgc12fvXXXXXXX", token: { accessToken: "ae1d3e4XXXXXXX", refreshToken: "r", expiresAt: Date.now() + 3_600_000 }, ...common })
          : createArctosClient({ licenseKey: "license", clientId: "arctos-webapp", user: { user_id: "unique_id", name: "name", role: "MODERATOR" }, ...common });
  return { client: client as unknown as Record<string, (init?: CallInit) => Promise<unknown>>, fetch, target };
}

/** The concrete path the call requests (the printed URL's, or the operation's own). */
function pathOf(e: DocumentExample, meta: OperationMeta): string {
  const init = initFor(e);
  return meta.path.replace(/\{([^}]+)\}/g, (_, n: string) => {
    const v = init.params?.path?.[n];
    return Array.isArray(v) ? v.join(",") : String(v);
  });
}

const initFor = (e: DocumentExample): CallInit => {
  const request = firstRequest(e);
  if (request) return callInit(request);
  return defaults[`${e.provider}.${e.operationId}`] ?? {};
};

const delivered = responses.flatMap((e) => (e.status != null ? [e.status] : e.deliverWith ?? []).map((status) => [`${label(e)} delivered with ${status}`, e, status] as const));

describe("document examples: every response example comes out of the client as the document means it", () => {
  it("every response example is delivered at least once", () => {
    expect(new Set(delivered.map(([, e]) => e))).toEqual(new Set(responses));
  });

  it.each(delivered)("%s", async (_, e, status) => {
    const { client, fetch, target } = clientFor(e, status);
    // SOOP's getAuthCode is the redirect reader (no init); every other method takes the documented request.
    const call = () => (e.provider === "soop" && e.operationId === "getAuthCode" ? client.getAuthCode!() : client[e.operationId]!(initFor(e)));
    const expected = e.expect!;
    if (typeof expected === "object" && "ProviderError" in expected) {
      const err = await caught(call);
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ provider: e.provider, operation: e.operationId, status, code: expected.ProviderError.code });
    } else {
      const data = await call();
      if (expected === "body") expect(data).toEqual(parsed(e));
      else if (expected === "nothing") expect(data).toBeUndefined();
      else expect(data).toEqual(expected.value);
    }
    expect(fetch.calls.filter(target)).toHaveLength(1);
  });
});
