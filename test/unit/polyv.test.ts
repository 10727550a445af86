// Polyv with an injected fetch: where the signature goes (v4 query vs v2 form), what it covers, fresh
// timestamps, userId defaulting, validation, envelope errors, rate limiting and secret redaction.
// Expected signs are literal hex computed in the shell (printf '%s' "$SECRET...$SECRET" | md5sum).
import { afterEach, describe, expect, it, vi } from "vitest";
import { createPolyvClient, signPolyvParams, type PolyvOptions } from "../../src/polyv/index.js";
import { sharedPolyvLimiter } from "../../src/polyv/rate-limit.js";
import { createSlidingWindowLimiter } from "../../src/core/limiter.js";
import { ConfigError, ProviderError, TransportError, ValidationError } from "../../src/index.js";
import { json, recordingFetch, type Recorded } from "../helpers/fetch.js";
import { caught, expectNoSecrets } from "../helpers/secrets.js";

const appSecret = "fsq2k5weced1h8vui657xtdva66whf0g";
const appId = "frlr1zazn3";
const userId = "1b448be323";
const V4 = "/live/v4/user/custom-field/viewer-value/save";
const V2 = "/live/v2/channelSetting/{userId}/oauth-custom";
const values = [
  { viewerId: "viewerId", customFieldId: "PAY_ORDER", customFieldValue: "已支付" },
  { viewerId: "viewerId2", customFieldId: "PAY_ORDER", customFieldValue: "未支付" },
];

const v4Ok = { code: 200, status: "success", requestId: "r-1", data: null, success: true };
const v2Ok = { code: 200, status: "success", message: "", data: [{ channelId: 2191532, secretKey: "6mu6166v4l" }] };
const okFor = (req: Recorded) => json(req.url.pathname.includes("/v4/") ? v4Ok : v2Ok);

function make(extra: Partial<PolyvOptions> = {}, respond: Parameters<typeof recordingFetch>[0] = okFor) {
  const fetch = recordingFetch(respond);
  const c = createPolyvClient({ appId, appSecret, userId, fetch, rateLimit: false, ...extra });
  return { c, fetch };
}

const form = (r: Recorded) => Object.fromEntries(new URLSearchParams(r.body));
const query = (r: Recorded) => Object.fromEntries(r.url.searchParams);

afterEach(() => {
  vi.restoreAllMocks();
});

