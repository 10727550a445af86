// Polyv against a Prism mock of specs/polyv.yaml: signed requests pass Prism's validation (appId, timestamp
// and sign where the spec puts them), successes come back typed, and every documented failure envelope,
// under an error status or under HTTP 200, surfaces as a ProviderError.
// Secrets are not checked here: Prism never echoes credentials, so such a check could not fail. The same
// documented failures, answered with the credentials echoed, are checked in test/reliability/secrets.test.ts.
import { describe, expect, inject, it } from "vitest";
import { createPolyvClient } from "../../src/polyv/index.js";
import { ProviderError } from "../../src/index.js";
import { violationCheckingFetch } from "../helpers/fetch.js";
import { requestExample, responseExamples } from "../helpers/spec.js";
import { caught } from "../helpers/secrets.js";

const secrets = { appId: "pv-app-1234", appSecret: "pv-secret-5678-very-private" };
const V4 = "/live/v4/user/custom-field/viewer-value/save";
const V2 = "/live/v2/channelSetting/{userId}/oauth-custom";
const customUri = "https://example.com/polyv/auth";

function client(extra: { signatureMethod?: "MD5" | "SHA256" } = {}) {
  const fetch = violationCheckingFetch();
  const c = createPolyvClient({ ...secrets, userId: "1b448be323", baseUrl: inject("mocks").polyv!, fetch, retry: false, ...extra });
  return { c, fetch };
}

describe("polyv contract", () => {
  it("saveViewerCustomFieldValues sends a valid signed request and returns the typed envelope", async () => {
    const { c, fetch } = client();
    const out = await c.saveViewerCustomFieldValues({ body: requestExample("polyv", "saveViewerCustomFieldValues") });
    const code: number = out.code;
    expect(code).toBe(200);
    expect(out.success).toBe(true);
    expect(out.requestId).toEqual(expect.any(String));
    expect(fetch.violations).toEqual([]);
  });

  it("updateChannelOauthCustom sends a valid signed form and returns the channels' secretKeys", async () => {
    const { c, fetch } = client();
    const out = await c.updateChannelOauthCustom({ body: { customUri, channelId: "2191532" } });
    expect(out.code).toBe(200);
    const channels = Array.isArray(out.data) ? out.data : [];
    expect(channels.length).toBeGreaterThan(0);
    const secretKey: string | undefined = channels[0]!.secretKey;
    expect(secretKey).toEqual(expect.any(String));
    expect(fetch.violations).toEqual([]);
  });

  it.each([
    ["absent", undefined],
    ["empty", ""],
    ["0", 0],
  ])("updateChannelOauthCustom for all channels (channelId %s) is valid too", async (_, channelId) => {
    const { c, fetch } = client();
    await expect(c.updateChannelOauthCustom({ body: { customUri, channelId } })).resolves.toMatchObject({ code: 200 });
    expect(fetch.violations).toEqual([]);
  });

  it("SHA256 signing (64 hex characters plus signatureMethod) is valid on both endpoints", async () => {
    const { c, fetch } = client({ signatureMethod: "SHA256" });
    await c.saveViewerCustomFieldValues({ body: requestExample("polyv", "saveViewerCustomFieldValues") });
    await c.updateChannelOauthCustom({ body: { customUri } });
    expect(fetch.violations).toEqual([]);
  });

  it("the wire layer reaches the same mock, signed the same way", async () => {
    const { c, fetch } = client();
    const v4 = await c.POST(V4, { body: [{ viewerId: "v1", customFieldId: "PAY_ORDER", customFieldValue: "paid" }] });
    expect(v4.response.status).toBe(200);
    expect(v4.data?.code).toBe(200);
    const v2 = await c.POST(V2, { params: { path: { userId: "1b448be323" } }, body: { customUri } });
    expect(v2.response.status).toBe(200);
    expect(v2.data?.code).toBe(200);
    expect(fetch.violations).toEqual([]);
  });

  it("Prism flags an unsigned request to either endpoint (the check is live)", async () => {
    const base = inject("mocks").polyv!;
    const v4 = await fetch(`${base}${V4}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ viewerId: "v1", customFieldId: "f", customFieldValue: "x" }]),
    });
    const v2 = await fetch(`${base}/live/v2/channelSetting/1b448be323/oauth-custom`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ customUri }).toString(),
    });
    for (const res of [v4, v2]) {
      await res.body?.cancel();
      const violations = res.headers.get("sl-violations") ?? "";
      expect(violations).toMatch(/appId/i);
      expect(violations).toContain("timestamp");
      expect(violations).toContain("'sign'");
    }
  });

  const failures = responseExamples("polyv").filter((e) => e.value?.code !== 200 || e.value?.success === false);
  const calls: Record<string, (c: ReturnType<typeof client>["c"], prefer: string) => Promise<unknown>> = {
    saveViewerCustomFieldValues: (c, prefer) =>
      c.saveViewerCustomFieldValues({ body: [{ viewerId: "v1", customFieldId: "PAY_ORDER", customFieldValue: "paid" }], headers: { Prefer: prefer } }),
    updateChannelOauthCustom: (c, prefer) => c.updateChannelOauthCustom({ body: { customUri }, headers: { Prefer: prefer } }),
  };

  it("documents failures for every operation, one of them under HTTP 200", () => {
    expect(new Set(failures.map((e) => e.operationId))).toEqual(new Set(Object.keys(calls)));
    expect(failures.some((e) => e.status === 200)).toBe(true);
  });

  it.each(failures.map((e) => [`${e.operationId} ${e.status} ${e.name}`, e] as const))("%s surfaces as ProviderError", async (_, ex) => {
    const { c, fetch } = client();
    const err = await caught(() => calls[ex.operationId]!(c, `code=${ex.status}, example=${ex.name}`));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({
      provider: "polyv",
      operation: ex.operationId,
      status: ex.status,
      code: ex.value.error?.code ?? ex.value.code,
      requestId: ex.value.requestId,
    });
    expect(err.message).toContain(ex.value.error?.desc ?? ex.value.message);
    expect(fetch.violations).toEqual([]);
  });
});
