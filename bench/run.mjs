#!/usr/bin/env node
// npm run bench — how much streamspec costs on top of openapi-fetch and fetch, per provider. Builds dist/ when
// it is missing or older than src/ or generated/, runs every section in fresh child processes (one after the
// other: they must not share the 2 cores), prints a table and writes bench/results.json. See bench/README.md.
//
//   node bench/run.mjs [--quick] [--build] [--only=stub,loopback,signing,bundle,coldstart,toolchain,scaling] [--out=file]
//
// --quick: fewer and shorter rounds (a smoke test, not numbers to quote); --build: rebuild dist/ regardless;
// --only: some sections. Only a full run writes bench/results.json; the others write to the temp folder.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { arch, cpus, loadavg, platform, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { PROVIDERS, CASES } from "./lib/cases.mjs";
import { inChild, killChildren } from "./lib/process.mjs";
import { startServer } from "./lib/server.mjs";
import { figure, opsPerSecond } from "./lib/stats.mjs";
import { fixed, range, si, table, verdict } from "./lib/table.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RESULTS = join(ROOT, "bench", "results.json");
const TMP = join(ROOT, "bench", ".tmp");

const argv = process.argv.slice(2);
const QUICK = argv.includes("--quick");
const FORCE_BUILD = argv.includes("--build");
const ONLY = argv.find((a) => a.startsWith("--only="))?.slice(7).split(",");
const SECTIONS = ["stub", "loopback", "signing", "bundle", "coldstart", "toolchain", "scaling"];
const wanted = (s) => !ONLY || ONLY.includes(s);
// Only a full run replaces bench/results.json; --quick and --only runs write to the temp folder unless --out says.
const OUT = argv.find((a) => a.startsWith("--out="))?.slice(6) ?? (QUICK || ONLY ? join(tmpdir(), "streamspec-bench-results.json") : RESULTS);

const CONFIG = QUICK
  ? {
      stub: { rounds: 3, budgetMs: 80, warmupMs: 80 },
      loopback: { rounds: 3, budgetMs: 100, warmupMs: 100, warmupCalls: 50, concurrency: [1, 64] },
      signing: { rounds: 3, budgetMs: 50, warmupMs: 50 },
      coldstart: { rounds: 3 },
      toolchain: { rounds: 1 },
      scaling: { rounds: 3, budgetMs: 60, warmupMs: 60 },
    }
  : {
      stub: { rounds: 7, budgetMs: 250, warmupMs: 800 },
      loopback: { rounds: 7, budgetMs: 250, warmupMs: 250, warmupCalls: 300, concurrency: [1, 64] },
      signing: { rounds: 7, budgetMs: 200, warmupMs: 200 },
      coldstart: { rounds: 7 },
      toolchain: { rounds: 3 },
      scaling: { rounds: 7, budgetMs: 200, warmupMs: 300 },
    };

/** Targets, from the issue. Ratios are time per call (lower is better). */
const TARGETS = {
  stubSdkOverBare: { max: 1.3, text: "<= 1.3x bare openapi-fetch per call" },
  loopbackSdkOverBare: { max: 1.05, text: "within 5% of bare openapi-fetch" },
  bundleGzip: { max: 12_000, text: "<= 12 kB (12,000 B) gzipped" },
  coldStart: { max: 60, text: "< 60 ms" },
};

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

// ---------------------------------------------------------------------------------------------------- build

function files(dir, ext) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith(ext))
    .map((d) => join(d.parentPath ?? d.path, d.name));
}

/** dist/ is fresh when every entry exists and no source is newer than the oldest emitted file. */
function distIsFresh() {
  const entries = ["index.js", ...PROVIDERS.map((p) => `${p}/index.js`)].map((f) => join(ROOT, "dist", "src", f));
  if (!entries.every((f) => existsSync(f))) return false;
  const sources = [...files(join(ROOT, "src"), ".ts"), ...files(join(ROOT, "generated"), ".ts"), join(ROOT, "tsconfig.json"), join(ROOT, "tsconfig.build.json")];
  const emitted = files(join(ROOT, "dist"), ".js");
  const newestSource = Math.max(...sources.map((f) => statSync(f).mtimeMs));
  const oldestEmitted = Math.min(...emitted.map((f) => statSync(f).mtimeMs));
  return newestSource < oldestEmitted;
}

