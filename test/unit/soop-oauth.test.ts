// The SOOP token flow with an injected fetch and clock: exchange, refresh before expiry, one refresh for many
// concurrent calls, onToken, and the errors when there is no usable token.
import { describe, expect, it, vi } from "vitest";
import { createSoopClient, type SoopToken } from "../../src/soop/index.js";
import { ConfigError, ProviderError, ValidationError } from "../../src/index.js";
import { json, recordingFetch, type Recorded } from "../helpers/fetch.js";
import { caught, expectNoSecrets } from "../helpers/secrets.js";

const clientId = "soop-client-id-1";
const clientSecret = "soop-client-secret-very-private";
const NOW = 1_700_000_000_000;
const old: SoopToken = { accessToken: "old-access-token-111", refreshToken: "old-refresh-token-222", expiresAt: NOW + 3_600_000 };
const issued = { access_token: "new-access-token-333", expires_in: 28800, token_type: "Bearer", scope: null, refresh_token: "new-refresh-token-444" };
const form = (r: Recorded) => Object.fromEntries(new URLSearchParams(r.body));
const isToken = (r: Recorded) => r.url.pathname === "/auth/token";

/** auth/token answers `issued`; everything else succeeds. */
const server = (token: () => Response | Promise<Response> = () => json(issued)) => (req: Recorded) =>
  isToken(req) ? token() : json({ result: 1, msg: "Success" });

function setup(opts: { token?: SoopToken; redirectUri?: string; respond?: Parameters<typeof recordingFetch>[0] } = {}) {
  const clock = { now: NOW };
  const onToken = vi.fn();
  const fetch = recordingFetch(opts.respond ?? server());
  const c = createSoopClient({ clientId, clientSecret, token: opts.token, redirectUri: opts.redirectUri, onToken, fetch, now: () => clock.now });
  return { c, fetch, onToken, clock };
}

describe("exchangeCode", () => {
  it("exchanges the code (with redirect_uri when configured), stores the token and announces it once", async () => {
    const { c, fetch, onToken } = setup({ redirectUri: "https://app.example.com/soop/callback" });
    const token = await c.exchangeCode("code-abc-123");
    const expected = { accessToken: issued.access_token, refreshToken: issued.refresh_token, expiresAt: NOW + 28_800_000 };
    expect(token).toEqual(expected);
    expect(form(fetch.calls[0]!)).toEqual({
      grant_type: "authorization_code",
      code: "code-abc-123",
      redirect_uri: "https://app.example.com/soop/callback",
      client_id: clientId,
      client_secret: clientSecret,
    });
    expect(onToken).toHaveBeenCalledTimes(1);
    expect(onToken).toHaveBeenCalledWith(expected);
    await c.getStationInfo();
    expect(form(fetch.calls[1]!)).toEqual({ access_token: issued.access_token });
  });

  it("sends no redirect_uri when none is configured", async () => {
    const { c, fetch } = setup();
    await c.exchangeCode("code-abc-123");
    expect(form(fetch.calls[0]!)).not.toHaveProperty("redirect_uri");
  });

  it("replaces a token passed to the factory", async () => {
    const { c, fetch } = setup({ token: old });
    await c.exchangeCode("code-abc-123");
    await c.resetStreamKey();
    expect(form(fetch.calls[1]!).access_token).toBe(issued.access_token);
  });

  it("refuses a code that is no string before any request", async () => {
    const { c, fetch } = setup();
    expect(await caught(() => c.exchangeCode(111111 as never))).toMatchObject({
      name: "ValidationError",
      operation: "issueToken",
      issues: [{ path: "code", rule: "type", message: "must be a string (the verification code)" }],
    });
    expect(fetch.calls).toHaveLength(0);
  });

  it.each([
    ["no access_token", { expires_in: 28800, refresh_token: "r-token-1234" }],
    ["an empty access_token", { access_token: "", expires_in: 28800 }],
    ["no expires_in", { access_token: "new-access-token-333" }],
    ["null", null],
  ])("a token answer with %s is a TransportError (invalid-body): nothing stored, nothing announced", async (_, body) => {
    const { c, fetch, onToken } = setup({ respond: server(() => json(body)) });
    const err = await caught(() => c.exchangeCode("code-abc-123"));
    expect(err).toMatchObject({ name: "TransportError", provider: "soop", operation: "issueToken", reason: "invalid-body" });
    expect(err.message).toBe("soop.issueToken: the token response lacks access_token or expires_in");
    expect(onToken).not.toHaveBeenCalled();
    expect(await caught(() => c.getStationInfo())).toBeInstanceOf(ConfigError);
    expect(fetch.calls).toHaveLength(1);
  });

  it("a refused exchange is a ProviderError, stores nothing and announces nothing", async () => {
    const { c, fetch, onToken } = setup({ respond: () => json({ result: -1, msg: "invalid code" }) });
    expect(await caught(() => c.exchangeCode("code-abc-123"))).toMatchObject({ name: "ProviderError", operation: "issueToken", code: -1 });
    expect(onToken).not.toHaveBeenCalled();
    expect(await caught(() => c.getStationInfo())).toBeInstanceOf(ConfigError);
    expect(fetch.calls).toHaveLength(1);
  });
});

