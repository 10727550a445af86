// Section 2: throughput over loopback HTTP (Node's own fetch, keep-alive) against bench/lib/server.mjs, at
// concurrency 1 and 64: the named operation vs bare openapi-fetch vs raw fetch, interleaved in every round.
import { CASES } from "./cases.mjs";
import { interleaved, pairedRatios, ratios } from "./stats.mjs";

// axios (its default node:http adapter, as a Node app gets it) and ky (Node's fetch) are the peers (see cases.mjs).
export const VARIANTS = ["sdk", "bare", "raw", "axios", "ky"];

/** `concurrency` loops each call `fn` back to back for `budgetMs`; returns the mean time per completed call (µs). */
export async function throughput(fn, budgetMs, concurrency) {
  let calls = 0;
  const start = performance.now();
  const end = start + budgetMs;
  const loop = async () => {
    while (performance.now() < end) {
      await fn();
      calls++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return ((performance.now() - start) * 1000) / calls;
}

/** → { [concurrency]: { usPerCall: { sdk: [...], bare: [...], raw: [...], axios: [...], ky: [...] }, sdkOverBare: [...], ... } } */
export async function run({ provider, port, concurrency, rounds, budgetMs, warmupMs, warmupCalls = 300 }) {
  const def = CASES[provider];
  const variants = await def.create({ fetch: globalThis.fetch, baseUrl: `http://127.0.0.1:${port}`, loopback: true });
  // JIT warm-up by count (a time budget alone gives the slowest variant the fewest warm-up calls).
  for (const name of VARIANTS) for (let i = 0; i < warmupCalls; i++) await variants[name]();
  const out = {};
  for (const c of concurrency) {
    const usPerCall = await interleaved(Object.fromEntries(VARIANTS.map((v) => [v, variants[v]])), {
      rounds,
      budgetMs,
      warmupMs,
      measure: (fn, ms) => throughput(fn, ms, c),
    });
    // The target ratio is measured again with its two sides side by side (see pairedRatios).
    const paired = await pairedRatios(variants.sdk, variants.bare, { rounds, budgetMs, sliceMs: 50, measure: (fn, ms) => throughput(fn, ms, c) });
    out[c] = {
      usPerCall,
      sdkOverBare: paired,
      sdkOverBareInterleaved: ratios(usPerCall.sdk, usPerCall.bare),
      rawOverBare: ratios(usPerCall.raw, usPerCall.bare),
      axiosOverBare: ratios(usPerCall.axios, usPerCall.bare),
      kyOverBare: ratios(usPerCall.ky, usPerCall.bare),
    };
  }
  return out;
}
