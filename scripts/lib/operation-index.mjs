// Builds the operation index the runtime reads: operationId → method, path, retry safety, which credentials
// the middleware supplies, and the client-view schemas the validator checks input against.

import { validationSchema } from "./validators.mjs";

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

// Only keywords the runtime validator understands survive; prose and examples stay out of the bundle.
const SCHEMA_KEYS = new Set([
  "type", "enum", "const", "required", "properties", "additionalProperties", "items", "minItems", "maxItems",
  "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
  "minProperties", "maxProperties", "propertyNames", "format", "oneOf", "anyOf", "allOf", "uniqueItems",
  "multipleOf",
]);

export function resolveRef(doc, ref) {
  if (!ref.startsWith("#/")) throw new Error(`only local $refs are supported, got ${ref}`);
  return ref
    .slice(2)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((node, key) => {
      if (node == null || !(key in node)) throw new Error(`unresolvable $ref ${ref}`);
      return node[key];
    }, doc);
}

export function deref(doc, node, seen = []) {
  if (Array.isArray(node)) return node.map((n) => deref(doc, n, seen));
  if (!node || typeof node !== "object") return node;
  if (typeof node.$ref === "string") {
    if (seen.includes(node.$ref)) throw new Error(`recursive $ref ${node.$ref} is not supported`);
    return deref(doc, resolveRef(doc, node.$ref), [...seen, node.$ref]);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, deref(doc, v, seen)]));
}

/** Reduce a dereferenced schema to its validation keywords. */
export function pruneSchema(schema) {
  if (Array.isArray(schema)) return schema.map(pruneSchema);
  if (!schema || typeof schema !== "object") return schema;
  const out = {};
  for (const [k, v] of Object.entries(schema)) {
    if (!SCHEMA_KEYS.has(k)) continue;
    if (k === "properties") {
      out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, pruneSchema(s)]));
    } else if (k === "enum" || k === "const" || k === "required" || k === "type") {
      out[k] = v;
    } else {
      out[k] = typeof v === "object" ? pruneSchema(v) : v;
    }
  }
  return out;
}

/** Every operation of a spec: its path, method, operation object and path-level parameters. */
export function operationsOf(doc) {
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (op) ops.push({ path, method, op, itemParams: item.parameters ?? [] });
    }
  }
  return ops;
}

function credentialsOf(full, method, path) {
  const item = full.paths[path];
  const op = deref(full, item[method]);
  const creds = [];
  const security = op.security ?? full.security ?? [];
  for (const requirement of security) {
    for (const schemeName of Object.keys(requirement)) {
      const scheme = deref(full, full.components.securitySchemes[schemeName]);
      if (scheme.type === "http") creds.push({ kind: scheme.scheme.toLowerCase() });
      else if (scheme.type === "apiKey") creds.push({ kind: "apiKey", in: scheme.in, name: scheme.name });
      else throw new Error(`${op.operationId}: security scheme type ${scheme.type} is not supported`);
    }
  }
  for (const p of [...deref(full, item.parameters ?? []), ...(op.parameters ?? [])]) {
    if (p["x-internal"]) creds.push({ kind: "field", in: p.in, name: p.name });
  }
  for (const media of Object.values(op.requestBody?.content ?? {})) {
    for (const [name, prop] of Object.entries(media.schema?.properties ?? {})) {
      if (prop["x-internal"]) creds.push({ kind: "field", in: "body", name });
    }
    break;
  }
  return creds;
}

function paramSchemas(client, params) {
  const byLocation = {};
  for (const p of params) {
    const loc = (byLocation[p.in] ??= { type: "object", properties: {}, required: [] });
    loc.properties[p.name] = pruneSchema(p.schema ?? {});
    if (p.required) loc.required.push(p.name);
  }
  for (const loc of Object.values(byLocation)) if (!loc.required.length) delete loc.required;
  return byLocation;
}

/**
 * @param full   the spec as written (the wire's view)
 * @param client the bundle with x-internal removed (the client's view)
 */
