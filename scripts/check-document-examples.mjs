#!/usr/bin/env node
// Checks test/fixtures/document-examples.json against the source documents it was copied from: every example
// text (and request URL) still appears verbatim in its document, and every example the documents print is in
// the fixture. The documents live outside this repository (/work/shared/seeds), so CI, which clones only the
// repository, cannot run this: run it by hand after a document or the fixture changed. The fixture is the copy
// the tests (test/unit/document-examples.test.ts) read.
//
//   node scripts/check-document-examples.mjs [seeds-folder]     (default: $STREAMSPEC_SEEDS, ../shared/seeds, ../../shared/seeds)
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { root } from "./lib/registry.mjs";

const candidates = [process.argv[2], process.env.STREAMSPEC_SEEDS, resolve(root, "../shared/seeds"), resolve(root, "../../shared/seeds")].filter(Boolean);
const seeds = candidates.find((dir) => existsSync(join(dir, "README.md")));
if (!seeds) {
  console.error(`check-document-examples: no source documents found (looked in ${candidates.join(", ")}); nothing checked`);
  process.exit(2);
}

const fixture = JSON.parse(readFileSync(join(root, "test", "fixtures", "document-examples.json"), "utf8"));
const problems = [];
const documents = new Map();
const documentText = (name) => {
  if (!documents.has(name)) {
    const path = join(seeds, name);
    documents.set(name, existsSync(path) ? readFileSync(path, "utf8") : undefined);
  }
  return documents.get(name);
};

// 1. Every fixture text is in its document, verbatim.
for (const [i, e] of fixture.examples.entries()) {
  const label = `#${i} ${e.provider}.${e.operationId} ${e.kind}${e.status ? ` ${e.status}` : ""} (${e.where})`;
  const doc = documentText(e.document);
  if (doc === undefined) {
    problems.push(`${label}: document ${e.document} not found in ${seeds}`);
    continue;
  }
  if (!doc.includes(e.text)) problems.push(`${label}: text not found in ${e.document}`);
  if (e.url !== undefined && !doc.includes(e.url)) problems.push(`${label}: url not found in ${e.document}`);
}

// 2. Every example the documents print is in the fixture: top-level JSON blocks (a line that is just `{`, `[`
// or `callback({`, to its closing line; PHP arrays, `'key' => value`, are code, not examples), and each text
// SOOP's guide prints after "Example response (…):".
const closers = { "{": "}", "[": "]", "callback({": "});" };
for (const name of new Set(fixture.examples.map((e) => e.document))) {
  const doc = documentText(name);
  if (doc === undefined) continue;
  const lines = doc.split("\n");
  const printed = [];
  for (let i = 0; i < lines.length; i++) {
    const close = closers[lines[i]];
    if (close) {
      const j = lines.indexOf(close, i + 1);
      const block = lines.slice(i, j + 1).join("\n");
      if (j > i && !block.includes(" => ")) printed.push(block);
    }
    if (/^Example response \(\d+\):$/.test(lines[i])) {
      let j = i + 1;
      while (j < lines.length && !/^(HTTP Request|Example response \()/.test(lines[j])) j++;
      printed.push(lines.slice(i + 1, j).join("\n"));
    }
  }
  const texts = fixture.examples.filter((e) => e.document === name).map((e) => e.text);
  for (const block of printed) {
    if (!texts.some((t) => t.includes(block))) problems.push(`${name}: this printed example is not in the fixture:\n${block.slice(0, 200)}`);
  }
}

const count = fixture.examples.length;
if (problems.length) {
  console.error(problems.join("\n"));
  console.error(`check-document-examples: ${problems.length} problem(s) in ${count} examples (documents: ${seeds})`);
  process.exit(1);
}
console.log(`check-document-examples: ${count} examples, all verbatim in their documents, none missing (documents: ${seeds})`);
