// --dry-run through the built `streamspec` bin: the request the client would send (signed, with the token it
// would use), every secret masked, and nothing sent — a server of the test's own counts every request. The same
// command without --dry-run then sends what the dry run showed.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { root } from "../helpers/spec.js";
import { SECRETS, builtCli, cli, expectExit, fakeServer, useBin, type Run, type TestServer } from "./helpers.js";

let server: TestServer;
let dir: string;

const flipflop = () => ({ FLIPFLOP_API_KEY: SECRETS.flipflopKey, FLIPFLOP_API_SECRET: SECRETS.flipflopSecret, FLIPFLOP_BASE_URL: server.url });
const polyv = () => ({ POLYV_APP_ID: "pvcliapp01", POLYV_APP_SECRET: SECRETS.polyvAppSecret, POLYV_USER_ID: "pvuser0001", POLYV_BASE_URL: server.url });
const soop = (tokenFile: string) => ({ SOOP_CLIENT_ID: "soop-cli-client", SOOP_CLIENT_SECRET: SECRETS.soopClientSecret, SOOP_TOKEN_FILE: tokenFile, SOOP_BASE_URL: server.url });
const arctos = () => ({ ARCTOS_LICENSE_KEY: SECRETS.arctosLicense, ARCTOS_BASE_URL: server.url, ARCTOS_CLIENT_ID: "arctos-webapp", ARCTOS_USER_ID: "USER-1", ARCTOS_ROLE: "MODERATOR" });

beforeAll(async () => {
  useBin(await builtCli());
  server = await fakeServer(() => ({ status: 204 }));
  mkdirSync(join(root, ".tmp"), { recursive: true });
  dir = mkdtempSync(join(root, ".tmp", "cli-dry-"));
}, 180_000);

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs a dry run, checks that nothing reached the server, and returns what it printed. */
async function dryRun(args: string[], env: Record<string, string>): Promise<any> {
  const before = server.requests.length;
  const run: Run = await cli([...args, "--dry-run"], { env });
  expectExit(run, 0);
  expect(server.requests.length, "the dry run sent a request").toBe(before);
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout);
}

