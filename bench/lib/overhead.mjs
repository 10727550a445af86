// Section 1: per-call overhead with a stub fetch (no I/O). One provider per process, so the JIT state of one
// provider's run can not colour another's.
import { CASES } from "./cases.mjs";
import { ROUTES } from "./routes.mjs";
import { interleaved, pairedRatios, ratios } from "./stats.mjs";
import { createStubFetch } from "./stub-fetch.mjs";

// axios and ky are the peers (see cases.mjs), measured in the same rounds on the same calls.
export const VARIANTS = ["sdk", "ownFetch", "wire", "bare", "raw", "axios", "ky"];

/**
 * → { usPerCall: { sdk: [µs per round], ... }, sdkOverBare: [paired, per round], sdkOverBareInterleaved: [...],
 *     wireOverBare: [...], <peer>OverBare: [...], calls }
 */
export async function run({ provider, rounds, budgetMs, warmupMs }) {
  const def = CASES[provider];
  const stub = createStubFetch(ROUTES);
  // The stub stands in for the platform's fetch, so it is installed as the global one (as a test double of fetch
  // is): streamspec calls the platform's fetch as fetch(url, init) and builds no Request for a named operation.
  // A fetch the app passes is handed a Request instead (a wrapper may forward it alone): `ownFetch` is the same
  // named call on a client given a wrapper around the stub. This child process measures nothing else.
  globalThis.fetch = stub.fetch;
  const variants = await def.create({ fetch: stub.fetch, baseUrl: def.defaultBaseUrl });
  variants.ownFetch = (await def.create({ fetch: (input, init) => stub.fetch(input, init), baseUrl: def.defaultBaseUrl })).sdk;
  stub.fix(def.path); // set-up calls (e.g. the Arctos login) are routed; the measured calls all get this answer
  for (const name of VARIANTS) await variants[name](); // every variant must succeed before it is timed
  const usPerCall = await interleaved(pick(variants, VARIANTS), { rounds, budgetMs, warmupMs });
  // The target ratio is measured again with its two sides side by side (see pairedRatios).
  const paired = await pairedRatios(variants.sdk, variants.bare, { rounds, budgetMs });
  return {
    usPerCall,
    sdkOverBare: paired,
    sdkOverBareInterleaved: ratios(usPerCall.sdk, usPerCall.bare),
    ownFetchOverBare: ratios(usPerCall.ownFetch, usPerCall.bare),
    wireOverBare: ratios(usPerCall.wire, usPerCall.bare),
    rawOverBare: ratios(usPerCall.raw, usPerCall.bare),
    axiosOverBare: ratios(usPerCall.axios, usPerCall.bare),
    kyOverBare: ratios(usPerCall.ky, usPerCall.bare),
    calls: stub.calls,
  };
}

export const pick = (obj, keys) => Object.fromEntries(keys.map((k) => [k, obj[k]]));