describe("createPolyvClient: v4 (saveViewerCustomFieldValues) signs the query", () => {
  it("puts appId, timestamp and sign in the query, signs only them, and leaves the JSON body unchanged", async () => {
    const { c, fetch } = make({ now: () => 1670550787318 });
    const out = await c.saveViewerCustomFieldValues({ body: values });
    expect(out).toEqual(v4Ok);
    const [req] = fetch.calls;
    expect(req!.url.origin + req!.url.pathname).toBe(`https://api.polyv.net${V4}`);
    // printf '%s' "${S}appIdfrlr1zazn3timestamp1670550787318${S}" | md5sum
    expect(query(req!)).toEqual({ appId, timestamp: "1670550787318", sign: "38C24CF5D8092C24BAA0387C619BFB4D" });
    expect(req!.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(req!.body)).toEqual(values);
  });

  it("sends signatureMethod=SHA256 and a SHA-256 sign over the query when asked", async () => {
    const { c, fetch } = make({ now: () => 1660270926732, appId: "g4rqgmmjuo", signatureMethod: "SHA256" });
    await c.saveViewerCustomFieldValues({ body: values });
    // printf '%s' "${S}appIdg4rqgmmjuosignatureMethodSHA256timestamp1660270926732${S}" | sha256sum
    expect(query(fetch.calls[0]!)).toEqual({
      appId: "g4rqgmmjuo",
      timestamp: "1660270926732",
      signatureMethod: "SHA256",
      sign: "5076B07CE48E7DC7B914D4C796F96B8670D9922DD5FFF9B946D85813FF96E89F",
    });
  });

  it("takes a fresh timestamp from `now` for every call", async () => {
    const times = [1700000000000, 1700000000500, 1700000061000];
    const { c, fetch } = make({ now: () => times.shift()! });
    await c.saveViewerCustomFieldValues({ body: values });
    await c.saveViewerCustomFieldValues({ body: values });
    await c.POST(V4, { body: values });
    const sent = fetch.calls.map(query);
    expect(sent.map((q) => q.timestamp)).toEqual(["1700000000000", "1700000000500", "1700000061000"]);
    for (const q of sent) expect(q.sign).toBe(signPolyvParams({ appId, timestamp: q.timestamp! }, appSecret));
    expect(new Set(sent.map((q) => q.sign)).size).toBe(3);
  });

  it("uses Date.now by default", async () => {
    vi.spyOn(Date, "now").mockReturnValue(1712345678901);
    const { c, fetch } = make();
    await c.saveViewerCustomFieldValues({ body: values });
    expect(query(fetch.calls[0]!).timestamp).toBe("1712345678901");
  });

  it("signs the wire layer too, replacing whatever the caller put in the credential fields", async () => {
    const { c, fetch } = make({ now: () => 1670550787318 });
    const forged = { appId: "evil", timestamp: "1000000000000", signatureMethod: "SHA256", sign: "X", extra: " " };
    const { data, response } = await c.POST(V4, { body: values, params: { query: forged } as never });
    expect(response.status).toBe(200);
    expect(data).toEqual(v4Ok);
    // An MD5 client sends no signatureMethod at all, whatever the caller put there (else: SHA256 with an MD5 sign).
    expect(query(fetch.calls[0]!)).toEqual({ appId, timestamp: "1670550787318", sign: "38C24CF5D8092C24BAA0387C619BFB4D" });
    // The query is signed; the JSON body travels as it was given.
    expect(fetch.calls[0]!.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(fetch.calls[0]!.body)).toEqual(values);
  });

  it("a SHA256 client sends its own signatureMethod and timestamp over the caller's", async () => {
    const { c, fetch } = make({ now: () => 1660270926732, appId: "g4rqgmmjuo", signatureMethod: "SHA256" });
    const forged = { appId: "evil", timestamp: "1000000000000", signatureMethod: "MD5", sign: "X" };
    await c.POST(V4, { body: values, params: { query: forged } as never });
    // printf '%s' "${S}appIdg4rqgmmjuosignatureMethodSHA256timestamp1660270926732${S}" | sha256sum
    expect(query(fetch.calls[0]!)).toEqual({
      appId: "g4rqgmmjuo",
      timestamp: "1660270926732",
      signatureMethod: "SHA256",
      sign: "5076B07CE48E7DC7B914D4C796F96B8670D9922DD5FFF9B946D85813FF96E89F",
    });
  });

  it.each([
    ["seconds", 1670550787],
    ["microseconds", 1670550787318000],
    ["a negative time", -1670550787318],
  ])("refuses a clock that gives %s rather than 13-digit milliseconds, before sending", async (_, time) => {
    const { c, fetch } = make({ now: () => time });
    const err = await caught(() => c.saveViewerCustomFieldValues({ body: values }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.option).toBe("now");
    expect(err.message).toBe("polyv: option `now` must return the current time in milliseconds (13 digits)");
    expect(fetch.calls).toHaveLength(0);
  });
});

describe("createPolyvClient: v2 (updateChannelOauthCustom) signs the form body", () => {
  const now = () => 1621843813824;

  it("puts appId, timestamp and sign in the form body and signs customUri and channelId with them", async () => {
    const { c, fetch } = make({ now });
    const out = await c.updateChannelOauthCustom({ body: { customUri: "http://mywebsite.com/myDefinedUrl.php", channelId: "2191532" } });
    expect(out).toEqual(v2Ok);
    const [req] = fetch.calls;
    expect(req!.url.href).toBe(`https://api.polyv.net/live/v2/channelSetting/${userId}/oauth-custom`);
    expect(req!.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    // printf '%s' "${S}appIdfrlr1zazn3channelId2191532customUrihttp://mywebsite.com/myDefinedUrl.phptimestamp1621843813824${S}"
    expect(form(req!)).toEqual({
      customUri: "http://mywebsite.com/myDefinedUrl.php",
      channelId: "2191532",
      appId,
      timestamp: "1621843813824",
      sign: "4D34E8284262FAAAB198CB5B8AF037BB",
    });
  });

  it("signs raw values (not URL-encoded), and sends a numeric channelId as text", async () => {
    const { c, fetch } = make({ now });
    // An RFC 3986 URI carries non-ASCII percent-encoded; the sign covers that text as is, not its form encoding.
    await c.updateChannelOauthCustom({ body: { customUri: "https://example.com/%E6%8E%88%E6%9D%83/cb+1", channelId: 2191532 } });
    const body = fetch.calls[0]!.body;
    expect(body).toContain("customUri=https%3A%2F%2Fexample.com%2F%25E6%258E%2588%25E6%259D%2583%2Fcb%2B1");
    // printf '%s' "${S}appIdfrlr1zazn3channelId2191532customUrihttps://example.com/%E6%8E%88%E6%9D%83/cb+1timestamp1621843813824${S}" | md5sum
    expect(form(fetch.calls[0]!).sign).toBe("61BB1925FED24C82B68B45CDF30FFC20");
  });

  it.each([
    ["absent", undefined],
    ["empty", ""],
    ["whitespace", "  "],
  ])("leaves a blank channelId (%s) out of body and sign: all channels", async (_, channelId) => {
    const { c, fetch } = make({ now });
    await c.updateChannelOauthCustom({ body: { customUri: "https://example.com/auth", channelId } });
    // printf '%s' "${S}appIdfrlr1zazn3customUrihttps://example.com/authtimestamp1621843813824${S}"
    expect(form(fetch.calls[0]!)).toEqual({
      customUri: "https://example.com/auth",
      appId,
      timestamp: "1621843813824",
      sign: "EC9AEADE78208FD18A6AC89595CDC1FE",
    });
  });

  it('sends channelId 0 as "0" and signs it', async () => {
    const { c, fetch } = make({ now });
    await c.updateChannelOauthCustom({ body: { customUri: "https://example.com/auth", channelId: 0 } });
    // printf '%s' "${S}appIdfrlr1zazn3channelId0customUrihttps://example.com/authtimestamp1621843813824${S}"
    expect(form(fetch.calls[0]!)).toMatchObject({ channelId: "0", sign: "86BFA33AE1894E8A784126BE4938F7A4" });
  });

  it("sends signatureMethod=SHA256 in the form and signs it with the rest", async () => {
    const { c, fetch } = make({ now, signatureMethod: "SHA256" });
    await c.updateChannelOauthCustom({ body: { customUri: "https://example.com/auth" } });
    // printf '%s' "${S}appIdfrlr1zazn3customUrihttps://example.com/authsignatureMethodSHA256timestamp1621843813824${S}" | sha256sum
    expect(form(fetch.calls[0]!)).toEqual({
      customUri: "https://example.com/auth",
      appId,
      timestamp: "1621843813824",
      signatureMethod: "SHA256",
      sign: "FB2039602CEAA6BCAC267E569047BB584D206A6EF54CCB25282663ACDD2B7ABF",
    });
    expect(fetch.calls[0]!.url.search).toBe("");
  });

  it("replaces every credential field the caller put in the form (appId, timestamp, signatureMethod, sign)", async () => {
    const { c, fetch } = make({ now });
    const forged = { appId: "evil", timestamp: "1000000000000", signatureMethod: "SHA256", sign: "X" };
    await c.POST(V2, { params: { path: { userId } }, body: { customUri: "https://example.com/auth", ...forged } as never });
    // printf '%s' "${S}appIdfrlr1zazn3customUrihttps://example.com/authtimestamp1621843813824${S}"
    expect(form(fetch.calls[0]!)).toEqual({
      customUri: "https://example.com/auth",
      appId,
      timestamp: "1621843813824",
      sign: "EC9AEADE78208FD18A6AC89595CDC1FE",
    });
  });

  it("signs the wire layer's plain-object body as a form too", async () => {
    const { c, fetch } = make({ now });
    const { data } = await c.POST(V2, { params: { path: { userId: "other" } }, body: { customUri: "https://example.com/auth" } });
    expect(data).toEqual(v2Ok);
    expect(fetch.calls[0]!.url.pathname).toBe("/live/v2/channelSetting/other/oauth-custom");
    expect(form(fetch.calls[0]!)).toMatchObject({ appId, timestamp: "1621843813824", sign: "EC9AEADE78208FD18A6AC89595CDC1FE" });
  });
});

describe("createPolyvClient: userId", () => {
  it("defaults the path userId to the factory's, and a call's own userId wins", async () => {
    const { c, fetch } = make();
    await c.updateChannelOauthCustom({ body: { customUri: "https://example.com/auth" } });
    await c.updateChannelOauthCustom({ params: { path: { userId: "zz99" } }, body: { customUri: "https://example.com/auth" } });
    expect(fetch.calls.map((r) => r.url.pathname)).toEqual([
      `/live/v2/channelSetting/${userId}/oauth-custom`,
      "/live/v2/channelSetting/zz99/oauth-custom",
    ]);
  });

  it("throws ConfigError naming userId when the call is made without one, and sends nothing", async () => {
    const { c, fetch } = make({ userId: undefined });
    await expect(c.saveViewerCustomFieldValues({ body: values })).resolves.toEqual(v4Ok); // no userId needed there
    const err = await caught(() => c.updateChannelOauthCustom({ body: { customUri: "https://example.com/auth" } }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.option).toBe("userId");
    expect(err.message).toBe("polyv: option `userId` is required for updateChannelOauthCustom: pass it to createPolyvClient or as params.path.userId");
    expect(fetch.calls).toHaveLength(1);
  });

  it("fills the factory's userId into an empty path object too", async () => {
    const { c, fetch } = make();
    await c.updateChannelOauthCustom({ params: { path: {} }, body: { customUri: "https://example.com/auth" } } as never);
    expect(fetch.calls[0]!.url.pathname).toBe(`/live/v2/channelSetting/${userId}/oauth-custom`);
  });

  it.each([
    ["null", null, { path: "path.userId", rule: "required" }],
    ["an array", [], { path: "path", rule: "type" }],
    ["text", "1b448be323", { path: "path", rule: "type" }],
  ])("leaves a path that is %s for validation to refuse, rather than filling the userId into it", async (_, path, issue) => {
    const { c, fetch } = make();
    const err = await caught(() => c.updateChannelOauthCustom({ params: { path }, body: { customUri: "https://example.com/auth" } } as never));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues).toContainEqual(expect.objectContaining(issue));
    expect(fetch.calls).toHaveLength(0);
  });
});

describe("createPolyvClient: validation before any request", () => {
  it.each([
    ["a viewerId that is no string", () => ({ body: [{ viewerId: 1, customFieldId: "PAY_ORDER", customFieldValue: "x" }] }), "saveViewerCustomFieldValues", "body[0].viewerId", "type"],
    ["non-array body", () => ({ body: values[0] }), "saveViewerCustomFieldValues", "body", "type"],
    ["relative customUri", () => ({ body: { customUri: "/auth" } }), "updateChannelOauthCustom", "body.customUri", "format"],
    ["customUri with a query", () => ({ body: { customUri: "https://example.com/auth?x=1" } }), "updateChannelOauthCustom", "body.customUri", "pattern"],
    ["a field the signed form does not declare", () => ({ body: { customUri: "https://example.com/auth", extra: "1" } }), "updateChannelOauthCustom", "body.extra", "additionalProperties"],
    ["empty userId", () => ({ params: { path: { userId: "" } }, body: { customUri: "https://example.com/auth" } }), "updateChannelOauthCustom", "path.userId", "minLength"],
  ] as const)("%s → ValidationError", async (_, init, op, path, rule) => {
    const { c, fetch } = make();
    const err = await caught(() => (c[op] as (i: unknown) => Promise<unknown>)(init()));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.operation).toBe(op);
    expect(err.issues).toContainEqual(expect.objectContaining({ path, rule }));
    expect(fetch.calls).toHaveLength(0);
  });
});

describe("createPolyvClient: input the documents allow is sent", () => {
  it("an empty array, an entry without fields, an entry with a field of its own and an empty viewerId (the v4 body is not signed)", async () => {
    const { c, fetch } = make();
    for (const body of [[], [{}], [{ viewerId: "", customFieldId: "PAY_ORDER", customFieldValue: "x", note: "extra" }]]) {
      await c.saveViewerCustomFieldValues({ body: body as never });
    }
    expect(fetch.calls.map((r) => JSON.parse(r.body))).toEqual([[], [{}], [{ viewerId: "", customFieldId: "PAY_ORDER", customFieldValue: "x", note: "extra" }]]);
  });

  it("any channelId integer, and a customUri with another scheme", async () => {
    const { c, fetch } = make();
    await c.updateChannelOauthCustom({ body: { customUri: "HTTPS://example.com/auth", channelId: -1 } });
    const form = new URLSearchParams(fetch.calls[0]!.body);
    expect([form.get("customUri"), form.get("channelId")]).toEqual(["HTTPS://example.com/auth", "-1"]);
  });
});

describe("createPolyvClient: envelope errors", () => {
  it("treats a v2 failure envelope under HTTP 200 as ProviderError", async () => {
    const { c } = make({}, () => json({ code: 400, status: "error", message: "invalid signature.", data: "" }));
    const err = await caught(() => c.updateChannelOauthCustom({ body: { customUri: "https://example.com/auth" } }));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ provider: "polyv", operation: "updateChannelOauthCustom", status: 200, code: 400, requestId: undefined });
    expect(err.message).toContain("invalid signature.");
  });

  it("prefers the v4 error.code and error.desc, and keeps the requestId", async () => {
    const body = { code: 400, status: "error", requestId: "d310b70b", error: { code: 20001, desc: "application not found." }, success: false };
    const { c } = make({}, () => json(body, 400));
    const err = await caught(() => c.saveViewerCustomFieldValues({ body: values }));
    expect(err).toMatchObject({ name: "ProviderError", status: 400, code: 20001, requestId: "d310b70b" });
    // The body is kept (the core's redactor masks every field named `code`, whatever it holds).
    expect(err.body).toMatchObject({ status: "error", requestId: "d310b70b", error: { desc: "application not found." } });
    expect(err.message).toContain("application not found.");
  });

  it("falls back to the envelope code when error.code is missing", async () => {
    const { c } = make({}, () => json({ code: 500, status: "fail", message: "access forbidden", data: "" }, 500));
    const err = await caught(() => c.updateChannelOauthCustom({ body: { customUri: "https://example.com/auth" } }));
    expect(err).toMatchObject({ status: 500, code: 500 });
    expect(err.message).toContain("access forbidden");
  });

  it("treats success: false as a failure even with code 200", async () => {
    const { c } = make({}, () => json({ code: 200, status: "error", success: false, error: { desc: "odd" } }));
    const err = await caught(() => c.saveViewerCustomFieldValues({ body: values }));
    expect(err).toMatchObject({ name: "ProviderError", status: 200, code: 200 });
  });

  it.each([
    ["an HTML page", () => new Response("<html>bad gateway</html>", { status: 502, headers: { "content-type": "text/html" } })],
    ["JSON null", () => json(null, 502)],
    ["a JSON array", () => json([{ code: 400 }], 502)],
    ["an object without code", () => json({ message: "upstream down" }, 502)],
  ])("turns an error status without an envelope (%s) into ProviderError named by the status", async (_, respond) => {
    const { c } = make({}, respond);
    const err = await caught(() => c.saveViewerCustomFieldValues({ body: values }));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ status: 502, code: undefined, requestId: undefined });
    expect(err.message).toBe("polyv.saveViewerCustomFieldValues: HTTP 502 (HTTP 502)");
  });

  it("resolves a success status whose body has no code: no envelope, so no failure", async () => {
    const { c } = make({}, () => json({ message: "no code here" }));
    await expect(c.saveViewerCustomFieldValues({ body: values })).resolves.toEqual({ message: "no code here" });
  });

  it.each([400, 500])("an HTTP %d is a failure even when its envelope says code 200", async (status) => {
    const { c } = make({}, () => json({ code: 200, status: "success", success: true, message: "odd", requestId: "r-9" }, status));
    const err = await caught(() => c.saveViewerCustomFieldValues({ body: values }));
    expect(err).toMatchObject({ name: "ProviderError", status, code: 200, requestId: "r-9" });
    expect(err.message).toBe(`polyv.saveViewerCustomFieldValues: odd (HTTP ${status}, code 200)`);
  });

  it("keeps a v4 error.code that is text, and falls back to the envelope code for a blank one or error: null", async () => {
    const text = make({}, () => json({ code: 400, status: "error", success: false, error: { code: "SIGN_INVALID", desc: "bad sign" } }, 400));
    expect(await caught(() => text.c.saveViewerCustomFieldValues({ body: values }))).toMatchObject({ code: "SIGN_INVALID" });
    const blank = make({}, () => json({ code: 400, status: "error", success: false, error: { code: " ", desc: "bad sign" } }, 400));
    expect(await caught(() => blank.c.saveViewerCustomFieldValues({ body: values }))).toMatchObject({ code: 400 });
    const none = make({}, () => json({ code: 403, status: "error", message: "forbidden", error: null }));
    const err = await caught(() => none.c.saveViewerCustomFieldValues({ body: values }));
    expect(err).toMatchObject({ name: "ProviderError", code: 403 });
    expect(err.message).toBe("polyv.saveViewerCustomFieldValues: forbidden (HTTP 200, code 403)");
  });

  it("words a failure by message when error.desc is blank or no text, and says the request failed when neither says more", async () => {
    const blank = make({}, () => json({ code: 400, status: "error", message: "invalid appId", error: { desc: "  " } }));
    expect((await caught(() => blank.c.saveViewerCustomFieldValues({ body: values }))).message).toBe("polyv.saveViewerCustomFieldValues: invalid appId (HTTP 200, code 400)");
    const notText = make({}, () => json({ code: 400, status: "error", message: "invalid appId", error: { desc: 7 } }));
    expect((await caught(() => notText.c.saveViewerCustomFieldValues({ body: values }))).message).toBe("polyv.saveViewerCustomFieldValues: invalid appId (HTTP 200, code 400)");
    const bare = make({}, () => json({ code: 400, requestId: " " }));
    const err = await caught(() => bare.c.saveViewerCustomFieldValues({ body: values }));
    expect(err.message).toBe("polyv.saveViewerCustomFieldValues: the request failed (HTTP 200, code 400)");
    expect(err.requestId).toBeUndefined();
  });

  it("never shows the appSecret, even when the provider's message echoes it", async () => {
    const { c } = make({}, () =>
      json({ code: 400, status: "error", error: { desc: `invalid signature for secret ${appSecret}` }, success: false, requestId: appSecret }, 400),
    );
    const err = await caught(() => c.saveViewerCustomFieldValues({ body: values }));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.message).toContain("invalid signature for secret [REDACTED]");
    expectNoSecrets(err, [appSecret]);
  });

  it("never shows the appSecret in a network failure or in debug logs", async () => {
    const lines: string[] = [];
    const { c } = make({ logger: (e) => lines.push(JSON.stringify(e)) }, () => {
      throw new TypeError(`connect failed, appSecret=${appSecret}`);
    });
    const err = await caught(() => c.saveViewerCustomFieldValues({ body: values }));
    expect(err).toBeInstanceOf(TransportError);
    expectNoSecrets(err, [appSecret]);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).not.toContain(appSecret);
  });
});