export function buildOperationIndex(full, client) {
  const index = {};
  const calls = {};
  for (const { path, method, op: rawOp, itemParams } of operationsOf(client)) {
    const op = deref(client, rawOp);
    const id = op.operationId;
    if (!id) throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
    if (typeof op["x-retry-safe"] !== "boolean") throw new Error(`${id}: x-retry-safe must be true or false`);
    const params = [...deref(client, itemParams), ...(op.parameters ?? [])];
    const entry = {
      method: method.toUpperCase(),
      path,
      retrySafe: op["x-retry-safe"],
      credentials: credentialsOf(full, method, path),
      params: paramSchemas(client, params),
    };
    const [contentType, media] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
    // remove-x-internal drops the properties but leaves their names in `required`: the caller never sends them.
    const injected = new Set(entry.credentials.filter((c) => c.in === "body").map((c) => c.name));
    calls[id] = callSchema(params, op.requestBody, injected);
    if (contentType) {
      const schema = pruneSchema(media.schema ?? {});
      if (schema.required) schema.required = schema.required.filter((name) => !injected.has(name));
      entry.body = { contentType, required: Boolean(op.requestBody.required), schema };
    }
    entry.responses = Object.fromEntries(
      Object.entries(op.responses ?? {})
        .filter(([status]) => /^2/.test(status))
        .map(([status, res]) => [status, Object.keys(res.content ?? {})]),
    );
    index[id] = entry;
  }
  return { index, calls, runtime: runtimeIndex(index) };
}

/**
 * The index as a provider subpath ships it: what src/ reads at run time. A location's parameters keep their names
 * (`properties`, each `{}`: Polyv's `prepare` asks whether a path has `userId`), a body its content type and whether it
 * is required; their rules are enforced by the compiled validators, and the full schemas (`index`) are exported
 * separately for tools (the command line), so a bundle that does not read them leaves them out.
 */
export function runtimeIndex(index) {
  return Object.fromEntries(
    Object.entries(index).map(([id, { params, body, ...rest }]) => {
      const names = Object.fromEntries(Object.entries(params).map(([loc, schema]) => [loc, { properties: Object.fromEntries(Object.keys(schema.properties ?? {}).map((n) => [n, {}])) }]));
      const entry = { ...rest, params: names };
      if (body) entry.body = { contentType: body.contentType, required: body.required };
      return [id, { method: entry.method, path: entry.path, retrySafe: entry.retrySafe, credentials: entry.credentials, params: entry.params, ...(entry.body ? { body: entry.body } : {}), responses: entry.responses }];
    }),
  );
}

/** operationId → the full parameter and body schemas of the index, for tools. */
export function toolSchemas(index) {
  return Object.fromEntries(Object.entries(index).map(([id, { params, body }]) => [id, { params, ...(body ? { body: body.schema } : {}) }]));
}

const LOCATIONS = ["path", "query", "header"];

/**
 * The schema of one call's input as the SDK layer sees it: `{ path, query, header, body }`. A location the
 * operation has no parameters in, and a body it does not take, are refused (`additionalProperties: false`), and
 * so are parameters the spec does not list. `without` names body properties the client supplies itself.
 */
export function callSchema(params, requestBody, without = new Set()) {
  const properties = {};
  const required = [];
  for (const location of LOCATIONS) {
    const own = params.filter((p) => p.in === location);
    if (!own.length) continue;
    const names = own.filter((p) => p.required).map((p) => p.name);
    properties[location] = {
      type: "object",
      properties: Object.fromEntries(own.map((p) => [p.name, validationSchema(p.schema ?? {})])),
      ...(names.length ? { required: names } : {}),
      additionalProperties: false,
    };
  }
  const media = Object.values(requestBody?.content ?? {})[0];
  if (media) {
    const body = validationSchema(media.schema ?? {});
    if (body.required) body.required = body.required.filter((name) => !without.has(name));
    if (body.required?.length === 0) delete body.required;
    properties.body = body;
    if (requestBody.required) required.push("body");
  }
  return { type: "object", properties, ...(required.length ? { required } : {}), additionalProperties: false };
}

/**
 * The wire's view of every operation's input (credentials included), for the fakes' request checks: `requests`
 * covers the parameters and a form body (text on the wire, so it is coerced), `jsonBodies` a JSON body (never coerced).
 */
export function wireCallSchemas(full) {
  const requests = {};
  const jsonBodies = {};
  for (const { op: rawOp, itemParams } of operationsOf(full)) {
    const op = deref(full, rawOp);
    const [contentType, media] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
    const json = contentType !== undefined && /json/.test(contentType);
    requests[op.operationId] = callSchema([...deref(full, itemParams), ...(op.parameters ?? [])], json ? undefined : op.requestBody);
    if (json) jsonBodies[op.operationId] = validationSchema(media.schema ?? {});
  }
  return { requests, jsonBodies };
}

/**
 * Provider-wide facts for the runtime: the spec's info.x-streamspec plus its servers. The placeholder factory
 * options are for the docs' code samples only (scripts read them from the spec), and the environment map is for
 * the command line only (it reads the spec at run time), so both stay out of the bundle.
 */
export function providerInfo(full) {
  const { options: _samplesOnly, env: _cliOnly, ...facts } = full.info["x-streamspec"] ?? {};
  return {
    title: full.info.title,
    servers: (full.servers ?? []).map((s) => s.url),
    ...facts,
  };
}
