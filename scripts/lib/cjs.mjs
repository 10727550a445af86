// `require("streamspec/<x>")` on Node >= 20.19 (which can require() ES modules) without a second build: every
// export that has a "require" condition gets a one-line CommonJS file that requires the ESM file, so both
// conditions load the same module instance (no dual-package hazard: one ProviderError class, one Polyv limiter).
// Its types are a CommonJS mirror of the ESM declarations (every .d.ts copied to .d.cts, relative specifiers
// `.js` → `.cjs`): TypeScript's node16 mode does not let CommonJS declarations re-export ESM ones (TS1479).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

/** The .d.cts text of a .d.ts: relative `.js` specifiers (from "…", import("…")) become `.cjs`. */
export function toCjsDeclarations(text) {
  return text.replace(/((?:\bfrom|\bimport\()\s*)(["'])(\.{1,2}\/[^"']*?)\.js\2/g, "$1$2$3.cjs$2");
}

function declarations(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith(".d.ts"))
    .map((d) => join(d.parentPath ?? d.path, d.name));
}

/** The (import, require) file pairs of package.json's exports whose require target is a .cjs file. */
export function requireEntries(pkg) {
  const out = [];
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    const esm = target?.import?.default;
    const cjs = target?.require?.default;
    if (typeof esm === "string" && typeof cjs === "string" && cjs.endsWith(".cjs")) out.push({ subpath, esm, cjs });
  }
  return out;
}

/**
 * Writes the .d.cts mirror of every declaration under `dist` (the build's output folder, where package.json's
 * `./dist/` paths point) and the .cjs entry of every require condition.
 */
export function emitCjsEntries(dist, pkg) {
  const at = (path) => join(dist, path.replace(/^\.?\/?dist\//, ""));
  for (const file of declarations(dist)) {
    writeFileSync(file.replace(/\.d\.ts$/, ".d.cts"), toCjsDeclarations(readFileSync(file, "utf8")));
  }
  for (const { subpath, esm, cjs } of requireEntries(pkg)) {
    const from = at(cjs);
    let spec = relative(dirname(from), at(esm)).split("\\").join("/");
    if (!spec.startsWith(".")) spec = `./${spec}`;
    writeFileSync(from, `"use strict";\n// require("${join(pkg.name, subpath)}"): the ES module itself (Node >= 20.19 can require() it).\nmodule.exports = require(${JSON.stringify(spec)});\n`);
  }
}