describe("createPolyvClient: options", () => {
  const needsString = "is required and must be a non-empty string";
  const limitRule = "limit must be a positive integer";
  const intervalRule = "intervalMs must be a positive number of milliseconds";
  it.each([
    ["appId", undefined, needsString],
    ["appId", { appSecret }, needsString],
    ["appId", { appId: "", appSecret }, needsString],
    ["appSecret", { appId }, needsString],
    ["appSecret", { appId, appSecret: "   " }, needsString],
    ["userId", { appId, appSecret, userId: "" }, needsString],
    ["signatureMethod", { appId, appSecret, signatureMethod: "SHA1" }, 'must be "MD5" or "SHA256"'],
    ["now", { appId, appSecret, now: 5 }, "must be a function returning milliseconds"],
    ["rateLimit", { appId, appSecret, rateLimit: { limit: 0, intervalMs: 1000 } }, limitRule],
    ["rateLimit", { appId, appSecret, rateLimit: { limit: 1.5, intervalMs: 1000 } }, limitRule],
    ["rateLimit", { appId, appSecret, rateLimit: { limit: 10, intervalMs: -1 } }, intervalRule],
    ["rateLimit", { appId, appSecret, rateLimit: { limit: 10, intervalMs: 0 } }, intervalRule],
    ["rateLimit", { appId, appSecret, rateLimit: { limit: 10, intervalMs: "1000" } }, intervalRule],
    ["rateLimit", { appId, appSecret, rateLimit: { limit: 10, intervalMs: Number.POSITIVE_INFINITY } }, intervalRule],
    ["rateLimit", { appId, appSecret, rateLimit: true }, "must be { limit, intervalMs }, a limiter or false"],
    ["rateLimit", { appId, appSecret, rateLimit: null }, "must be { limit, intervalMs }, a limiter or false"],
    ["baseUrl", { appId, appSecret, baseUrl: "http://api.polyv.net" }, "must use https"],
  ])("refuses a bad %s with ConfigError naming it and the rule", (option, opts, rule) => {
    let err: unknown;
    try {
      createPolyvClient(opts as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ option });
    expect((err as Error).message).toContain(`\`${option}\` ${rule}`);
    expectNoSecrets(err, [appSecret]);
  });
});

