// Turns StrykerJS's JSON report (mutation-testing-report-schema) into the committed summary:
//   reports/mutation-summary.json  per-file results, merged run after run (a run over one folder replaces only
//                                  the files it mutated, so the other folders keep their last measurement)
//   reports/mutation-summary.md    the score per folder (src/core, each provider folder) and every surviving or
//                                  uncovered mutant, with the reason it is left (reports/mutation-notes.json)
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { providers, root } from "./registry.mjs";

const reports = join(root, "reports");
const dataPath = join(reports, "mutation-summary.json");
const notesPath = join(reports, "mutation-notes.json");
const markdownPath = join(reports, "mutation-summary.md");
const GOAL = 80;
// A note starting so says a newer test kills the mutant (checked by applying it by hand) and the folder awaits a run.
const KILLED_SINCE = "killed since";

const sha = (text) => createHash("sha256").update(text).digest("hex").slice(0, 16);
const posix = (p) => p.split(sep).join("/");

/** src/core, src/<provider>, or src for the files at its top. */
export function folderOf(file) {
  const parts = file.split("/");
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0];
}

/** The key a note in reports/mutation-notes.json is filed under: stable while the code around it moves. */
export function survivorKey(file, s) {
  return `${file} ${s.mutator}: ${s.original} => ${s.replacement}`;
}

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [posix(relative(root, path))] : [];
  });
}