function ensureBuild() {
  if (!FORCE_BUILD && distIsFresh()) {
    log("dist/ is up to date");
    return false;
  }
  log("building dist/ (node scripts/build.mjs)");
  try {
    execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  } catch (error) {
    // tsc still emits on type errors (someone's work in progress): measure what was emitted, and say so.
    const entries = PROVIDERS.map((p) => join(ROOT, "dist", "src", p, "index.js"));
    if (!entries.every((f) => existsSync(f))) throw error;
    log("the build reported errors; measuring the JavaScript it emitted anyway");
    return "with errors";
  }
  return true;
}

// ------------------------------------------------------------------------------------------------ sections

const ops = (us) => figure(us.map(opsPerSecond), "ops/s");
const us = (values) => figure(values, "µs/call");

async function stubSection(results) {
  for (const provider of PROVIDERS) {
    log(`1. stub fetch: ${provider}`);
    const r = await inChild("overhead", { provider, ...CONFIG.stub }, { root: ROOT });
    results.providers[provider].stub = {
      opsPerSecond: Object.fromEntries(Object.entries(r.usPerCall).map(([v, t]) => [v, ops(t)])),
      usPerCall: Object.fromEntries(Object.entries(r.usPerCall).map(([v, t]) => [v, us(t)])),
      sdkOverBare: figure(r.sdkOverBare, "x (time per call)", TARGETS.stubSdkOverBare),
      sdkOverBareInterleaved: figure(r.sdkOverBareInterleaved, "x (time per call)"),
      ownFetchOverBare: figure(r.ownFetchOverBare, "x (time per call)"),
      wireOverBare: figure(r.wireOverBare, "x (time per call)"),
      rawOverBare: figure(r.rawOverBare, "x (time per call)"),
      axiosOverBare: figure(r.axiosOverBare, "x (time per call)"),
      kyOverBare: figure(r.kyOverBare, "x (time per call)"),
    };
  }
}

async function loopbackSection(results) {
  const server = await startServer();
  log(`2. loopback server on 127.0.0.1:${server.port} (pid ${server.pid})`);
  try {
    for (const provider of PROVIDERS) {
      log(`2. loopback: ${provider}`);
      const r = await inChild("loopback", { provider, port: server.port, ...CONFIG.loopback }, { root: ROOT });
      results.providers[provider].loopback = Object.fromEntries(
        Object.entries(r).map(([c, x]) => [
          `concurrency${c}`,
          {
            opsPerSecond: Object.fromEntries(Object.entries(x.usPerCall).map(([v, t]) => [v, ops(t)])),
            sdkOverBare: figure(x.sdkOverBare, "x (time per call)", TARGETS.loopbackSdkOverBare),
            sdkOverBareInterleaved: figure(x.sdkOverBareInterleaved, "x (time per call)"),
            rawOverBare: figure(x.rawOverBare, "x (time per call)"),
            axiosOverBare: figure(x.axiosOverBare, "x (time per call)"),
            kyOverBare: figure(x.kyOverBare, "x (time per call)"),
          },
        ]),
      );
    }
  } finally {
    await server.stop();
    log("2. loopback server stopped");
  }
}

async function signingSection(results) {
  log("3. Polyv signing");
  const r = await inChild("signing", CONFIG.signing, { root: ROOT });
  results.signing = Object.fromEntries(Object.entries(r).map(([n, t]) => [`params${n}`, figure(t.map(opsPerSecond), "signatures/s")]));
}

