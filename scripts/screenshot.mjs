#!/usr/bin/env node
// Refreshes docs-assets/landing.png, the README's picture of the docs landing page (run after `npm run docs`).
import { join } from "node:path";
import { launchChromium } from "./lib/chromium.mjs";
import { root } from "./lib/registry.mjs";
import { serveDir } from "./lib/serve.mjs";

const site = await serveDir(join(root, "docs"));
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  await page.goto(`${site.url}/index.html`);
  await page.screenshot({ path: join(root, "docs-assets", "landing.png") });
  console.log("docs-assets/landing.png");
} finally {
  await browser.close();
  await site.close();
}