function git(...args) {
  const r = spawnSync("git", args, { cwd: root, encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The mutated code, from the report's 1-based line and column positions. */
function slice(source, { start, end }) {
  const lines = source.split("\n");
  if (start.line === end.line) return lines[start.line - 1].slice(start.column - 1, end.column - 1);
  return [lines[start.line - 1].slice(start.column - 1), ...lines.slice(start.line, end.line - 1), lines[end.line - 1].slice(0, end.column - 1)].join("\n");
}

const oneLine = (text, max = 80) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

function count(mutants) {
  const c = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0, errors: 0 };
  for (const m of mutants) {
    if (m.status === "Killed") c.killed++;
    else if (m.status === "Timeout") c.timeout++;
    else if (m.status === "Survived") c.survived++;
    else if (m.status === "NoCoverage") c.noCoverage++;
    else if (m.status === "Ignored") c.ignored++;
    else c.errors++; // CompileError, RuntimeError: not valid mutants, left out of the score as Stryker does
  }
  return c;
}

/** Stryker's mutation score: detected (killed, timed out) over valid (detected, survived, not covered). */
export function score(c) {
  const valid = c.killed + c.timeout + c.survived + c.noCoverage;
  return valid === 0 ? undefined : (100 * (c.killed + c.timeout)) / valid;
}

const add = (a, b) => Object.fromEntries(Object.keys(a).map((k) => [k, a[k] + b[k]]));

/** Merges a StrykerJS report (when given) into the summary and writes it again, notes included. */
export function writeSummary(reportPath) {
  const report = reportPath ? JSON.parse(readFileSync(reportPath, "utf8")) : { files: {} };
  const data = existsSync(dataPath) ? JSON.parse(readFileSync(dataPath, "utf8")) : { files: {} };
  const notes = existsSync(notesPath) ? JSON.parse(readFileSync(notesPath, "utf8")) : {};
  const head = git("rev-parse", "--short", "HEAD") ?? "unknown";
  const dirty = git("status", "--porcelain", "--", "src", "test") ? " + uncommitted changes" : "";
  const measured = `${new Date().toISOString().slice(0, 10)} at ${head}${dirty}`;

  for (const [name, file] of Object.entries(report.files)) {
    const path = posix(relative(root, join(report.projectRoot ?? root, name)));
    const survivors = file.mutants
      .filter((m) => m.status === "Survived" || m.status === "NoCoverage")
      .map((m) => ({
        line: m.location.start.line,
        column: m.location.start.column,
        status: m.status,
        mutator: m.mutatorName,
        original: oneLine(slice(file.source, m.location)),
        replacement: oneLine(m.replacement ?? ""),
      }))
      .sort((a, b) => a.line - b.line || a.column - b.column);
    data.files[path] = { measured, source: sha(file.source), counts: count(file.mutants), survivors };
  }

  // Files that no longer exist leave the summary; files never measured are listed as such. The folders reported
  // are src/core, each provider's (from the registry), the files at the top of src/, and any other folder a run
  // measured (src/cli is not mutated: see stryker.config.mjs).
  const reported = new Set(["src", "src/core", ...providers().map((p) => `src/${p.name}`), ...Object.keys(data.files).map(folderOf)]);
  const current = sourceFiles(join(root, "src")).filter((f) => reported.has(folderOf(f)));
  for (const path of Object.keys(data.files)) if (!current.includes(path)) delete data.files[path];
  data.files = Object.fromEntries(Object.entries(data.files).sort(([a], [b]) => a.localeCompare(b)));
  mkdirSync(reports, { recursive: true });
  writeFileSync(dataPath, `${JSON.stringify(data, null, 2)}\n`);

  // A module of re-exports only (src/index.ts) has no code for StrykerJS to mutate, so no run ever lists it.
  const reExportsOnly = (f) =>
    readFileSync(join(root, f), "utf8")
      .replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "")
      .split(";")
      .map((statement) => statement.trim())
      .every((statement) => statement === "" || /^export (type )?(\*|\{[^}]*\}) from "[^"]+"$/.test(statement));
  const unmutable = current.filter(reExportsOnly);
  const folders = [...new Set(current.map(folderOf))].sort().map((folder) => {
    const files = current.filter((f) => folderOf(f) === folder && !unmutable.includes(f));
    const nothing = unmutable.filter((f) => folderOf(f) === folder);
    const done = files.filter((f) => data.files[f]);
    const counts = done.reduce((acc, f) => add(acc, data.files[f].counts), count([]));
    const stale = done.filter((f) => data.files[f].source !== sha(readFileSync(join(root, f), "utf8")));
    const survivors = done.flatMap((f) => data.files[f].survivors.map((s) => ({ file: f, ...s })));
    return { folder, files, nothing, done, counts, score: score(counts), stale, survivors: survivors.length, list: survivors };
  });

  const pct = (s) => (s === undefined ? "–" : `${s.toFixed(1)} %`);
  const lines = [
    "# Mutation testing",
    "",
    "Written by `npm run mutate` (StrykerJS over `src/`, see `stryker.config.mjs` and `scripts/mutate.mjs`); do not edit by",
    "hand. Why a survivor is left (equivalent, or not worth a test) goes in `reports/mutation-notes.json`, under the key",
    "shown after it. Score = killed and timed-out mutants over all valid ones (survived and uncovered included).",
    `Goal (issue 17): at least ${GOAL} % for \`src/core\` and for each provider folder. "Killed since": survivors a test added`,
    "after the measurement kills (checked by applying the mutant by hand); the folder's next run counts them as killed.",
    "",
    "| folder | score | killed | timeout | survived | no coverage | ignored | left: explained / killed since / open | files measured | measured |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ...folders.map((f) => {
      const when = [...new Set(f.done.map((p) => data.files[p].measured))].join("; ") || (f.files.length ? "never" : "nothing to mutate");
      const staleNote = f.stale.length ? ` (changed since: ${f.stale.map((p) => p.split("/").pop()).join(", ")})` : "";
      const c = f.counts;
      const note = (x) => notes[survivorKey(x.file, x)];
      const since = f.list.filter((x) => note(x)?.startsWith(KILLED_SINCE)).length;
      const explained = f.list.filter((x) => note(x) && !note(x).startsWith(KILLED_SINCE)).length;
      return `| \`${f.folder}\` | ${pct(f.score)} | ${c.killed} | ${c.timeout} | ${c.survived} | ${c.noCoverage} | ${c.ignored} | ${explained} / ${since} / ${f.list.length - explained - since} | ${f.done.length} of ${f.files.length}${staleNote}${f.nothing.length ? ` (re-exports only, nothing to mutate: ${f.nothing.map((p) => p.split("/").pop()).join(", ")})` : ""} | ${when} |`;
    }),
    "",
  ];
  for (const f of folders.filter((x) => x.list.length)) {
    lines.push(`## \`${f.folder}\`: ${f.list.length} surviving or uncovered`, "");
    for (const s of f.list) {
      const key = survivorKey(s.file, s);
      const why = notes[key] ? ` — ${notes[key]}` : " — not explained yet";
      lines.push(`- \`${s.file}:${s.line}:${s.column}\` ${s.status === "NoCoverage" ? "(no test reaches it) " : ""}${s.mutator}: \`${s.original}\` → \`${s.replacement}\`${why}`);
      if (!notes[key]) lines.push(`  <sub>key: \`${key.replace(/`/g, "'")}\`</sub>`);
    }
    lines.push("");
  }
  writeFileSync(markdownPath, lines.join("\n"));
  return { markdown: posix(relative(root, markdownPath)), folders };
}
