// Where a call's time goes: runs one variant of one provider's case against the stub fetch under
// `node --cpu-prof` and prints the functions with the most self and inclusive time.
//
//   node bench/lib/profile.mjs <provider> [sdk|wire|bare|raw] [calls]     (build dist/ first: npm run bench does)
//
// Inclusive time counts a function once per sample however deep it recurs; paths are shortened to the package
// (dist/…, node_modules/…, node:…). The profile itself is written to a temporary folder and removed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const [provider = "flipflop", variant = "sdk", calls = "30000", child] = process.argv.slice(2);

if (child === "--child") {
  const { CASES } = await import("./cases.mjs");
  const { ROUTES } = await import("./routes.mjs");
  const { createStubFetch } = await import("./stub-fetch.mjs");
  const def = CASES[provider];
  const stub = createStubFetch(ROUTES);
  globalThis.fetch = stub.fetch; // the platform's fetch here, as in the stub section (overhead.mjs)
  const v = await def.create({ fetch: stub.fetch, baseUrl: def.defaultBaseUrl });
  stub.fix(def.path);
  const t = performance.now();
  for (let i = 0; i < Number(calls); i++) await v[variant]();
  console.log(`${provider} ${variant}: ${(((performance.now() - t) * 1000) / Number(calls)).toFixed(1)} µs/call under the profiler`);
} else {
  const dir = mkdtempSync(join(tmpdir(), "streamspec-prof-"));
  try {
    const res = spawnSync(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${dir}`, fileURLToPath(import.meta.url), provider, variant, calls, "--child"], { stdio: "inherit" });
    if (res.status !== 0) process.exit(res.status ?? 1);
    const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    console.log(summarize(JSON.parse(readFileSync(join(dir, file), "utf8"))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function summarize(profile, top = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n) => {
    const url = n.callFrame.url.replace(/^.*?\/((?:node_modules|dist)\/.*)$/, "$1").replace(/^file:\/\/.*\/bench\//, "bench/");
    return `${n.callFrame.functionName || "(anonymous)"} ${url}${url ? `:${n.callFrame.lineNumber + 1}` : ""}`;
  };
  const timeById = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    timeById.set(id, (timeById.get(id) ?? 0) + dt);
    total += dt;
  });
  const self = new Map();
  const inclusive = new Map();
  for (const [id, t] of timeById) {
    const k = name(byId.get(id));
    self.set(k, (self.get(k) ?? 0) + t);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const kk = name(byId.get(cur));
      if (seen.has(kk)) continue;
      seen.add(kk);
      inclusive.set(kk, (inclusive.get(kk) ?? 0) + t);
    }
  }
  const list = (m) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, t]) => `${((100 * t) / total).toFixed(1).padStart(6)}%  ${k}`)
      .join("\n");
  return `\nself time (top ${top})\n${list(self)}\n\ninclusive time (top ${top})\n${list(inclusive)}`;
}
