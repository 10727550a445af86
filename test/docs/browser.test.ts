// The docs site in a real browser (Debian's chromium via playwright-core): every page renders offline,
// shows every operation, links resolve, no console errors, and no request leaves the machine.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
// @ts-expect-error plain ESM helper shared with the scripts
import { launchChromium } from "../../scripts/lib/chromium.mjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { root } from "../helpers/spec.js";
// @ts-expect-error plain ESM helpers shared with the scripts
import { loadSpec, providers } from "../../scripts/lib/registry.mjs";
// @ts-expect-error plain ESM helpers shared with the scripts
import { operationsOf } from "../../scripts/lib/samples.mjs";
// @ts-expect-error plain ESM helpers shared with the scripts
import { operationAnchor } from "../../scripts/lib/landing.mjs";
// @ts-expect-error plain ESM helpers shared with the scripts
import { serveDir } from "../../scripts/lib/serve.mjs";
// @ts-expect-error plain ESM helpers shared with the scripts
import { buildDocs } from "../../scripts/docs.mjs";

const artifacts = join(root, "test", "artifacts");
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

let browser: Browser;
let site: { url: string; close: () => Promise<void> };
const outside: string[] = [];
const consoleErrors: string[] = [];

async function open(path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === "data:" || url.protocol === "blob:" || LOOPBACK.has(url.hostname)) return route.continue();
    outside.push(url.href);
    return route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  page.on("console", (msg) => {
    if (msg.type() === "error") consoleErrors.push(`${path}: ${msg.text()}`);
  });
  page.on("pageerror", (err) => consoleErrors.push(`${path}: ${err.message}`));
  await page.goto(`${site.url}/${path}`, { waitUntil: "load" });
  return page;
}

beforeAll(async () => {
  if (!existsSync(join(root, "docs", "index.html"))) await buildDocs();
  mkdirSync(artifacts, { recursive: true });
  site = await serveDir(join(root, "docs"));
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

const list = providers() as { name: string; specPath: string }[];

describe("docs in a browser", () => {
  it("the landing page lists every provider with its operations, and every link resolves", async () => {
    const page = await open("index.html");
    for (const p of list) {
      const spec = loadSpec(p.specPath);
      await expect(page.locator(`section#${p.name} h2`).first().innerText()).resolves.toContain(spec.info.title);
      const rows = page.locator(`section#${p.name} tbody tr`);
      expect(await rows.count()).toBe(operationsOf(spec).length);
    }
    await page.screenshot({ path: join(artifacts, "index.png"), fullPage: true });
    const hrefs = await page.locator("a[href$='.html'], a[href*='.html#']").evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
    expect(hrefs.length).toBeGreaterThan(list.length);
    const checked = new Set<string>();
    for (const href of hrefs) {
      const [file, hash] = href.split("#");
      expect(existsSync(join(root, "docs", file!)), `${href} points at a missing page`).toBe(true);
      if (hash) checked.add(`${file}#${hash}`);
    }
    await page.context().close();
    // Anchors are checked against the rendered provider pages below.
    expect(checked.size).toBe(list.reduce((n, p) => n + operationsOf(loadSpec(p.specPath)).length, 0));
  }, 60_000);

  it.each(list.map((p) => [p.name, p] as const))("%s page renders every operation and its deep links resolve", async (name, p) => {
    const spec = loadSpec(p.specPath);
    const page = await open(`${name}.html`);
    await page.waitForSelector(".api-content", { timeout: 30_000 });
    for (const { op } of operationsOf(spec)) {
      // Follow the landing page's deep link, as a reader would.
      await page.goto(`${site.url}/${name}.html${operationAnchor(op)}`);
      const selector = `[data-section-id="${operationAnchor(op).slice(1)}"]`;
      await page.waitForSelector(selector, { timeout: 10_000 }).catch(() => undefined);
      const section = page.locator(selector);
      expect(await section.count(), `deep link ${operationAnchor(op)} for ${op.operationId}`).toBe(1);
      const title = section.locator("h2").first();
      await title.scrollIntoViewIfNeeded();
      expect(await title.innerText()).toBe(op.summary);
      expect(await title.isVisible()).toBe(true);
    }
    // The generated streamspec sample is part of the page.
    expect(await page.locator(`text=from "streamspec/${name}"`).count()).toBeGreaterThan(0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(artifacts, `${name}.png`) });
    await page.context().close();
  }, 90_000);

  it("made no request outside this machine and logged no console errors", () => {
    expect(outside).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
