// Compiles every operation's input schema into plain ES-module validators (Ajv standalone, JSON Schema 2020-12):
// no Ajv, no eval and no `new Function` at run time, so they run where code generation from strings is forbidden
// (Cloudflare Workers, strict CSP pages). Ajv's strict mode makes an unknown keyword or format fail the
// generation instead of being dropped silently.
import { build } from "esbuild";
import Ajv2020 from "ajv/dist/2020.js";
import standaloneCode from "ajv/dist/standalone/index.js";
import { formatRegexes } from "./formats.mjs";
import { root } from "./registry.mjs";

// Keywords that say nothing about validity. Everything else goes to Ajv, which refuses what it cannot enforce.
const ANNOTATIONS = new Set([
  "title", "description", "example", "examples", "default", "deprecated", "readOnly", "writeOnly", "$comment",
  "externalDocs", "xml",
]);
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "$defs", "dependentSchemas"]);
const SCHEMA_LISTS = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
const SCHEMA_VALUES = new Set([
  "items", "additionalProperties", "not", "propertyNames", "contains", "if", "then", "else",
  "unevaluatedProperties", "unevaluatedItems", "contentSchema",
]);

/** A dereferenced OpenAPI schema reduced to its assertions (annotations and x- extensions removed). */
export function validationSchema(schema) {
  if (typeof schema === "boolean") return schema;
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) throw new Error(`not a schema: ${JSON.stringify(schema)}`);
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key) || key.startsWith("x-")) continue;
    if (SCHEMA_MAPS.has(key)) out[key] = Object.fromEntries(Object.entries(value).map(([k, s]) => [k, validationSchema(s)]));
    else if (SCHEMA_LISTS.has(key)) out[key] = value.map(validationSchema);
    else if (SCHEMA_VALUES.has(key)) out[key] = validationSchema(value);
    else out[key] = value;
  }
  return out;
}

/** The formats a set of schemas names. */
function formatsIn(node, found = new Set()) {
  if (Array.isArray(node)) node.forEach((n) => formatsIn(n, found));
  else if (node && typeof node === "object") {
    if (typeof node.format === "string") found.add(node.format);
    for (const value of Object.values(node)) formatsIn(value, found);
  }
  return found;
}

/**
 * The Ajv every validator is compiled with (the tests interpret the specs' schemas with the same settings).
 * @param {object[]} schemas the schemas it will compile, for their formats
 */
export function createAjv(schemas, { coerceTypes = false, source = false } = {}) {
  const ajv = new Ajv2020({
    strict: true,
    allowUnionTypes: true, // `type: [integer, string]` is how the specs say "a number, or its text"
    allErrors: true, // report every broken rule, not the first
    ownProperties: true, // `constructor`, `__proto__`… are data keys, never inherited ones
    messages: false, // the client words the issues itself (src/core/validate.ts)
    coerceTypes,
    ...(source ? { code: { source: true, esm: true, lines: true } } : {}),
  });
  for (const [name, regex] of Object.entries(formatRegexes(formatsIn(schemas)))) ajv.addFormat(name, regex);
  return ajv;
}

function standalone(schemas, coerceTypes) {
  const ajv = createAjv(Object.values(schemas), { coerceTypes, source: true });
  const exported = {};
  const ids = Object.keys(schemas);
  ids.forEach((id, i) => {
    ajv.addSchema({ $id: `op:${id}`, ...schemas[id] });
    exported[`op${i}`] = `op:${id}`; // an operationId need not be a usable identifier
  });
  let source = standaloneCode(ajv, exported);
  // Ajv's ESM output still `require`s its run-time helpers (ajv issue #2209): turn them into imports for esbuild.
  const modules = [];
  source = source.replace(/require\("([^"]+)"\)/g, (_, name) => {
    modules.push(name);
    return `__ajv${modules.length - 1}`;
  });
  const imports = modules.map((name, i) => `import * as __ajv${i} from ${JSON.stringify(name)};`).join("\n");
  // One export, the index: the per-operation names stay module-private.
  source = source.replace(/^export const /gm, "const ");
  return `${imports}\n${source}\nexport const validators = { ${ids.map((id, i) => `${JSON.stringify(id)}: op${i}`).join(", ")} };\n`;
}

/**
 * ES-module source whose exports are validator indexes: for every group, `name` → { operationId → validate
 * function } (Ajv's: returns a boolean, sets `.errors`). Ajv's small run-time helpers (code-point length, deep
 * equality) are bundled in by esbuild, so the module imports nothing; it ends with `export { <names> };`.
 * @param {Record<string, { schemas: Record<string, object>, coerceTypes?: boolean }>} groups
 */
export async function compileValidators(groups) {
  const names = Object.keys(groups);
  const sources = names.map((name) => standalone(groups[name].schemas, groups[name].coerceTypes ?? false));
  // The groups are virtual modules, and paths are relative to the project, so the output (which names its
  // modules in comments) is the same on every machine and checkout: `generate --check` compares it byte for byte.
  const virtual = {
    name: "validator-groups",
    setup(b) {
      b.onResolve({ filter: /^group:\d+$/ }, (args) => ({ path: args.path, namespace: "validators" }));
      b.onLoad({ filter: /.*/, namespace: "validators" }, (args) => ({
        contents: sources[Number(args.path.slice("group:".length))],
        loader: "js",
        resolveDir: root,
      }));
    },
  };
  const result = await build({
    stdin: { contents: names.map((name, i) => `export { validators as ${name} } from "group:${i}";\n`).join(""), sourcefile: "validators.js", resolveDir: root },
    absWorkingDir: root,
    preserveSymlinks: true, // a linked node_modules (a worktree's) must not change the paths written in comments
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    mainFields: ["main"],
    plugins: [virtual],
    legalComments: "inline",
    logLevel: "silent",
  });
  const code = result.outputFiles[0].text;
  // (A `require(` inside a string, or esbuild's own `__require` wrapper name, is not a call of Node's require.)
  if (/(?<![\w.'"])require\(|\bnew Function\b|(?<![\w.])eval\(/.test(code)) throw new Error("compiled validators still need require/eval at run time");
  return code;
}