async function bundleSection(results) {
  log("4. bundle size (esbuild + gzip -9)");
  const r = await inChild("bundle", { root: ROOT, providers: PROVIDERS }, { root: ROOT });
  for (const [provider, b] of Object.entries(r)) {
    results.providers[provider].bundle = {
      gzipBytes: figure([b.gzipBytes], "bytes (gzip -9)", TARGETS.bundleGzip),
      minifiedBytes: figure([b.minBytes], "bytes (minified)"),
      bytesByGroup: b.byGroup,
      inputs: b.inputs,
      isolated: { foreignInputs: b.foreign, target: { text: "no other provider's src/<other>/ or generated/<other>.*" }, met: b.foreign.length === 0 },
      browser: { nodeImports: b.browserNodeImports, target: { text: "no node: import in the platform=browser bundle" }, met: b.browserNodeImports.length === 0 },
    };
  }
}

async function coldStartSection(results) {
  log("5. cold start (fresh process per import)");
  const targets = Object.fromEntries([...PROVIDERS.map((p) => [p, `streamspec/${p}`]), ["openapi-fetch", "openapi-fetch"]]);
  const r = await inChild("coldstart", { root: ROOT, targets, rounds: CONFIG.coldstart.rounds }, { root: ROOT });
  for (const provider of PROVIDERS) results.providers[provider].coldStart = figure(r[provider], "ms", TARGETS.coldStart);
  results.coldStartReference = { "openapi-fetch": figure(r["openapi-fetch"], "ms") };
}

async function toolchainSection(results) {
  log("6. codegen --check and tsc --noEmit (a few seconds each)");
  mkdirSync(TMP, { recursive: true });
  const r = await inChild("toolchain", { root: ROOT, rounds: CONFIG.toolchain.rounds, tmp: TMP }, { root: ROOT });
  results.toolchain = {
    generateCheck: figure(r.generate, "ms"),
    tscConsumer: { ...figure(r.tscConsumer, "ms"), diagnostics: r.consumerDiagnostics },
    tscBaseline: { ...figure(r.tscBaseline, "ms"), diagnostics: r.baselineDiagnostics },
    tscConsumerMinusBaseline: figure(r.tscConsumer.map((t, i) => t - r.tscBaseline[i]), "ms"),
    consumer: "bench/lib/toolchain.mjs CONSUMER: all four clients via package self-reference (streamspec/<provider> -> dist/**/*.d.ts), strict, skipLibCheck false",
    // A command that exited non-zero was still timed; what it said is kept here (e.g. generate --check: stale).
    problems: r.problems,
  };
  for (const [name, text] of Object.entries(r.problems)) log(`6. note: ${name} exited non-zero (timed anyway): ${text}`);
}

