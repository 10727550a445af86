// FlipFlop with an injected fetch: auth headers, path encoding, validation, options.
import { describe, expect, it } from "vitest";
import { createFlipFlopClient } from "../../src/flipflop/index.js";
import { ConfigError, ProviderError, TransportError, ValidationError } from "../../src/index.js";
import { json, recordingFetch } from "../helpers/fetch.js";
import { caught, expectNoSecrets } from "../helpers/secrets.js";

const apiKey = "key-abc";
const apiSecret = "s3cr3t-value-xyz";
const basic = Buffer.from(`${apiKey}:${apiSecret}`).toString("base64");

const make = (respond: Parameters<typeof recordingFetch>[0], extra: object = {}) => {
  const fetch = recordingFetch(respond);
  return { fetch, c: createFlipFlopClient({ apiKey, apiSecret, fetch, ...extra }) };
};

describe("createFlipFlopClient", () => {
  it("defaults to the production server and sends Basic auth on every operation", async () => {
    const { c, fetch } = make((req) => (req.method === "POST" && req.url.pathname.endsWith("login") ? json({ accessToken: "a", streamingToken: "s" }) : new Response(null, { status: 204 })));
    await c.loginMember({ body: { appUserId: "A1" } });
    await c.deleteMembers({ params: { path: { appUserIds: ["1"] } } });
    await c.forceTerminateMemberStreamKey({ params: { path: { appUserId: "1" } } });
    expect(fetch.calls.map((r) => r.url.origin)).toEqual(Array(3).fill("https://api.flipflop.cloud"));
    for (const r of fetch.calls) expect(r.headers.get("authorization")).toBe(`Basic ${basic}`);
  });

  it("sends Basic auth on the wire layer too (client.POST/DELETE), not only through the named operations", async () => {
    const { c, fetch } = make((req) => (req.method === "POST" ? json({ accessToken: "a", streamingToken: "s" }) : new Response(null, { status: 204 })));
    await c.POST("/v2/apps/me/members/login", { body: { appUserId: "A1" } });
    await c.DELETE("/v2/apps/me/members/{appUserIds}", { params: { path: { appUserIds: ["1"] } } });
    expect(fetch.calls).toHaveLength(2);
    for (const r of fetch.calls) expect(r.headers.get("authorization")).toBe(`Basic ${basic}`);
  });

  it("joins appUserIds with commas in one path segment", async () => {
    const { c, fetch } = make(() => new Response(null, { status: 204 }));
    await c.deleteMembers({ params: { path: { appUserIds: ["1", "2", "3"] } } });
    expect(fetch.calls[0]!.url.pathname).toBe("/v2/apps/me/members/1,2,3");
  });

  it("sends the login body as JSON and returns the parsed tokens", async () => {
    const { c, fetch } = make(() => json({ accessToken: "acc", streamingToken: "str" }));
    const out = await c.loginMember({ body: { appUserId: "A1", customData: { k: "v" } } });
    expect(out).toEqual({ accessToken: "acc", streamingToken: "str" });
    expect(fetch.calls[0]!.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(fetch.calls[0]!.body)).toEqual({ appUserId: "A1", customData: { k: "v" } });
  });

  it.each([
    ["apiKey", { apiSecret }],
    ["apiSecret", { apiKey }],
    ["apiSecret", { apiKey, apiSecret: "  " }],
  ])("refuses a missing or empty %s with ConfigError", (option, opts) => {
    const err = (() => {
      try {
        createFlipFlopClient(opts as never);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ option });
  });

  it("refuses a missing options object with ConfigError naming apiKey", () => {
    expect(() => createFlipFlopClient(undefined as never)).toThrow(expect.objectContaining({ name: "ConfigError", option: "apiKey" }));
  });

  it("refuses a non-https base URL unless it is loopback or explicitly allowed", () => {
    expect(() => createFlipFlopClient({ apiKey, apiSecret, baseUrl: "http://api.example.com" })).toThrow(ConfigError);
    expect(() => createFlipFlopClient({ apiKey, apiSecret, baseUrl: "http://127.0.0.1:9" })).not.toThrow();
    expect(() => createFlipFlopClient({ apiKey, apiSecret, baseUrl: "http://api.example.com", allowInsecureHttp: true })).not.toThrow();
    expect(() => createFlipFlopClient({ apiKey, apiSecret, baseUrl: "not a url" })).toThrow(/baseUrl/);
  });

  it("rejects input that breaks the spec with every issue named, before any request", async () => {
    const { c, fetch } = make(() => json({}));
    const customData = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, "v"]));
    const err = await caught(() => c.loginMember({ body: { appUserId: "a-b", customType: "x".repeat(51), customData } }));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues).toEqual([
      expect.objectContaining({ path: "body.appUserId", rule: "pattern" }),
      expect.objectContaining({ path: "body.customType", rule: "maxLength" }),
      expect.objectContaining({ path: "body.customData", rule: "maxProperties" }),
    ]);
    expect(err.message).toContain("body.customType must be at most 50 characters");
    const long = await caught(() => c.loginMember({ body: { appUserId: "a", customData: { ["n".repeat(51)]: "v", k: "w".repeat(51) } } }));
    expect(long.issues.map((i: { path: string; rule: string }) => `${i.path}:${i.rule}`)).toEqual([
      `body.customData.${"n".repeat(51)}:maxLength`,
      "body.customData.k:maxLength",
    ]);
    const missing = await caught(() => c.loginMember({ body: {} as never }));
    expect(missing.issues).toEqual([{ path: "body.appUserId", rule: "required", message: "is required" }]);
    const ids = await caught(() => c.deleteMembers({ params: { path: { appUserIds: [] } } }));
    expect(ids.issues[0]).toMatchObject({ path: "path.appUserIds", rule: "minItems" });
    expect(fetch.calls).toHaveLength(0);
  });

  it("turns an error body into ProviderError with the errorCode and errorMessage, and keeps the secret out", async () => {
    const { c } = make(() => json({ errorCode: "INVALID_APP_CREDENTIALS", errorMessage: `bad credentials ${apiSecret}` }, 401));
    const err = await caught(() => c.deleteMembers({ params: { path: { appUserIds: ["1"] } } }));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ status: 401, code: "INVALID_APP_CREDENTIALS", operation: "deleteMembers" });
    expect(err.message).toBe("flipflop.deleteMembers: bad credentials [REDACTED] (HTTP 401, code INVALID_APP_CREDENTIALS)");
    expectNoSecrets(err, [apiSecret, basic]);
  });

  it.each([
    ["a body that is not FlipFlop's error shape", () => new Response("<html>Bad Gateway</html>", { status: 502, headers: { "content-type": "text/html" } })],
    ["errorCode and errorMessage that are not strings", () => json({ errorCode: 42, errorMessage: { text: "no" } }, 502)],
  ])("words an error status from the HTTP status when it has %s, with no code", async (_, respond) => {
    const { c } = make(respond, { retry: false });
    const err = await caught(() => c.deleteMembers({ params: { path: { appUserIds: ["1"] } } }));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ status: 502, code: undefined });
    expect(err.message).toBe("flipflop.deleteMembers: HTTP 502 (HTTP 502)");
  });

  it("turns a network failure into TransportError with the cause, and no secret", async () => {
    const { c } = make(() => {
      throw new TypeError(`fetch failed for https://${apiKey}:${apiSecret}@host`);
    }, { retry: false });
    const err = await caught(() => c.loginMember({ body: { appUserId: "a" } }));
    expect(err).toBeInstanceOf(TransportError);
    expect(err.reason).toBe("network");
    expect(err.cause).toBeInstanceOf(Error);
    expectNoSecrets(err, [apiSecret, basic]);
  });

  it("turns a body that is not JSON into TransportError", async () => {
    const { c } = make(() => new Response("<html>oops</html>", { status: 200, headers: { "content-type": "text/html" } }));
    const err = await caught(() => c.loginMember({ body: { appUserId: "a" } }));
    expect(err).toBeInstanceOf(TransportError);
    expect(err.reason).toBe("invalid-body");
  });

  it("turns an empty body where JSON is promised into TransportError", async () => {
    const { c } = make(() => new Response("", { status: 200, headers: { "content-length": "0" } }));
    const err = await caught(() => c.loginMember({ body: { appUserId: "a" } }));
    expect(err).toMatchObject({ name: "TransportError", reason: "invalid-body" });
  });
});
