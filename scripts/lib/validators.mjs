// Compiles every operation's input schema into plain ES-module validators (Ajv standalone, JSON Schema 2020-12):
// no Ajv, no eval and no `new Function` at run time, so they run where code generation from strings is forbidden
// (Cloudflare Workers, strict CSP pages). Ajv's strict mode makes an unknown keyword or format fail the
// generation instead of being dropped silently.
import { createRequire } from "node:module";
import { build, transform } from "esbuild";
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

// Ajv's run-time helpers that are each one self-contained function (ucs2length: code points; equal:
// fast-deep-equal). They are written once, as their own source, into generated/ajv-runtime.ts (RUNTIME), which
// every compiled module imports: bundled as CommonJS, each provider bundle would also carry esbuild's CommonJS
// wrappers (about 300 B gzip). Any other helper is bundled as before.
const SELF_CONTAINED = new Map([
  ["ajv/dist/runtime/ucs2length", "ucs2length"],
  ["ajv/dist/runtime/equal", "equal"],
]);
const requireHere = createRequire(import.meta.url);
/** The one module of helpers the compiled validators share (generated/ajv-runtime.ts), as they import it. */
const RUNTIME = "./ajv-runtime.js";

/** One error record (Ajv's shape) added to the list, which is created by the first; see tidy(). */
const ERROR_HELPER =
  "/** One error record (Ajv's shape) added to the list, which is created by the first. */\n" +
  'export function __ajvError(vErrors, instancePath, keyword, params, schemaPath = "") {\n' +
  "  const error = { instancePath, schemaPath, keyword, params };\n" +
  "  if (vErrors === null) return [error];\n" +
  "  vErrors.push(error);\n" +
  "  return vErrors;\n" +
  "}\n";

/** The source of generated/ajv-runtime.ts's code: the error helper and Ajv's self-contained helpers. */
export function ajvRuntimeSource() {
  const helpers = [...SELF_CONTAINED].map(([module, name]) => `export const ${name} = ${requireHere(module).default.toString()};\n`);
  return [ERROR_HELPER, ...helpers].join("\n");
}

/** Ajv's standalone code as tokens: string literals and the code between them (it writes no template or regex literals). */
function tokens(source) {
  if (source.includes("`")) throw new Error("unexpected template literal in Ajv's standalone code");
  const out = [];
  let code = "";
  for (let i = 0; i < source.length; ) {
    const quote = source[i];
    if (quote !== '"' && quote !== "'") {
      code += source[i++];
      continue;
    }
    let j = i + 1;
    for (; source[j] !== quote; j++) {
      if (j >= source.length) throw new Error("unterminated string in Ajv's standalone code");
      if (source[j] === "\\") j++;
    }
    out.push({ code }, { string: source.slice(i, j + 1) });
    code = "";
    i = j + 1;
  }
  out.push({ code });
  return out;
}

/**
 * Smaller validators, same verdicts and the same issues (src/core/validate.ts reads `schemaPath` only to
 * tell what lies inside an anyOf/oneOf alternative):
 * - a value Ajv reads out of an embedded schema object (an enum's allowedValues, a type list) is written in as a
 *   literal, so the schema objects themselves drop out of the module;
 * - `schemaPath` is kept only where it runs through an anyOf/oneOf; elsewhere it is "".
 */
function compact(source) {
  const schemas = new Map();
  for (const [, name, json] of source.matchAll(/^const (schema\d+) = (\{.*\});$/gm)) {
    try {
      schemas.set(name, JSON.parse(json));
    } catch {
      // not plain JSON: that schema stays referenced as it is
    }
  }
  const at = (value, path) => path.reduce((node, key) => (node !== null && typeof node === "object" && Object.hasOwn(node, key) ? node[key] : undefined), value);
  const list = tokens(source);
  return list
    .map((t, i) => {
      if (t.string !== undefined) {
        const before = list[i - 1]?.code ?? "";
        if (/\bschemaPath: ?$/.test(before) && !/anyOf|oneOf/.test(t.string)) return '""';
        return t.string;
      }
      return t.code.replace(/(?<![\w$.])(schema\d+)((?:\.[A-Za-z_$][\w$]*)+)/g, (whole, name, path) => {
        const value = schemas.has(name) ? at(schemas.get(name), path.slice(1).split(".")) : undefined;
        return value === undefined ? whole : JSON.stringify(value);
      });
    })
    .join("");
}