async function scalingSection(results) {
  log("7. scaling: Polyv saveViewerCustomFieldValues, 1 / 100 / 1,000 (and 3,000) items");
  const r = await inChild("scaling", CONFIG.scaling, { root: ROOT });
  const sizes = Object.keys(r).map(Number).sort((a, b) => a - b);
  // What streamspec adds on top of bare openapi-fetch, per round (both sides from the same round).
  for (const n of sizes) r[n].overhead = r[n].sdk.map((t, i) => t - r[n].bare[i]);
  const out = { sizes };
  for (const n of sizes) {
    out[`items${n}`] = Object.fromEntries(
      Object.entries(r[n]).map(([v, t]) => [v, { usPerCall: us(t), usPerItem: figure(t.map((x) => x / n), "µs/item") }]),
    );
  }
  // Marginal cost per item between consecutive sizes, from the medians: equal slopes = linear growth; a slope
  // that grows with n (quadratic: ~11x from 1→100 to 100→1000) = worse than linear.
  const slope = (v, a, b) => (out[`items${b}`][v].usPerCall.median - out[`items${a}`][v].usPerCall.median) / (b - a);
  out.marginalUsPerItem = {};
  for (const v of ["sdk", "wire", "bare", "overhead"]) {
    out.marginalUsPerItem[v] = Object.fromEntries(sizes.slice(1).map((b, i) => [`${sizes[i]}to${b}`, Number(slope(v, sizes[i], b).toFixed(3))]));
  }
  const [a, b, c, d] = sizes;
  const growth = (v, x, y, z) => Number((slope(v, y, z) / slope(v, x, y)).toFixed(2));
  out.linearity = {
    note:
      `growth = marginal µs/item over the larger range ÷ over the smaller one: about 1 is linear; a quadratic cost gives ~11 for ${b}→${c} vs ${a}→${b} and ~3.6 for ${c}→${d} vs ${b}→${c}. ` +
      `Every variant, bare openapi-fetch included, steps up once the body passes ~64 kB (between ${b} and ${c} items: undici copying a large body), ` +
      `so the verdict is taken above the step, on streamspec's own cost (overhead = sdk − bare, per round): ${c}→${d} vs ${b}→${c}`,
    [`${b}to${c}_vs_${a}to${b}`]: { overhead: growth("overhead", a, b, c), sdk: growth("sdk", a, b, c), wire: growth("wire", a, b, c), bare: growth("bare", a, b, c) },
    [`${c}to${d}_vs_${b}to${c}`]: { overhead: growth("overhead", b, c, d), sdk: growth("sdk", b, c, d), wire: growth("wire", b, c, d), bare: growth("bare", b, c, d) },
    target: { max: 1.5, text: `linear: streamspec's marginal µs/item over ${c}→${d} items <= 1.5x that over ${b}→${c}` },
  };
  // Mixed signs mean the noise was larger than the signal: no verdict. When streamspec's own per-item cost is not
  // positive in either range (a named call copies no body stream, bare openapi-fetch's Request does), there is no
  // overhead to grow: the SDK call's own marginal cost is judged instead.
  const up = (v) => slope(v, b, c) > 0 && slope(v, c, d) > 0;
  const none = slope("overhead", b, c) <= 0 && slope("overhead", c, d) <= 0;
  out.linearity.basis = up("overhead") ? "overhead" : none ? "sdk" : null;
  out.linearity.value = out.linearity.basis ? growth(out.linearity.basis, b, c, d) : growth("overhead", b, c, d);
  out.linearity.met = out.linearity.basis && (out.linearity.basis === "overhead" || up("sdk")) ? out.linearity.value <= 1.5 : null;
  results.scaling = out;
}

// ---------------------------------------------------------------------------------------------------- table

