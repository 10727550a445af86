// Section 1: per-call overhead with a stub fetch (no I/O). One provider per process, so the JIT state of one
// provider's run can not colour another's.
import { CASES } from "./cases.mjs";
import { ROUTES } from "./routes.mjs";
import { interleaved, ratios } from "./stats.mjs";
import { createStubFetch } from "./stub-fetch.mjs";

// axios and ky are the peers (see cases.mjs), measured in the same rounds on the same calls.
export const VARIANTS = ["sdk", "wire", "bare", "raw", "axios", "ky"];

/** → { usPerCall: { sdk: [µs per round], ... }, sdkOverBare: [...], wireOverBare: [...], <peer>OverBare: [...], calls } */
export async function run({ provider, rounds, budgetMs, warmupMs }) {
  const def = CASES[provider];
  const stub = createStubFetch(ROUTES);
  const variants = await def.create({ fetch: stub.fetch, baseUrl: def.defaultBaseUrl });
  stub.fix(def.path); // set-up calls (e.g. the Arctos login) are routed; the measured calls all get this answer
  for (const name of VARIANTS) await variants[name](); // every variant must succeed before it is timed
  const usPerCall = await interleaved(pick(variants, VARIANTS), { rounds, budgetMs, warmupMs });
  return {
    usPerCall,
    sdkOverBare: ratios(usPerCall.sdk, usPerCall.bare),
    wireOverBare: ratios(usPerCall.wire, usPerCall.bare),
    rawOverBare: ratios(usPerCall.raw, usPerCall.bare),
    axiosOverBare: ratios(usPerCall.axios, usPerCall.bare),
    kyOverBare: ratios(usPerCall.ky, usPerCall.bare),
    calls: stub.calls,
  };
}

export const pick = (obj, keys) => Object.fromEntries(keys.map((k) => [k, obj[k]]));