/**
 * Ajv's standalone code with its boilerplate written shorter; each rewrite is mechanically equivalent, and the
 * generation fails if the code is not shaped as expected:
 * - `const errN = {...}; if (vErrors === null) { vErrors = [errN]; } else { vErrors.push(errN); }` becomes
 *   `(vErrors ??= []).push({...});` (errN is read nowhere else);
 * - the 2020-12 `evaluated` bookkeeping (for unevaluated* and $dynamicRef, which no spec uses) is dropped when every
 *   validator's record is the constant `{ props: true, dynamicProps: false, dynamicItems: false }`: then its
 *   preamble does nothing and nothing else reads it;
 * - destructured options no validator reads (parentData, rootData, dynamicAnchors…) leave the signature.
 */
/** Whether `text` is one bracketed expression (`{...}` or `[...]`) that closes only at its end (strings skipped). */
function oneExpression(text) {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      for (i++; text[i] !== c; i++) if (text[i] === "\\") i++;
    } else if (c === "{" || c === "[" || c === "(") depth++;
    else if (c === "}" || c === "]" || c === ")") {
      depth--;
      if (depth === 0 && i !== text.length - 1) return false;
    } else if (depth === 0) return false;
  }
  return depth === 0;
}

export function tidy(source) {
  let out = source.replace(
    /^(\s*)const (err\d+) = (\{.*\});\n\s*if \(vErrors === null\) \{\n\s*vErrors = \[\2\];\n\s*\} else \{\n\s*vErrors\.push\(\2\);\n\s*\}$/gm,
    (whole, indent, name, object) => {
      if (source.split(new RegExp(`\\b${name}\\b`)).length - 1 !== 3 * (source.match(new RegExp(`^\\s*const ${name} = `, "gm")) ?? []).length) {
        throw new Error(`tidy: ${name} is read outside its push`);
      }
      return `${indent}(vErrors ??= []).push(${object});`;
    },
  );
  if (/vErrors = \[err\d+\]/.test(out)) throw new Error("tidy: an error push was not rewritten");
  const records = out.match(/^validate\d+\.evaluated = .*$/gm) ?? [];
  if (records.every((r) => / = \{ "props": true, "dynamicProps": false, "dynamicItems": false \};$/.test(r))) {
    out = out
      .replace(/^validate\d+\.evaluated = .*\n/gm, "")
      .replace(
        /^\s*const evaluated0 = validate\d+\.evaluated;\n\s*if \(evaluated0\.dynamicProps\) \{\n\s*evaluated0\.props = void 0;\n\s*\}\n\s*if \(evaluated0\.dynamicItems\) \{\n\s*evaluated0\.items = void 0;\n\s*\}\n/gm,
        "",
      );
    if (/\bevaluated\d*\b/.test(out)) throw new Error("tidy: `evaluated` is still read");
  }
  const SIGNATURE = /^(function validate\d+\(data, \{ )instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = \{\} (\} = \{\}\) \{)$/gm;
  const rest = out.replace(SIGNATURE, "");
  const kept = ["parentData", "parentDataProperty", "rootData", "dynamicAnchors"].filter((n) => new RegExp(`\\b${n}\\b`).test(rest));
  const names = ['instancePath = ""', ...kept.map((n) => (n === "rootData" ? "rootData = data" : n === "dynamicAnchors" ? "dynamicAnchors = {}" : n))];
  out = out.replace(SIGNATURE, (_, head, tail) => `${head}${names.join(", ")} ${tail}`);
  out = out.replace(/^(function validate\d+\(.*\{)\n\s*;\n/gm, "$1\n");
  // Called only as validate(data) (CompiledValidator; no validator calls another), so instancePath is always "".
  if (!kept.length && !/\bvalidate\d+\((?!data, \{ instancePath = "" \} = \{\}\) \{$)/m.test(out.replace(/^var op\d+ = validate\d+;$/gm, ""))) {
    out = out
      .replace(/^(function validate\d+)\(data, \{ instancePath = "" \} = \{\}\) \{$/gm, "$1(data) {")
      .replace(/\binstancePath \+ (?=")/g, "")
      .replace(/\{ instancePath, /g, '{ instancePath: "", ')
      .replace(/(?<![\w$.])instancePath(?=[,)])/g, '""');
    if (/(?<![\w$.])instancePath(?!: )/.test(out)) throw new Error("tidy: instancePath is still read");
  }
  // Every plain error record is built by one function instead of an object literal at each site.
  const PUSH = /^(\s*)\(vErrors \?\?= \[\]\)\.push\(\{ instancePath(?:: (.+?))?, schemaPath: ("(?:[^"\\]|\\.)*"), keyword: ("[A-Za-z]+"), params: (.*) \}\);$/gm;
  let pushes = 0;
  out = out.replace(PUSH, (whole, indent, path = "instancePath", schemaPath, keyword, params) => {
    if (!oneExpression(params)) return whole; // more keys follow params (propertyName): left as Ajv wrote it
    pushes++;
    return `${indent}vErrors = __ajvError(vErrors, ${path}, ${keyword}, ${params}${schemaPath === '""' ? "" : `, ${schemaPath}`});`;
  });
  if (!pushes) return out;
  return `import { __ajvError } from ${JSON.stringify(RUNTIME)};\n` + out;
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
  source = compact(source);
  // Ajv's ESM output still `require`s its run-time helpers (ajv issue #2209): turn them into imports for esbuild,
  // or into the helper's own source (SELF_CONTAINED).
  const modules = [];
  const inlined = [];
  source = source.replace(/require\("([^"]+)"\)/g, (_, name) => {
    if (SELF_CONTAINED.has(name)) {
      const id = `__ajvInline${inlined.length}`;
      inlined.push(`import { ${SELF_CONTAINED.get(name)} as ${id}_fn } from ${JSON.stringify(RUNTIME)};\nconst ${id} = { default: ${id}_fn };`);
      return id;
    }
    modules.push(name);
    return `__ajv${modules.length - 1}`;
  });
  const imports = [...modules.map((name, i) => `import * as __ajv${i} from ${JSON.stringify(name)};`), ...inlined].join("\n");
  // One export, the index: the per-operation names stay module-private.
  source = source.replace(/^export const /gm, "const ");
  return `${imports}\n${source}\nexport const validators = { ${ids.map((id, i) => `${JSON.stringify(id)}: op${i}`).join(", ")} };\n`;
}

/**
 * ES-module source whose exports are validator indexes: for every group, `name` → { operationId → validate
 * function } (Ajv's: returns a boolean, sets `.errors`). It imports only the shared helpers of
 * generated/ajv-runtime.ts (ajvRuntimeSource); it ends with `export { <names> };`.
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
      b.onResolve({ filter: /^\.\/ajv-runtime\.js$/ }, (args) => ({ path: args.path, external: true }));
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
  const code = tidy(result.outputFiles[0].text);
  await transform(code, { loader: "js", format: "esm", logLevel: "silent" }); // tidy's output must still parse
  // (A `require(` inside a string, or esbuild's own `__require` wrapper name, is not a call of Node's require.)
  if (/(?<![\w.'"])require\(|\bnew Function\b|(?<![\w.])eval\(/.test(code)) throw new Error("compiled validators still need require/eval at run time");
  return code;
}
