// Plain-text tables for the console.

/** Left-aligned first column(s), right-aligned numbers; `rows` are arrays of strings. */
export function table(headers, rows, { align } = {}) {
  const all = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((r) => String(r[i] ?? "").length)));
  const right = align ?? headers.map((_, i) => i > 0);
  const line = (r) => r.map((cell, i) => (right[i] ? String(cell ?? "").padStart(widths[i]) : String(cell ?? "").padEnd(widths[i]))).join("  ").trimEnd();
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** 12345 → "12.3k", 1234567 → "1.23M". */
export function si(x) {
  if (!Number.isFinite(x)) return "n/a";
  const abs = Math.abs(x);
  if (abs >= 1e6) return `${(x / 1e6).toPrecision(3)}M`;
  if (abs >= 1e3) return `${(x / 1e3).toPrecision(3)}k`;
  return x >= 100 ? x.toFixed(0) : x.toPrecision(3);
}

export function fixed(x, digits = 2) {
  return Number.isFinite(x) ? x.toFixed(digits) : "n/a";
}

/** "median [min–max]" of a figure, each through `fmt`. */
export function range(f, fmt = si) {
  if (!f) return "n/a";
  return `${fmt(f.median)} [${fmt(f.min)}–${fmt(f.max)}]`;
}

export const verdict = (f) => (f?.met === undefined ? "" : f.met === null ? "INCONCLUSIVE" : f.met ? "met" : "MISSED");
