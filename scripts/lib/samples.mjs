// Builds, from a spec alone, what the docs show besides Redoc's own rendering: a TypeScript call of every
// operation through streamspec (x-codeSamples) and a curl line for the local mock.
import { deref, operationsOf } from "./operation-index.mjs";

export { operationsOf };

/** An example value for a schema: its example, default, first enum value, or a plain value of its type. */
export function exampleOf(schema = {}, name = "value") {
  if (schema.examples?.length) return schema.examples[0];
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const alt = schema.oneOf?.[0] ?? schema.anyOf?.[0];
  if (alt) return exampleOf(alt, name);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "integer":
    case "number":
      return schema.minimum ?? 1;
    case "boolean":
      return true;
    case "array":
      return [exampleOf(schema.items, name)];
    case "object":
      return Object.fromEntries((schema.required ?? []).map((k) => [k, exampleOf(schema.properties?.[k], k)]));
    default:
      return schema.format === "uri" ? "https://example.com/callback" : name;
  }
}

function paramsOf(spec, entry) {
  const op = deref(spec, entry.op);
  return [...deref(spec, entry.itemParams), ...(op.parameters ?? [])];
}

function paramValue(p) {
  return p.example ?? (p.examples ? Object.values(p.examples)[0]?.value : undefined) ?? exampleOf(p.schema, p.name);
}

function requestBodyOf(spec, entry) {
  const op = deref(spec, entry.op);
  const [mediaType, media] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
  if (!mediaType) return undefined;
  const value = media.example ?? (media.examples ? Object.values(media.examples)[0]?.value : undefined) ?? exampleOf(media.schema);
  const internal = new Set(Object.entries(media.schema?.properties ?? {}).filter(([, s]) => s["x-internal"]).map(([k]) => k));
  return { mediaType, value, internal, required: Boolean(op.requestBody.required) };
}

const ident = /^[A-Za-z_$][\w$]*$/;
function ts(value, indent = "") {
  if (Array.isArray(value)) return `[${value.map((v) => ts(v, indent)).join(", ")}]`;
  if (value && typeof value === "object") {
    const inner = `${indent}  `;
    const entries = Object.entries(value).map(([k, v]) => `${inner}${ident.test(k) ? k : JSON.stringify(k)}: ${ts(v, inner)}`);
    return entries.length ? `{\n${entries.join(",\n")},\n${indent}}` : "{}";
  }
  return JSON.stringify(value);
}

/** The TypeScript a user writes to call one operation: factory, named operation, typed init from the examples. */
export function codeSample(spec, providerName, entry) {
  const meta = spec.info["x-streamspec"] ?? {};
  const op = deref(spec, entry.op);
  const init = {};
  const params = {};
  for (const p of paramsOf(spec, entry)) {
    if (p["x-internal"] || (!p.required && p.in !== "path" && p.example === undefined)) continue;
    (params[p.in] ??= {})[p.name] = paramValue(p);
  }
  if (Object.keys(params).length) init.params = params;
  const body = requestBodyOf(spec, entry);
  if (body) {
    let value = body.value;
    if (value && typeof value === "object" && !Array.isArray(value)) {
      value = Object.fromEntries(Object.entries(value).filter(([k]) => !body.internal.has(k)));
    }
    // A body left empty once the client-supplied fields are gone is not the caller's to send.
    const empty = value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0;
    if (value !== undefined && !empty) init.body = value;
  }
  const client = providerName;
  const call = Object.keys(init).length ? `${client}.${op.operationId}(${ts(init)})` : `${client}.${op.operationId}()`;
  return [
    `import { ${meta.factory} } from "streamspec/${providerName}";`,
    "",
    `const ${client} = ${meta.factory}(${ts(meta.options ?? {})});`,
    "",
    `const result = await ${call};`,
    "console.log(result);",
    "",
  ].join("\n");
}

function shellQuote(s) {
  return `'${String(s).replace(/'/g, `'\\''`)}'`;
}

/** A curl line that Prism accepts for this operation, credentials included as placeholders. */
export function curlLine(spec, entry, baseUrl) {
  const op = deref(spec, entry.op);
  let path = entry.path;
  const query = new URLSearchParams();
  const args = ["curl", "-i", "-X", entry.method.toUpperCase()];
  for (const p of paramsOf(spec, entry)) {
    if (!p.required) continue;
    const v = paramValue(p);
    if (p.in === "path") path = path.replace(`{${p.name}}`, encodeURIComponent(Array.isArray(v) ? v.join(",") : v).replace(/%2C/g, ","));
    else if (p.in === "query") query.set(p.name, String(v));
    else if (p.in === "header") args.push("-H", shellQuote(`${p.name}: ${v}`));
  }
  const security = op.security ?? spec.security ?? [];
  for (const requirement of security) {
    for (const name of Object.keys(requirement)) {
      const scheme = deref(spec, spec.components.securitySchemes[name]);
      if (scheme.type === "http" && scheme.scheme === "basic") args.push("-u", shellQuote("YOUR_KEY:YOUR_SECRET"));
      else if (scheme.type === "http") args.push("-H", shellQuote("Authorization: Bearer YOUR_TOKEN"));
      else if (scheme.type === "apiKey" && scheme.in === "header") args.push("-H", shellQuote(`${scheme.name}: YOUR_KEY`));
      else if (scheme.type === "apiKey" && scheme.in === "query") query.set(scheme.name, "YOUR_KEY");
    }
  }
  const body = requestBodyOf(spec, entry);
  if (body) {
    args.push("-H", shellQuote(`content-type: ${body.mediaType}`));
    if (body.mediaType === "application/x-www-form-urlencoded") {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(body.value ?? {})) form.set(k, String(v));
      args.push("--data", shellQuote(form.toString()));
    } else {
      args.push("--data", shellQuote(JSON.stringify(body.value)));
    }
  }
  const qs = query.toString();
  args.push(shellQuote(`${baseUrl}${path}${qs ? `?${qs}` : ""}`));
  return args.join(" ");
}
