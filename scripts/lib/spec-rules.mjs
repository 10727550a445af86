// The project's own spec rules that Redocly's configurable rules cannot express (they need the HTTP method an
// operation sits under, or must look at every node of the document). See specs/CONVENTIONS.md.

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];
// Methods HTTP itself defines as safe: repeating them changes nothing, so they need no stated reason.
const SAFE_METHODS = new Set(["get", "head", "options", "trace"]);

const pointer = (parts) => `#/${parts.map((p) => String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;
const nonEmptyString = (v) => typeof v === "string" && v.trim() !== "";

/**
 * @param {any} spec a parsed spec
 * @returns {{ pointer: string, rule: string, message: string }[]}
 */
export function specRuleProblems(spec) {
  const problems = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op) continue;
      const at = pointer(["paths", path, method]);
      const reason = op["x-retry-safe-reason"];
      if (op["x-retry-safe"] === true && !SAFE_METHODS.has(method) && !nonEmptyString(reason)) {
        problems.push({
          pointer: at,
          rule: "retry-safe-reason",
          message: `${method.toUpperCase()} ${path} is x-retry-safe: true, so it needs x-retry-safe-reason: a string saying, from the documents, why repeating it cannot change anything twice`,
        });
      }
      if (reason !== undefined && op["x-retry-safe"] !== true) {
        problems.push({ pointer: at, rule: "retry-safe-reason", message: `x-retry-safe-reason belongs only to operations marked x-retry-safe: true` });
      }
      if (reason !== undefined && !nonEmptyString(reason)) {
        problems.push({ pointer: at, rule: "retry-safe-reason", message: `x-retry-safe-reason must be a non-empty string` });
      }
    }
  }
  // x-undocumented may sit on any node (operation, response, example, schema, property, parameter): it is the
  // reason we assume what no document gives, so it must be a sentence.
  (function walk(node, parts) {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, [...parts, i]));
    if (!node || typeof node !== "object") return;
    for (const [k, v] of Object.entries(node)) {
      if (k === "x-undocumented" && !nonEmptyString(v)) {
        problems.push({ pointer: pointer([...parts, k]), rule: "undocumented-reason", message: `x-undocumented must be a non-empty string: why we assume what no document gives` });
      }
      walk(v, [...parts, k]);
    }
  })(spec, []);
  return problems;
}