describe("token use and refresh", () => {
  it("uses a token passed to the factory while it is fresh for more than 60 s", async () => {
    const { c, fetch, onToken, clock } = setup({ token: old });
    clock.now = old.expiresAt - 61_000;
    await c.getRtmpInfo({ body: { platform_type: "SOOP" } });
    expect(fetch.calls.map((r) => r.url.pathname)).toEqual(["/broad/rtmp"]);
    expect(form(fetch.calls[0]!).access_token).toBe(old.accessToken);
    expect(onToken).not.toHaveBeenCalled();
  });

  it("refreshes first when the token expires within 60 s, then uses the new one from then on", async () => {
    const { c, fetch, onToken, clock } = setup({ token: old });
    clock.now = old.expiresAt - 59_000;
    await c.getRtmpInfo({ body: { platform_type: "SOOP" } });
    await c.getStationInfo();
    expect(fetch.calls.map((r) => r.url.pathname)).toEqual(["/auth/token", "/broad/rtmp", "/user/stationinfo"]);
    expect(form(fetch.calls[0]!)).toEqual({ grant_type: "refresh_token", refresh_token: old.refreshToken, client_id: clientId, client_secret: clientSecret });
    expect(form(fetch.calls[1]!).access_token).toBe(issued.access_token);
    expect(form(fetch.calls[2]!).access_token).toBe(issued.access_token);
    expect(onToken).toHaveBeenCalledTimes(1);
    expect(onToken).toHaveBeenCalledWith({ accessToken: issued.access_token, refreshToken: issued.refresh_token, expiresAt: clock.now + 28_800_000 });
  });

  it("calls that need no token never refresh it", async () => {
    const { c, fetch, clock } = setup({ token: old });
    clock.now = old.expiresAt + 1;
    await c.listCategories();
    await c.listFilters({ params: { path: { type: "streamer" } } });
    expect(fetch.calls.some(isToken)).toBe(false);
  });

  it("50 concurrent calls with an expired token share one refresh", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { c, fetch, onToken, clock } = setup({
      token: old,
      respond: server(async () => {
        await gate;
        return json(issued);
      }),
    });
    clock.now = old.expiresAt + 1_000;
    const all = Promise.all(Array.from({ length: 50 }, () => c.getStationInfo()));
    await vi.waitFor(() => expect(fetch.calls.filter(isToken)).toHaveLength(1));
    release();
    await all;
    expect(fetch.calls.filter(isToken)).toHaveLength(1);
    const used = fetch.calls.filter((r) => !isToken(r)).map((r) => form(r).access_token);
    expect(used).toEqual(Array(50).fill(issued.access_token));
    expect(onToken).toHaveBeenCalledTimes(1);
  });

  it("a failed refresh rejects every waiting call with a ProviderError, once, without a retry loop", async () => {
    const { c, fetch, onToken, clock } = setup({ token: old, respond: server(() => json({ result: -1, msg: "invalid refresh token" }, 401)) });
    clock.now = old.expiresAt;
    const errors = await Promise.all(Array.from({ length: 5 }, () => caught(() => c.getStationInfo())));
    for (const err of errors) {
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ operation: "issueToken", status: 401, code: -1 });
    }
    expect(fetch.calls.filter(isToken)).toHaveLength(1);
    expect(fetch.calls.filter((r) => !isToken(r))).toHaveLength(0);
    // The next call tries once more (a single attempt again), it does not loop.
    await caught(() => c.getStationInfo());
    expect(fetch.calls.filter(isToken)).toHaveLength(2);
    expect(onToken).not.toHaveBeenCalled();
  });

  it("a refresh answered with a 503 is not retried (issueToken is not retry-safe)", async () => {
    const { c, fetch, clock } = setup({ token: old, respond: server(() => new Response(null, { status: 503 })) });
    clock.now = old.expiresAt;
    expect(await caught(() => c.getStationInfo())).toMatchObject({ name: "ProviderError", operation: "issueToken", status: 503 });
    expect(fetch.calls).toHaveLength(1);
  });

  it("refreshToken() renews now, stores and announces the new token", async () => {
    const { c, fetch, onToken } = setup({ token: old });
    const token = await c.refreshToken();
    expect(token.accessToken).toBe(issued.access_token);
    expect(form(fetch.calls[0]!).refresh_token).toBe(old.refreshToken);
    expect(onToken).toHaveBeenCalledWith(token);
    await c.resetStreamKey();
    expect(form(fetch.calls[1]!).access_token).toBe(issued.access_token);
    // the new refresh token is the one used next time
    await c.refreshToken();
    expect(form(fetch.calls[2]!).refresh_token).toBe(issued.refresh_token);
  });
});

