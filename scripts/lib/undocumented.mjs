// The docs make every `x-undocumented` visible: what no source document gives, and why we assume it, is said
// on the page next to the thing itself (an operation, response, example, schema, property or parameter).
// They also show why a retried non-GET operation may be sent again (`x-retry-safe-reason`).

export const UNDOCUMENTED_LABEL = "Not documented by the provider:";

/** The note shown for an `x-undocumented` reason. */
export function undocumentedNote(reason) {
  return `**${UNDOCUMENTED_LABEL}** assumed because ${reason.trim()}`;
}

// An Example Object's summary is what Redoc shows in its example picker.
const isExample = (node) => "value" in node || "externalValue" in node;

export const RETRY_LABEL = "Retried by the client after a failure, because:";

/**
 * Appends each operation's `x-retry-safe-reason` to its description, so the docs say why a non-GET operation
 * may be sent again. Changes `spec` in place.
 */
export function showRetryReasons(spec) {
  for (const item of Object.values(spec.paths ?? {})) {
    for (const op of Object.values(item ?? {})) {
      const reason = op?.["x-retry-safe-reason"];
      if (typeof reason !== "string" || reason.trim() === "") continue;
      op.description = `${op.description ? `${op.description.trimEnd()}\n\n` : ""}**${RETRY_LABEL}** ${reason.trim()}`;
    }
  }
}

/**
 * Prepends the note to the description of every node that carries `x-undocumented` (and, for an example, marks
 * its summary too). Changes `spec` in place: call it on the docs' own copy.
 * @returns {number} how many nodes were marked
 */
export function markUndocumented(spec) {
  let marked = 0;
  const seen = new Set();
  (function walk(node) {
    if (!node || typeof node !== "object" || seen.has(node)) return;
    seen.add(node); // YAML aliases share one object: mark it once
    if (Array.isArray(node)) return node.forEach(walk);
    const reason = node["x-undocumented"];
    if (typeof reason === "string" && reason.trim() !== "") {
      const note = undocumentedNote(reason);
      node.description = typeof node.description === "string" && node.description.trim() !== "" ? `${note}\n\n${node.description}` : note;
      if (isExample(node)) node.summary = `[Not documented] ${node.summary ?? ""}`.trim();
      marked++;
    }
    for (const [key, value] of Object.entries(node)) if (key !== "x-undocumented") walk(value);
  })(spec);
  return marked;
}
