// Small statistics and timing helpers shared by every section of the bench.

/** { median, min, max } of a list of numbers (the median of an even count is the mean of the middle two). */
export function summary(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0 };
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted.at(-1), n: sorted.length };
}

/** A figure for results.json: the summary of `values` with its unit, and a target when there is one. */
export function figure(values, unit, target) {
  const s = summary(values);
  const out = { median: round(s.median), min: round(s.min), max: round(s.max), unit, runs: s.n };
  if (target) {
    out.target = target;
    out.met = target.max !== undefined ? s.median <= target.max : s.median >= target.min;
  }
  return out;
}

export function round(x, digits = 4) {
  if (!Number.isFinite(x)) return x;
  const abs = Math.abs(x);
  const d = abs >= 1000 ? 0 : abs >= 100 ? 1 : abs >= 1 ? Math.min(digits, 3) : digits;
  return Number(x.toFixed(d));
}

/**
 * Calls `fn` (async, one call per invocation) back to back for about `budgetMs` and returns the mean time per
 * call in microseconds. The clock is read once per batch so it costs nothing next to a call.
 */
export async function timePerCall(fn, budgetMs, batch = 32) {
  let calls = 0;
  const start = performance.now();
  const end = start + budgetMs;
  let now = start;
  while (now < end) {
    for (let i = 0; i < batch; i++) await fn();
    calls += batch;
    now = performance.now();
  }
  return ((now - start) * 1000) / calls;
}

/** The same for synchronous functions. */
export function timePerCallSync(fn, budgetMs, batch = 256) {
  let calls = 0;
  const start = performance.now();
  const end = start + budgetMs;
  let now = start;
  while (now < end) {
    for (let i = 0; i < batch; i++) fn();
    calls += batch;
    now = performance.now();
  }
  return ((now - start) * 1000) / calls;
}

/**
 * Runs `variants` ({ name: asyncFn }) for `rounds` rounds of `budgetMs` each, interleaved (each round visits
 * every variant once, in an order rotated from round to round), after a warm-up of every variant.
 * Returns { name: [µs per call, one per round] }.
 */
export async function interleaved(variants, { rounds, budgetMs, warmupMs, measure = timePerCall }) {
  const names = Object.keys(variants);
  for (const name of names) await measure(variants[name], warmupMs);
  const out = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + r) % names.length];
      out[name].push(await measure(variants[name], budgetMs));
    }
  }
  return out;
}

/**
 * A target ratio's two sides, measured side by side: each of `rounds` rounds runs `a` and `b` in alternating slices
 * of `sliceMs` (a, b, a, b, …; which goes first alternates too) until each has had `budgetMs`, and its ratio is
 * a's total time per call over b's. On a shared VM the machine's speed moves from one second to the next (one
 * variant's 250 ms rounds varied 4x within a run): slices a few tens of ms apart see the same machine, where whole
 * rounds of seven variants are up to two seconds apart. → [ratio per round]
 */
export async function pairedRatios(a, b, { rounds, budgetMs, sliceMs = 25, measure = timePerCall }) {
  const out = [];
  for (let r = 0; r < rounds; r++) {
    let sumA = 0;
    let sumB = 0;
    for (let spent = 0; spent < budgetMs; spent += sliceMs) {
      const [first, second] = (r + spent / sliceMs) % 2 ? [b, a] : [a, b];
      const x = await measure(first, sliceMs);
      const y = await measure(second, sliceMs);
      if (first === a) (sumA += x), (sumB += y);
      else (sumA += y), (sumB += x);
    }
    out.push(sumA / sumB);
  }
  return out;
}

/** Element-wise a[i] / b[i]: per-round ratios, so both sides of every ratio come from the same round. */
export function ratios(a, b) {
  return a.map((x, i) => x / b[i]);
}

export const opsPerSecond = (usPerCall) => 1e6 / usPerCall;