describe("no usable token", () => {
  it("a call that needs a token when there is none is a ConfigError pointing at exchangeCode and token", async () => {
    const { c, fetch } = setup();
    const err = await caught(() => c.getStationInfo());
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ option: "token" });
    expect(err.message).toContain("exchangeCode");
    expect(err.message).toContain("`token`");
    expect(await caught(() => c.refreshToken())).toBeInstanceOf(ConfigError);
    expect(fetch.calls).toHaveLength(0);
  });

  it("an expired token without a refresh token is a ConfigError, with no request", async () => {
    const { c, fetch, clock } = setup({ token: { accessToken: "only-access-token", expiresAt: NOW + 1000 } as SoopToken });
    clock.now = NOW + 1000;
    const err = await caught(() => c.resetStreamKey());
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ option: "token" });
    expect(err.message).toContain("has expired and has no refreshToken");
    expect(err.message).toContain("exchangeCode");
    expect(fetch.calls).toHaveLength(0);
  });
});

describe("secrets in the token flow", () => {
  it("neither the client secret nor any token shows in a refresh failure", async () => {
    const echo = `bad ${clientSecret} ${old.accessToken} ${old.refreshToken}`;
    const { c, clock } = setup({ token: old, respond: server(() => json({ result: -7, msg: echo, refresh_token: old.refreshToken })) });
    clock.now = old.expiresAt;
    const err = await caught(() => c.getStationInfo());
    expect(err).toBeInstanceOf(ProviderError);
    expectNoSecrets(err, [clientSecret, old.accessToken, old.refreshToken]);
  });

  it("tokens obtained later are masked too", async () => {
    let n = 0;
    const { c } = setup({
      respond: (req) => (isToken(req) ? json(issued) : json({ result: -1, msg: `token ${issued.access_token} refresh ${issued.refresh_token} #${n++}` })),
    });
    await c.exchangeCode("code-abc-123");
    const err = await caught(() => c.getStationInfo());
    expectNoSecrets(err, [clientSecret, issued.access_token, issued.refresh_token]);
  });
});
