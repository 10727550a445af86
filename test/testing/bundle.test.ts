// Where the fakes may go and where they may not: an esbuild browser bundle of streamspec/testing loads and answers
// in Chromium through `fetch` — the loopback server, which needs Node, is loaded only when listen() runs and is in no
// bundle. (That no provider subpath's bundle contains the fakes: test/package/isolation.test.ts.)
import { build } from "esbuild";
import type { Browser } from "playwright-core";
// @ts-expect-error plain ESM helper shared with the scripts
import { launchChromium } from "../../scripts/lib/chromium.mjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { root } from "../helpers/spec.js";

/** What the page runs: every fake answering over its in-process fetch, the way a browser test would use it. */
const PAGE = `
import { createFakeArctos, createFakeFlipFlop, createFakePolyv, createFakeSoop } from "./src/testing/index.ts";
import { signPolyvParams } from "./src/polyv/sign.ts";

const out = {};
const json = (r) => r.json();
try {
  const ff = createFakeFlipFlop({ apiKey: "k", apiSecret: "s" });
  out.flipflop = await ff.fetch("https://api.flipflop.cloud/v2/apps/me/members/login", {
    method: "POST", headers: { authorization: "Basic " + btoa("k:s"), "content-type": "application/json" }, body: JSON.stringify({ appUserId: "m1" }),
  }).then((r) => r.status + ":" + Object.keys(ff.members.get("m1") ?? {}).includes("accessToken"));

  const pv = createFakePolyv({ appId: "a", appSecret: "s", userId: "u" });
  const params = { appId: "a", timestamp: String(pv.now()), customUri: "https://app.example.com/auth" };
  const saved = await pv.fetch("https://api.polyv.net/live/v2/channelSetting/u/oauth-custom", {
    method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ ...params, sign: signPolyvParams(params, "s") }),
  }).then(json);
  const visit = await pv.simulateViewerVisit({ channelId: 2191532, fetch: async (url) => new Response(new URL(url).searchParams.get("sign")) });
  out.polyv = saved.code + ":" + (await visit.response.text()).length;

  const soop = createFakeSoop({ clientId: "i", clientSecret: "s" });
  const token = await soop.fetch("https://openapi.sooplive.co.kr/auth/token", {
    method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", client_id: "i", client_secret: "s", code: soop.issueCode() }),
  }).then(json);
  const station = await soop.fetch("https://openapi.sooplive.co.kr/user/stationinfo", {
    method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ access_token: token.access_token }),
  }).then(json);
  out.soop = station.result;

  const arctos = createFakeArctos({ licenseKey: "L" });
  const post = (path, body, headers = {}) => arctos.fetch("https://arctos.example" + path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) }).then(json);
  const code = (await post("/api/auth/code", { user_id: "u", role: "MODERATOR" }, { "arc-license-key": "L" })).info.code;
  const login = await post("/api/auth/login", { grant_type: "authorization_code", client_id: "arctos-webapp", code });
  const checked = await post("/api/auth/check", {}, { authorization: "Bearer " + login.info.access_token });
  out.arctos = checked.status;

  out.listen = await ff.listen().then(() => "listened", (e) => "refused");
} catch (e) {
  out.error = String(e && e.stack || e);
}
window.__result = out;
`;

describe("streamspec/testing in a browser bundle", () => {
  let browser: Browser;
  let code: string;

  beforeAll(async () => {
    const result = await build({
      stdin: { contents: PAGE, resolveDir: root, sourcefile: "page.ts", loader: "ts" },
      absWorkingDir: root,
      bundle: true,
      platform: "browser",
      format: "esm",
      target: "es2022",
      write: false,
      logLevel: "silent",
    });
    code = result.outputFiles[0]!.text;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("bundles with no node: module and without the server, which listen() loads at run time", () => {
    expect(code).not.toMatch(/["']node:/);
    expect(code).not.toContain("createServer");
    expect(code).toMatch(/import\(SERVER_MODULE\)/);
  });

  it("every fake answers over fetch in Chromium, and listen() is refused there without breaking the page", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.route("**/*", (route) => route.abort()); // nothing may leave the page: the fakes answer in-process
    await page.setContent("<!doctype html><title>fakes</title>");
    await page.addScriptTag({ type: "module", content: code });
    await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, undefined, { timeout: 30_000 });
    const result = await page.evaluate(() => (window as unknown as { __result: Record<string, unknown> }).__result);
    expect(result).toEqual({ flipflop: "200:true", polyv: "200:32", soop: 1, arctos: 1, listen: "refused" });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
