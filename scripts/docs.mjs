#!/usr/bin/env node
// Builds the offline docs site: docs/<provider>.html (Redoc, inlined, with streamspec code samples generated
// from the spec) and docs/index.html (a landing page generated from the registry and the specs).
// The site is built aside and swapped in only when every step succeeded: a failed lint leaves no half site.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { stringify } from "yaml";
import { lintSpecs } from "./lint-specs.mjs";
import { landingPage } from "./lib/landing.mjs";
import { mockUrl } from "./lib/ports.mjs";
import { redocly } from "./lib/redocly.mjs";
import { loadSpec, providers, registryPath, root } from "./lib/registry.mjs";
import { codeSample, operationsOf } from "./lib/samples.mjs";
import { markUndocumented, showRetryReasons } from "./lib/undocumented.mjs";

// --inlineBundle inlines Redoc itself, but its sidebar footer still loads the Redocly logo from a CDN.
// Serve the same attribution from a data: URI so an opened page makes no outside request at all.
const LOGO = /https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(-full)?\.svg/g;
const LOGO_SVG =
  "data:image/svg+xml," +
  encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="56" height="14"><text x="0" y="11" font-family="sans-serif" font-size="11" fill="#6b7389">Redocly</text></svg>');
function offline(html) {
  return html.replace(LOGO, LOGO_SVG);
}

export async function buildDocs({ out = resolve(root, process.env.STREAMSPEC_DOCS_OUT ?? "docs"), lint = true } = {}) {
  if (lint && !(await lintSpecs({ quiet: true }))) {
    throw new Error("the specs do not lint clean (see above): docs not built");
  }
  const staging = `${out}.building`;
  const specDir = join(root, ".tmp", "docs-specs");
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  mkdirSync(specDir, { recursive: true });

  const list = providers();
  const pages = await Promise.all(
    list.map(async (p, index) => {
      const spec = loadSpec(p.specPath);
      // The docs' view of the spec: as written, plus a TypeScript sample per operation built from it, and a
      // visible note on everything the spec marks as not documented by the provider (x-undocumented), and the
      // reason each retried non-GET operation may be sent again (x-retry-safe-reason).
      for (const entry of operationsOf(spec)) {
        entry.op["x-codeSamples"] = [{ lang: "TypeScript", label: "streamspec", source: codeSample(spec, p.name, entry) }];
      }
      markUndocumented(spec);
      showRetryReasons(spec);
      const specFile = join(specDir, `${p.name}.yaml`);
      writeFileSync(specFile, stringify(spec));
      const target = join(staging, `${p.name}.html`);
      const { code, output } = await redocly(
        ["build-docs", specFile, "--config", registryPath, "--inlineBundle", "--output", target, "--title", spec.info.title],
        { capture: true },
      );
      if (code !== 0) throw new Error(`redocly build-docs failed for ${p.alias}:\n${output}`);
      writeFileSync(target, offline(readFileSync(target, "utf8")));
      return { provider: p, spec, page: `${p.name}.html`, mock: mockUrl(index) };
    }),
  );
  writeFileSync(join(staging, "index.html"), landingPage(pages));
  rmSync(out, { recursive: true, force: true });
  renameSync(staging, out);
  return pages;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const pages = await buildDocs();
    console.log(`docs/: index.html + ${pages.map((p) => p.page).join(", ")}`);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