function printTable(results) {
  const P = results.providers;
  const out = [];
  const cfg = results.config;
  out.push(`streamspec bench — node ${results.node}, ${results.platform}, ${results.cpus}, ${results.date}${QUICK ? "  (--quick: smoke numbers)" : ""}`);
  out.push(`load average (1/5/15 min) at start ${results.loadAverage.start.join(" / ")}, at end ${results.loadAverage.end.join(" / ")}`);
  out.push("Each cell: median [min–max] over the rounds; ratios are time per call ÷ bare openapi-fetch, per round (lower is better).");

  if (P.flipflop?.stub) {
    out.push(`\n1. Per-call overhead, stub fetch (ops/s; ${cfg.stub.rounds} rounds × ${cfg.stub.budgetMs} ms per variant, interleaved; sdk/bare: ${cfg.stub.rounds} rounds of sdk and bare in alternating 25 ms slices, ${cfg.stub.budgetMs} ms each). Target sdk/bare ${TARGETS.stubSdkOverBare.text}`);
    out.push(
      table(
        ["provider", "operation", "sdk", "wire", "bare openapi-fetch", "raw fetch", "sdk/bare", "(interleaved)", "sdk, own fetch/bare", "wire/bare", "target"],
        PROVIDERS.filter((p) => P[p].stub).map((p) => {
          const s = P[p].stub;
          return [p, CASES[p].operation, range(s.opsPerSecond.sdk), range(s.opsPerSecond.wire), range(s.opsPerSecond.bare), range(s.opsPerSecond.raw), `${fixed(s.sdkOverBare.median)}x`, `${fixed(s.sdkOverBareInterleaved?.median)}x`, `${fixed(s.ownFetchOverBare.median)}x`, `${fixed(s.wireOverBare.median)}x`, verdict(s.sdkOverBare)];
        }),
        { align: [false, false, true, true, true, true, true, true, true, true, false] },
      ),
    );
  }
  if (P.flipflop?.loopback) {
    out.push(`\n2. Loopback HTTP, keep-alive node:http server in its own process (ops/s; ${cfg.loopback.rounds} rounds × ${cfg.loopback.budgetMs} ms, interleaved; sdk/bare: ${cfg.loopback.rounds} rounds of sdk and bare in alternating 50 ms slices, ${cfg.loopback.budgetMs} ms each). Target sdk/bare ${TARGETS.loopbackSdkOverBare.text}`);
    const rows = [];
    for (const p of PROVIDERS) {
      for (const [c, x] of Object.entries(P[p].loopback ?? {})) {
        rows.push([p, c.replace("concurrency", ""), range(x.opsPerSecond.sdk), range(x.opsPerSecond.bare), range(x.opsPerSecond.raw), `${fixed(x.sdkOverBare.median)}x`, `${fixed(x.sdkOverBareInterleaved?.median)}x`, `${fixed(x.rawOverBare.median)}x`, verdict(x.sdkOverBare)]);
      }
    }
    out.push(table(["provider", "conc.", "sdk", "bare openapi-fetch", "raw fetch", "sdk/bare", "(interleaved)", "raw/bare", "target"], rows, { align: [false, true, true, true, true, true, true, true, false] }));
  }
  if (P.flipflop?.stub || P.flipflop?.loopback) {
    // Where streamspec stands among the ways to make the same call: time per call ÷ bare openapi-fetch, lowest first.
    out.push("\nPeers, same run, same interleaved rounds, same calls (time per call ÷ bare openapi-fetch, median; lower is faster). axios: a hand-written SDK on axios, as Polyv's official TypeScript SDK is; ky: fetch wrapper with retries and timeouts");
    // streamspec's figure here is its interleaved one, measured in the same rounds as the peers'.
    const PEERS = [["sdkOverBareInterleaved", "streamspec"], ["rawOverBare", "raw fetch"], ["axiosOverBare", "axios"], ["kyOverBare", "ky"]];
    const rows = [];
    for (const p of PROVIDERS) {
      const places = [["stub", P[p].stub], ...Object.entries(P[p].loopback ?? {}).map(([c, x]) => [`loopback c=${c.replace("concurrency", "")}`, x])];
      for (const [where, x] of places) {
        if (!x) continue;
        const ranked = [["bare openapi-fetch", 1], ...PEERS.map(([key, name]) => [name, x[key]?.median])].filter(([, r]) => Number.isFinite(r)).sort((a, b) => a[1] - b[1]);
        rows.push([p, where, ...PEERS.map(([key]) => `${fixed(x[key]?.median)}x`), ranked.map(([name]) => name).join(" < ")]);
      }
    }
    out.push(table(["provider", "where", "streamspec", "raw fetch", "axios", "ky", "fastest first"], rows, { align: [false, false, true, true, true, true, false] }));
  }
  if (results.signing) {
    out.push("\n3. Polyv signing, signPolyvParams MD5 (signatures/s)");
    out.push(table(["parameters", "signatures/s", "µs/signature"], Object.entries(results.signing).map(([k, f]) => [k.replace("params", ""), range(f), fixed(1e6 / f.median, 2)])));
  }
  if (P.flipflop?.bundle || P.flipflop?.coldStart) {
    out.push(`\n4–5. Bundle (esbuild, node, esm, minified, openapi-fetch included; gzip -9; target ${TARGETS.bundleGzip.text}, no foreign provider code; the platform=browser bundle with no node: import) and cold start (import in a fresh process; target ${TARGETS.coldStart.text})`);
    out.push(
      table(
        ["provider", "minified B", "gzip B", "bundle target", "isolated", "browser bundle", "cold start ms", "cold-start target"],
        [
          ...PROVIDERS.map((p) => {
            const b = P[p].bundle;
            const browser = b?.browser ? (b.browser.met ? "no node: import" : `NODE: ${b.browser.nodeImports.join(", ")}`) : "";
            return [p, b ? String(b.minifiedBytes.median) : "", b ? String(b.gzipBytes.median) : "", verdict(b?.gzipBytes), b ? (b.isolated.met ? "yes" : `NO: ${b.isolated.foreignInputs.join(", ")}`) : "", browser, range(P[p].coldStart, (x) => fixed(x, 1)), verdict(P[p].coldStart)];
          }),
          ...(results.coldStartReference ? [["(openapi-fetch alone)", "", "", "", "", "", range(results.coldStartReference["openapi-fetch"], (x) => fixed(x, 1)), ""]] : []),
        ],
        { align: [false, true, true, false, false, false, true, false] },
      ),
    );
  }
  if (results.toolchain) {
    const t = results.toolchain;
    out.push("\n6. Codegen and types (wall time of the command, ms)");
    out.push(
      table(
        ["command", "ms", "check time s", "types", "instantiations"],
        [
          ["node scripts/generate.mjs --check (4 specs)", range(t.generateCheck, (x) => x.toFixed(0)), "", "", ""],
          ["tsc --noEmit, consumer of all 4 clients (vs dist .d.ts)", range(t.tscConsumer, (x) => x.toFixed(0)), fixed(t.tscConsumer.diagnostics?.checkSeconds), si(t.tscConsumer.diagnostics?.types), si(t.tscConsumer.diagnostics?.instantiations)],
          ["tsc --noEmit, empty file, same tsconfig (baseline)", range(t.tscBaseline, (x) => x.toFixed(0)), fixed(t.tscBaseline.diagnostics?.checkSeconds), si(t.tscBaseline.diagnostics?.types), si(t.tscBaseline.diagnostics?.instantiations)],
          ["  consumer minus baseline", range(t.tscConsumerMinusBaseline, (x) => x.toFixed(0)), "", "", ""],
        ],
        { align: [false, true, true, true, true] },
      ),
    );
    for (const [name, text] of Object.entries(t.problems ?? {})) out.push(`note: ${name} exited non-zero (its time is still shown): ${text}`);
  }
  if (results.scaling) {
    const s = results.scaling;
    out.push("\n7. Scaling: Polyv saveViewerCustomFieldValues, stub fetch (µs/call; overhead = sdk − bare in the same round; marginal = µs per extra item between sizes)");
    const rows = [];
    for (const n of s.sizes) {
      for (const [v, x] of Object.entries(s[`items${n}`])) rows.push([String(n), v, range(x.usPerCall, (y) => si(y)), fixed(x.usPerItem.median, 3)]);
    }
    out.push(table(["items", "variant", "µs/call", "µs/item"], rows, { align: [true, false, true, true] }));
    const m = s.marginalUsPerItem;
    out.push(Object.entries(m).map(([v, x]) => `marginal µs/item ${v.padEnd(8)} ${Object.entries(x).map(([k, y]) => `${k.replace("to", "→")}: ${fixed(y, 3)}`).join("   ")}`).join("\n"));
    const [a, b, c, d] = s.sizes;
    for (const key of [`${b}to${c}_vs_${a}to${b}`, `${c}to${d}_vs_${b}to${c}`]) {
      const g = s.linearity[key];
      out.push(`growth of the marginal cost, ${key.replace(/to/g, "→").replace("_vs_", " vs ")}: overhead ${g.overhead}, sdk ${g.sdk}, wire ${g.wire}, bare ${g.bare}`);
    }
    const basis = s.linearity.basis === "sdk" ? " (streamspec adds no cost per item over bare here: judged on the SDK call's own)" : "";
    out.push(`streamspec's own cost per item above the ~64 kB step: ${s.linearity.met === null ? "INCONCLUSIVE (noise larger than the signal; run again)" : s.linearity.met ? "linear" : "WORSE THAN LINEAR"}${basis}`);
  }

  const rows = results.targets.map((t) => [t.figure, t.target, t.value, t.met === null ? "INCONCLUSIVE" : t.met ? "met" : "MISSED"]);
  if (rows.length) {
    out.push("\nTargets");
    out.push(table(["figure", "target", "median", "verdict"], rows, { align: [false, false, true, false] }));
  }
  out.push(`\nwrote ${OUT.startsWith(ROOT) ? relative(ROOT, OUT) : OUT} in ${results.durationSeconds} s`);
  console.log(out.join("\n"));
}

