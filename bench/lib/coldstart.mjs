// Section 5: time to import each subpath in a fresh Node process, measured inside that process around the
// dynamic import (Node's own start-up is not counted). The import goes through the package's "exports"
// (`streamspec/<provider>`, resolved by package self-reference from the project root), as a consumer's would.
import { spawnSync } from "node:child_process";

const script = (specifier) =>
  `const t = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - t));`;

function once(root, specifier) {
  const res = spawnSync(process.execPath, ["--input-type=module", "-e", script(specifier)], { cwd: root, encoding: "utf8" });
  if (res.status !== 0) throw new Error(`import ${specifier} failed: ${res.stderr}`);
  return Number(res.stdout.trim());
}

/** → { [name]: [ms, one per round] }; `targets` maps a name to its import specifier. Rounds interleave names. */
export async function run({ root, targets, rounds }) {
  const names = Object.keys(targets);
  for (const n of names) once(root, targets[n]); // warm the file-system cache; not counted
  const out = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) for (let i = 0; i < names.length; i++) {
    const n = names[(i + r) % names.length];
    out[n].push(once(root, targets[n]));
  }
  return out;
}
