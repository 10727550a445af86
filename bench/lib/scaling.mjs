// Section 7: Polyv saveViewerCustomFieldValues with a body of 1, 100 and 1,000 items (stub fetch), to show
// that the per-call cost grows linearly with the body: µs per call and µs per item, for the named operation,
// the wire layer and bare openapi-fetch, all sizes interleaved in every round. A 3,000-item point tells a step
// (everything gets dearer per byte once a body passes ~64 kB, bare openapi-fetch included) from a curve.
import { CASES } from "./cases.mjs";
import { ROUTES } from "./routes.mjs";
import { interleaved } from "./stats.mjs";
import { createStubFetch } from "./stub-fetch.mjs";

export const SIZES = [1, 100, 1000, 3000];
export const VARIANTS = ["sdk", "wire", "bare"];

/** → { [items]: { sdk: [µs per call per round], wire: [...], bare: [...] } } */
export async function run({ rounds, budgetMs, warmupMs }) {
  const def = CASES.polyv;
  const stub = createStubFetch(ROUTES);
  globalThis.fetch = stub.fetch; // the platform's fetch here, as in the stub section (overhead.mjs)
  stub.fix(def.path);
  const all = {};
  for (const items of SIZES) {
    const variants = await def.create({ fetch: stub.fetch, baseUrl: def.defaultBaseUrl, items });
    for (const name of VARIANTS) {
      await variants[name]();
      all[`${items}:${name}`] = variants[name];
    }
  }
  const times = await interleaved(all, { rounds, budgetMs, warmupMs });
  const out = {};
  for (const items of SIZES) out[items] = Object.fromEntries(VARIANTS.map((v) => [v, times[`${items}:${v}`]]));
  return out;
}