function collectTargets(results) {
  const list = [];
  const add = (figureName, f, value) => f?.met !== undefined && list.push({ figure: figureName, target: f.target.text, value, met: f.met });
  for (const p of PROVIDERS) {
    const x = results.providers[p];
    add(`${p} stub sdk/bare`, x.stub?.sdkOverBare, `${fixed(x.stub?.sdkOverBare.median)}x`);
    for (const [c, l] of Object.entries(x.loopback ?? {})) add(`${p} loopback c=${c.replace("concurrency", "")} sdk/bare`, l.sdkOverBare, `${fixed(l.sdkOverBare.median)}x`);
    add(`${p} bundle gzip`, x.bundle?.gzipBytes, `${x.bundle?.gzipBytes.median} B`);
    add(`${p} bundle isolated`, x.bundle?.isolated, x.bundle?.isolated.met ? "no foreign inputs" : x.bundle?.isolated.foreignInputs.join(", "));
    add(`${p} browser bundle`, x.bundle?.browser, x.bundle?.browser?.met ? "no node: import" : x.bundle?.browser?.nodeImports.join(", "));
    add(`${p} cold start`, x.coldStart, `${fixed(x.coldStart?.median, 1)} ms`);
  }
  const lin = results.scaling?.linearity;
  add(`Polyv scaling, streamspec ${lin?.basis === "sdk" ? "SDK call" : "overhead"}`, lin, lin && `${lin.value}x`);
  return list;
}

