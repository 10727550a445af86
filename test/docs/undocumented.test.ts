// Everything a spec marks `x-undocumented` is said visibly in the rendered docs: "Not documented by the
// provider: assumed because …", next to the operation, response, example, schema, property or parameter. And a
// retried non-GET operation shows its `x-retry-safe-reason`.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
// @ts-expect-error plain ESM helper shared with the scripts
import { launchChromium } from "../../scripts/lib/chromium.mjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { root } from "../helpers/spec.js";
// @ts-expect-error plain ESM helpers shared with the scripts
import { RETRY_LABEL, markUndocumented, showRetryReasons, undocumentedNote } from "../../scripts/lib/undocumented.mjs";
// @ts-expect-error plain ESM helpers shared with the scripts
import { serveDir } from "../../scripts/lib/serve.mjs";
// @ts-expect-error plain ESM helpers shared with the scripts
import { buildDocs } from "../../scripts/docs.mjs";

const note = (reason: string): string => undocumentedNote(reason);

describe("markUndocumented (the docs' copy of a spec)", () => {
  it("prepends the note to the description of every kind of marked node, and marks an example's summary", () => {
    const reason = "no document gives it";
    const spec = {
      paths: {
        "/a": {
          post: {
            "x-undocumented": reason,
            description: "Does a thing.",
            parameters: [{ name: "p", in: "query", "x-undocumented": reason, schema: { type: "string" } }],
            responses: {
              "429": {
                "x-undocumented": reason,
                description: "Too many.",
                content: { "application/json": { examples: { e: { summary: "Busy", "x-undocumented": reason, value: {} } } } },
              },
              "200": { description: "Fine.", content: { "application/json": { examples: { ok: { summary: "OK", value: {} } } } } },
            },
          },
        },
      },
      components: { schemas: { S: { "x-undocumented": reason, properties: { q: { type: "string", description: "Q.", "x-undocumented": reason } } } } },
    };
    expect(markUndocumented(spec)).toBe(6);
    const op = spec.paths["/a"].post as any;
    expect(op.description).toBe(`${note(reason)}\n\nDoes a thing.`);
    expect(op.parameters[0].description).toBe(note(reason));
    expect(op.responses["429"].description).toBe(`${note(reason)}\n\nToo many.`);
    const example = op.responses["429"].content["application/json"].examples.e;
    expect([example.summary, example.description]).toEqual(["[Not documented] Busy", note(reason)]);
    expect(op.responses["200"]).toEqual({ description: "Fine.", content: { "application/json": { examples: { ok: { summary: "OK", value: {} } } } } });
    expect((spec.components.schemas.S as any).description).toBe(note(reason));
    expect(spec.components.schemas.S.properties.q.description).toBe(`${note(reason)}\n\nQ.`);
    expect(note(reason)).toBe("**Not documented by the provider:** assumed because no document gives it");
  });

  it("marks every x-undocumented of the four specs", () => {
    for (const name of ["flipflop", "polyv", "soop", "arctos"]) {
      const text = readFileSync(join(root, "specs", `${name}.yaml`), "utf8");
      const spec = parse(text);
      const marked = markUndocumented(spec);
      expect(marked, name).toBeGreaterThan(0);
      // Each marker in the file marks one node (several may share one reason through a YAML alias).
      expect(marked, name).toBe((text.match(/x-undocumented:/g) ?? []).length);
    }
  });
});

describe("showRetryReasons (the docs' copy of a spec)", () => {
  it("appends x-retry-safe-reason to the operation's description, and leaves other operations alone", () => {
    const spec = {
      paths: {
        "/a": {
          post: { description: "Reads.\n", "x-retry-safe": true, "x-retry-safe-reason": "It only reads." },
          get: { description: "Lists.", "x-retry-safe": true },
        },
        "/b": { delete: { "x-retry-safe": true, "x-retry-safe-reason": "Gone is gone." } },
      },
    };
    showRetryReasons(spec);
    expect(spec.paths["/a"].post.description).toBe(`Reads.\n\n**${RETRY_LABEL}** It only reads.`);
    expect(spec.paths["/a"].get.description).toBe("Lists.");
    expect((spec.paths["/b"].delete as any).description).toBe(`**${RETRY_LABEL}** Gone is gone.`);
  });
});

describe("the rendered docs", () => {
  let browser: Browser;
  let site: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    if (!existsSync(join(root, "docs", "index.html"))) await buildDocs();
    site = await serveDir(join(root, "docs"));
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function operation(page: string, anchor: string): Promise<{ page: Page; section: ReturnType<Page["locator"]> }> {
    const p = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await p.goto(`${site.url}/${page}#${anchor}`);
    const section = p.locator(`[data-section-id="${anchor}"]`);
    await section.waitFor({ timeout: 30_000 });
    return { page: p, section };
  }

  it("shows the note of a marked example (Arctos getAuthCode's warning) once it is picked", async () => {
    const { page, section } = await operation("arctos.html", "/auth/getauthcode");
    const samples = section.locator(".panel-response-samples");
    await samples.locator('button[aria-label="Example"]').click();
    await page.getByText("[Not documented] Warning (status 2)").first().click();
    const shown = samples.getByText("Not documented by the provider:");
    await expect(shown.isVisible()).resolves.toBe(true);
    expect(await shown.evaluate((e) => e.parentElement!.innerText)).toContain("assumed because the document defines status 2 (warning) but prints no warning answer");
    await page.close();
  }, 60_000);

  it("shows why a retried POST may be sent again (SOOP getRtmpInfo)", async () => {
    const { page, section } = await operation("soop.html", "/broadcast/getrtmpinfo");
    const shown = section.getByText(RETRY_LABEL).first();
    await expect(shown.isVisible()).resolves.toBe(true);
    expect(await shown.evaluate((e) => e.parentElement!.innerText)).toContain("The guide says this call provides the RTMP URL and stream key");
    await page.close();
  }, 60_000);

  it("shows the note of a marked response (SOOP's undocumented 400) on its tab", async () => {
    const { page, section } = await operation("soop.html", "/broadcast/getrtmpinfo");
    await section.locator("button", { hasText: /^400$/ }).first().click();
    const shown = section.getByText("Not documented by the provider:").first();
    await expect(shown.isVisible()).resolves.toBe(true);
    expect(await shown.evaluate((e) => e.parentElement!.innerText)).toContain("assumed because SOOP documents failures only as HTTP 200");
    await page.close();
  }, 60_000);
});
