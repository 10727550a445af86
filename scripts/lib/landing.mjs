// docs/index.html: one section per provider, every fact read from its spec (no hand-written copy).
import { deref } from "./operation-index.mjs";
import { curlLine, operationsOf } from "./samples.mjs";

const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

/** Just enough Markdown for spec descriptions: paragraphs, `code` and **bold**. */
function markdown(text) {
  return String(text ?? "")
    .trim()
    .split(/\n\s*\n/)
    .map((para) => `<p>${esc(para).replace(/`([^`]+)`/g, "<code>$1</code>").replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")}</p>`)
    .join("\n");
}

function authOf(spec) {
  const parts = [];
  for (const [name, raw] of Object.entries(spec.components?.securitySchemes ?? {})) {
    const s = deref(spec, raw);
    const kind = s.type === "http" ? `HTTP ${s.scheme === "basic" ? "Basic" : "Bearer"}` : s.type === "apiKey" ? `API key in ${s.in} <code>${esc(s.name)}</code>` : esc(s.type);
    parts.push(`${kind} (<code>${esc(name)}</code>)`);
  }
  const internal = new Set();
  for (const entry of operationsOf(spec)) {
    const op = deref(spec, entry.op);
    for (const p of [...deref(spec, entry.itemParams), ...(op.parameters ?? [])]) if (p["x-internal"]) internal.add(`${p.name} (${p.in})`);
    for (const media of Object.values(op.requestBody?.content ?? {})) {
      for (const [k, s] of Object.entries(media.schema?.properties ?? {})) if (s["x-internal"]) internal.add(`${k} (body)`);
    }
  }
  if (internal.size) parts.push(`fields the client supplies: ${[...internal].map((f) => `<code>${esc(f)}</code>`).join(", ")}`);
  return parts.join("; ") || "none";
}

/** The rendered page's deep link to an operation: #/<tag slug>/<operationid, lower case>. */
const slug = (s) => String(s).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
export const operationAnchor = (op) => `#/${op.tags?.length ? `${slug(op.tags[0])}/` : ""}${op.operationId.toLowerCase()}`;

function section({ provider, spec, page, mock }) {
  const entries = operationsOf(spec);
  const rows = entries
    .map((e) => {
      const op = deref(spec, e.op);
      const retry = op["x-retry-safe"] ? "yes" : "never";
      return `<tr><td><span class="m m-${e.method}">${e.method.toUpperCase()}</span></td><td><code>${esc(e.path)}</code></td>` +
        `<td><a href="${page}${operationAnchor(op)}">${esc(op.summary)}</a><br><code class="id">${esc(op.operationId)}</code></td><td class="r-${retry}">${retry}</td></tr>`;
    })
    .join("\n");
  const sampleEntry = entries.find((e) => deref(spec, e.op)["x-retry-safe"] && e.method === "get") ?? entries.find((e) => deref(spec, e.op)["x-retry-safe"]) ?? entries[0];
  const servers = (spec.servers ?? []).map((s) => `<li><code>${esc(s.url)}</code>${s.description ? ` — ${esc(s.description)}` : ""}</li>`).join("");
  return `<section id="${esc(provider.name)}">
<h2><a href="${page}">${esc(spec.info.title)}</a> <small>${esc(provider.alias)} · ${entries.length} operations</small></h2>
${spec.info.summary ? `<p class="summary">${esc(spec.info.summary)}</p>` : ""}
<details><summary>About this API</summary>${markdown(spec.info.description)}</details>
<dl>
<dt>Servers</dt><dd><ul>${servers || "<li>none: pass <code>baseUrl</code></li>"}</ul></dd>
<dt>Auth</dt><dd>${authOf(spec)}</dd>
<dt>Client</dt><dd><code>import { ${esc(spec.info["x-streamspec"]?.factory)} } from "streamspec/${esc(provider.name)}"</code></dd>
<dt>Local mock</dt><dd><code>${esc(mock)}</code> (started by <code>npm start</code>)<pre>${esc(curlLine(spec, sampleEntry, mock))}</pre></dd>
</dl>
<table><thead><tr><th>Method</th><th>Path</th><th>Operation</th><th>Client retries</th></tr></thead><tbody>
${rows}
</tbody></table>
</section>`;
}

export function landingPage(pages) {
  const nav = pages.map((p) => `<a href="#${esc(p.provider.name)}">${esc(p.spec.info.title)}</a>`).join(" · ");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>streamspec API docs</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2433;background:#f6f7fb}
header{background:#1d2433;color:#fff;padding:24px 32px}header h1{margin:0 0 4px;font-size:24px}header p{margin:0;color:#c9d1e4}
nav{padding:10px 32px;background:#fff;border-bottom:1px solid #e3e6ef}nav a{color:#3451b2;text-decoration:none}
main{padding:8px 32px 40px;max-width:1100px}section{background:#fff;border:1px solid #e3e6ef;border-radius:8px;padding:4px 24px 20px;margin:20px 0}
h2 a{color:#1d2433}h2 small{font-weight:400;color:#6b7389;font-size:14px}.summary{color:#404a61}
dl{display:grid;grid-template-columns:110px 1fr;gap:6px 12px}dt{font-weight:600;color:#6b7389}dd{margin:0}dd ul{margin:0;padding-left:18px}
pre{background:#f1f3f8;padding:8px 10px;border-radius:6px;white-space:pre-wrap;word-break:break-all;font-size:12.5px;margin:6px 0 0}
table{border-collapse:collapse;width:100%;margin-top:12px}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eef0f5;vertical-align:top}
th{font-size:12px;text-transform:uppercase;color:#6b7389}code.id{color:#6b7389;font-size:12px}
.m{display:inline-block;min-width:54px;text-align:center;border-radius:4px;color:#fff;font-size:11px;font-weight:700;padding:2px 4px}
.m-get{background:#2f8132}.m-post{background:#186fb3}.m-delete{background:#c33}.m-put,.m-patch{background:#95507c}
.r-yes{color:#2f8132}.r-never{color:#a5521b}details summary{cursor:pointer;color:#3451b2}
</style></head>
<body>
<header><h1>streamspec API docs</h1><p>Typed TypeScript clients for live-streaming platform APIs, generated from hand-written OpenAPI 3.1 specs.</p></header>
<nav>${nav}</nav>
<main>
${pages.map(section).join("\n")}
</main>
</body></html>
`;
}