// ----------------------------------------------------------------------------------------------------- main

async function main() {
  const started = performance.now();
  const built = ensureBuild();
  const cpuList = cpus();
  const results = {
    node: process.version,
    date: new Date().toISOString(),
    platform: `${platform()} ${arch()}`,
    cpus: `${cpuList.length} × ${cpuList[0]?.model?.trim() ?? "unknown CPU"}`,
    // Load on the machine when the run started and ended: other work on the same cores widens min–max.
    loadAverage: { start: loadavg().map((x) => Number(x.toFixed(2))) },
    quick: QUICK,
    builtDist: built,
    config: CONFIG,
    operations: Object.fromEntries(PROVIDERS.map((p) => [p, CASES[p].operation])),
    providers: Object.fromEntries(PROVIDERS.map((p) => [p, { operation: CASES[p].operation }])),
  };
  const steps = { stub: stubSection, loopback: loopbackSection, signing: signingSection, bundle: bundleSection, coldstart: coldStartSection, toolchain: toolchainSection, scaling: scalingSection };
  const errors = {};
  try {
    for (const name of SECTIONS) {
      if (!wanted(name)) continue;
      try {
        await steps[name](results);
      } catch (error) {
        // One broken section (e.g. a provider still in progress) must not cost the others their numbers.
        errors[name] = String(error?.stack ?? error);
        log(`section ${name} failed:\n${errors[name]}`);
      }
    }
  } finally {
    rmSync(TMP, { recursive: true, force: true });
  }
  results.loadAverage.end = loadavg().map((x) => Number(x.toFixed(2)));
  results.errors = errors;
  results.targets = collectTargets(results);
  results.durationSeconds = Math.round((performance.now() - started) / 100) / 10;
  writeFileSync(OUT, `${JSON.stringify(results, null, 2)}\n`);
  printTable(results);
  if (Object.keys(errors).length) process.exitCode = 1;
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    killChildren();
    rmSync(TMP, { recursive: true, force: true });
    process.exit(130);
  });
}

await main();
