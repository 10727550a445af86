// Section 3: Polyv request signatures per second (signPolyvParams, MD5) for 4 and for 40 parameters.
import { timePerCallSync } from "./stats.mjs";

const DIST = new URL("../../dist/src/polyv/index.js", import.meta.url);

/** The v2 form of updateChannelOauthCustom (4 signed parameters), and a synthetic request with 40. */
export function params(count) {
  if (count === 4) {
    return { appId: "bench-app-id", timestamp: "1700000000000", channelId: "2191532", customUri: "https://example.com/polyv/auth" };
  }
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`param${String(i).padStart(2, "0")}`, `value-${i}-${"x".repeat(i % 7)}`]));
}

export const COUNTS = [4, 40];

/** → { [count]: [µs per signature, one per round] } */
export async function run({ rounds, budgetMs, warmupMs }) {
  const { signPolyvParams } = await import(DIST.href);
  const secret = "bench-app-secret";
  const fns = Object.fromEntries(COUNTS.map((n) => {
    const p = params(n);
    return [n, () => signPolyvParams(p, secret)];
  }));
  for (const n of COUNTS) if (!/^[0-9A-F]{32}$/.test(fns[n]())) throw new Error("signPolyvParams: not an MD5 hex signature");
  for (const n of COUNTS) timePerCallSync(fns[n], warmupMs);
  const out = Object.fromEntries(COUNTS.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) for (const n of r % 2 ? [...COUNTS].reverse() : COUNTS) out[n].push(timePerCallSync(fns[n], budgetMs));
  return out;
}