describe("createPolyvClient: rate limit", () => {
  it("shares one limiter, built from the spec's numbers, between all clients by default", async () => {
    const shared = sharedPolyvLimiter();
    expect({ limit: shared.limit, intervalMs: shared.intervalMs }).toEqual({ limit: 1500, intervalMs: 10_000 });
    const acquire = vi.spyOn(shared, "acquire");
    const a = make({ rateLimit: undefined });
    const b = make({ rateLimit: undefined, appId: "another" });
    await a.c.saveViewerCustomFieldValues({ body: values });
    await b.c.updateChannelOauthCustom({ body: { customUri: "https://example.com/auth" } });
    await b.c.POST(V4, { body: values });
    expect(acquire).toHaveBeenCalledTimes(3);
    // Its own limiter takes a named call without a signal as is: no stand-in signal is made for it (the wire
    // layer's Request always has a signal of its own).
    expect(acquire.mock.calls.map(([signal]) => signal)).toEqual([undefined, undefined, expect.any(AbortSignal)]);
    const caller = new AbortController().signal;
    await a.c.saveViewerCustomFieldValues({ body: values, signal: caller });
    expect(acquire.mock.calls[3]![0]).toBe(caller);
  });

  it("uses a custom limiter as given, and none at all with rateLimit: false", async () => {
    const acquire = vi.spyOn(sharedPolyvLimiter(), "acquire");
    const custom = { acquire: vi.fn(async (_signal?: AbortSignal) => {}) };
    const { c } = make({ rateLimit: custom });
    await c.saveViewerCustomFieldValues({ body: values });
    expect(custom.acquire).toHaveBeenCalledTimes(1);
    expect(custom.acquire.mock.calls[0]![0]).toBeInstanceOf(AbortSignal);
    const off = make({ rateLimit: false });
    await off.c.saveViewerCustomFieldValues({ body: values });
    expect(acquire).not.toHaveBeenCalled();
  });

  it("a limiter spread from streamspec's own ({ ...limiter, acquire }) is the app's: its acquire always gets a signal", async () => {
    const own = createSlidingWindowLimiter({ limit: 100, intervalMs: 1000 });
    expect(own.signalOptional).toBe(true);
    const spread = { ...own, acquire: vi.fn(async (signal?: AbortSignal) => own.acquire(signal)) };
    expect("signalOptional" in spread).toBe(false);
    const { c } = make({ rateLimit: spread });
    await c.saveViewerCustomFieldValues({ body: values });
    expect(spread.acquire.mock.calls[0]![0]).toBeInstanceOf(AbortSignal);
  });

  it("queues a call over its own { limit, intervalMs } instead of failing, and an abort while queued rejects", async () => {
    const { c, fetch } = make({ rateLimit: { limit: 1, intervalMs: 60_000 } });
    await c.saveViewerCustomFieldValues({ body: values });
    const controller = new AbortController();
    const queued = caught(() => c.saveViewerCustomFieldValues({ body: values, signal: controller.signal }));
    await new Promise((r) => setImmediate(r));
    expect(fetch.calls).toHaveLength(1);
    controller.abort();
    const err = await queued;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.reason).toBe("aborted");
    expect(fetch.calls).toHaveLength(1);
  });
});