describe("--dry-run shows the exact request, masked, and sends nothing", () => {
  it("FlipFlop: Basic credentials, with the scheme shown and the pair masked; then sent as shown", async () => {
    const args = ["flipflop", "force-terminate-member-stream-key", "--app-user-id", "42"];
    const shown = await dryRun(args, flipflop());
    expect(shown).toEqual({
      operation: "forceTerminateMemberStreamKey",
      method: "POST",
      url: `${server.url}/v2/apps/me/members/42/stream-key/force-terminate`,
      headers: { authorization: "Basic [REDACTED]" },
      body: null,
    });
    const before = server.requests.length;
    expectExit(await cli(args, { env: flipflop() }), 0);
    const sent = server.requests[before]!;
    expect([sent.method, `${server.url}${sent.path}`]).toEqual([shown.method, shown.url]);
    expect(sent.headers.authorization).toMatch(/^Basic /);
  });

  it("one line in a pipe, indented on a terminal", async () => {
    const args = ["flipflop", "force-terminate-member-stream-key", "--app-user-id", "42", "--dry-run"];
    const piped = await cli(args, { env: flipflop() });
    expect(piped.stdout.trim().split("\n")).toHaveLength(1);
    const before = server.requests.length;
    const terminal = await cli(args, { env: flipflop(), tty: true });
    expectExit(terminal, 0);
    expect(terminal.stdout.replace(/\r\n/g, "\n")).toBe(`${JSON.stringify(JSON.parse(piped.stdout), null, 2)}\n`);
    expect(server.requests.length).toBe(before);
  });

  it("FlipFlop: a JSON body as it would go", async () => {
    const shown = await dryRun(["flipflop", "login-member", "--app-user-id", "member42", "--custom-data", '{"plan":"gold"}'], flipflop());
    expect(shown.headers).toEqual({ authorization: "Basic [REDACTED]", "content-type": "application/json" });
    expect(shown.body).toEqual({ appUserId: "member42", customData: { plan: "gold" } });
  });

  it("Polyv v4: signed in the query (appId, a fresh timestamp, sign masked), the JSON body unsigned", async () => {
    const rows = [{ viewerId: "viewer-1", customFieldId: "PAY_ORDER", customFieldValue: "已支付" }];
    const shown = await dryRun(["polyv", "save-viewer-custom-field-values", "--body", JSON.stringify(rows)], polyv());
    const url = new URL(shown.url);
    expect(url.pathname).toBe("/live/v4/user/custom-field/viewer-value/save");
    expect(url.searchParams.get("appId")).toBe("pvcliapp01");
    expect(Math.abs(Number(url.searchParams.get("timestamp")) - Date.now())).toBeLessThan(60_000);
    expect(url.searchParams.get("sign")).toBe("[REDACTED]");
    expect(shown.body).toEqual(rows);
  });

  it("Polyv v2: signed in the form body, path userId from POLYV_USER_ID", async () => {
    const shown = await dryRun(["polyv", "update-channel-oauth-custom", "--custom-uri", "https://example.com/polyv/auth", "--channel-id", "2191532"], polyv());
    expect(shown.url).toBe(`${server.url}/live/v2/channelSetting/pvuser0001/oauth-custom`);
    expect(shown.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const form = Object.fromEntries(new URLSearchParams(shown.body));
    expect(form).toEqual({ customUri: "https://example.com/polyv/auth", channelId: "2191532", appId: "pvcliapp01", timestamp: expect.stringMatching(/^\d{13}$/), sign: "[REDACTED]" });
  });

  it("SOOP: the token from the token file, masked, in the form body", async () => {
    const tokenFile = join(dir, "fresh.json");
    writeFileSync(tokenFile, JSON.stringify({ accessToken: SECRETS.soopAccess, refreshToken: SECRETS.soopRefresh, expiresAt: Date.now() + 3_600_000 }), { mode: 0o600 });
    const shown = await dryRun(["soop", "get-rtmp-info", "--platform-type", "SOOP"], soop(tokenFile));
    expect(shown).toMatchObject({ operation: "getRtmpInfo", method: "POST", url: `${server.url}/broad/rtmp` });
    expect(Object.fromEntries(new URLSearchParams(shown.body))).toEqual({ platform_type: "SOOP", access_token: "[REDACTED]" });
  });

  it("SOOP with an expired token: the refresh that would go first, and the token file left as it was", async () => {
    const tokenFile = join(dir, "expired.json");
    const content = JSON.stringify({ accessToken: SECRETS.soopAccess, refreshToken: SECRETS.soopRefresh, expiresAt: Date.now() - 1000 });
    writeFileSync(tokenFile, content, { mode: 0o600 });
    const shown = await dryRun(["soop", "get-rtmp-info", "--platform-type", "SOOP"], soop(tokenFile));
    expect(shown).toMatchObject({ operation: "issueToken", method: "POST", url: `${server.url}/auth/token` });
    expect(shown.note).toContain("getRtmpInfo needs its answer");
    expect(Object.fromEntries(new URLSearchParams(shown.body))).toEqual({
      grant_type: "refresh_token",
      refresh_token: "[REDACTED]",
      client_id: "soop-cli-client",
      client_secret: "[REDACTED]",
    });
    expect(readFileSync(tokenFile, "utf8")).toBe(content);
  });

  it("Arctos: the login that would go first, with the license key masked", async () => {
    const shown = await dryRun(["arctos", "check-auth-token"], arctos());
    expect(shown).toMatchObject({
      operation: "getAuthCode",
      method: "POST",
      url: `${server.url}/api/auth/code`,
      headers: { "arc-license-key": "[REDACTED]", "content-type": "application/json" },
      body: { user_id: "USER-1", role: "MODERATOR" },
    });
    expect(shown.note).toContain("checkAuthToken needs its answer");
  });

  it("still refuses bad input first (exit 2); a retry-safe operation is shown like any other", async () => {
    const before = server.requests.length;
    const run = await cli(["flipflop", "force-terminate-member-stream-key", "--app-user-id", "4 2", "--dry-run"], { env: flipflop() });
    expectExit(run, 2);
    expect(run.stdout).toBe("");
    expect(server.requests.length).toBe(before);
    const shown = await dryRun(["flipflop", "delete-members", "--app-user-ids", "1,2,3"], flipflop());
    expect(shown.url).toBe(`${server.url}/v2/apps/me/members/1,2,3`);
  });
});
