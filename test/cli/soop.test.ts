// SOOP through the built `streamspec` bin against a fake SOOP of the test's own (Prism can not issue a token
// and then insist on it): `login` writes the token file 0600, later commands use it and write refreshed tokens
// back (0600 too), and `list-all-broadcasts` streams every page.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { root } from "../helpers/spec.js";
import { SECRETS, builtCli, cli, expectExit, fakeServer, jsonLines, secret, useBin, type Seen, type TestServer } from "./helpers.js";

const CLIENT_ID = "soop-cli-client";
let server: TestServer;
let dir: string;
let tokenFile: string;
let serial = 0;
/** The tokens the fake handed out last; the one refresh token it accepts. */
let current = { access: "", refresh: "" };
const broadcasts = [1, 2, 3].map((n) => ({ broad_no: String(n), broad_title: `live ${n}`, user_id: `u${n}`, user_nick: `n${n}` }));

function issue() {
  serial++;
  current = { access: secret(`soop-fake-access-${serial}+x/=`), refresh: secret(`soop-fake-refresh-${serial}+y/=`) };
  return { access_token: current.access, refresh_token: current.refresh, token_type: "Bearer", expires_in: 28800, scope: "broad_rtmp" };
}

function soop(seen: Seen) {
  const form = new URLSearchParams(seen.body);
  if (seen.method === "POST" && seen.path === "/auth/token") {
    if (form.get("client_id") !== CLIENT_ID || form.get("client_secret") !== SECRETS.soopClientSecret) return { status: 401, body: { result: -1, msg: "bad client" } };
    if (form.get("grant_type") === "authorization_code" && form.get("code")) return { body: issue() };
    if (form.get("grant_type") === "refresh_token" && form.get("refresh_token") === current.refresh) return { body: issue() };
    return { body: { result: -3, msg: "invalid grant" } };
  }
  if (seen.method === "POST" && seen.path === "/broad/rtmp") {
    if (form.get("access_token") !== current.access) return { body: { result: -2, msg: "token expired" } };
    return { body: { result: 1, msg: "Success", data: { rtmp: "rtmp://stream.example/app/", key: secret("stream-key-7781-secret") } } };
  }
  if (seen.method === "GET" && seen.path === "/broad/list") {
    const page = Number(seen.query.get("page_no") ?? 1);
    return { body: { total_cnt: broadcasts.length, page_no: page, page_block: 2, broad: broadcasts.slice((page - 1) * 2, page * 2) } };
  }
  return { status: 404, body: { result: -404, msg: "no route" } };
}

const env = (extra: Record<string, string | undefined> = {}) => ({
  SOOP_CLIENT_ID: CLIENT_ID,
  SOOP_CLIENT_SECRET: SECRETS.soopClientSecret,
  SOOP_TOKEN_FILE: tokenFile,
  SOOP_BASE_URL: server.url,
  ...extra,
});

const mode = (file: string) => statSync(file).mode & 0o777;
const saved = () => JSON.parse(readFileSync(tokenFile, "utf8"));

beforeAll(async () => {
  useBin(await builtCli());
  server = await fakeServer(soop);
  mkdirSync(join(root, ".tmp"), { recursive: true });
  dir = mkdtempSync(join(root, ".tmp", "cli-soop-"));
}, 180_000);

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  tokenFile = join(dir, `token-${++serial}.json`);
});

describe("streamspec soop login", () => {
  it("prints the authorize URL, exchanges --code, and writes the token file with mode 0600", async () => {
    const code = secret("verification-code-5521");
    const before = server.requests.length;
    const run = await cli(["soop", "login", "--code", code], { env: env() });
    expectExit(run, 0);
    expect(run.stderr).toContain(`${server.url}/auth/code?client_id=${CLIENT_ID}`);
    const sent = server.requests.slice(before);
    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual(["POST /auth/token"]);
    expect(Object.fromEntries(new URLSearchParams(sent[0]!.body))).toMatchObject({ grant_type: "authorization_code", code, client_id: CLIENT_ID });
    expect(mode(tokenFile)).toBe(0o600);
    expect(saved()).toEqual({ accessToken: current.access, refreshToken: current.refresh, expiresAt: expect.any(Number) });
    expect(saved().expiresAt).toBeGreaterThan(Date.now() + 28_000_000);
    expect(JSON.parse(run.stdout)).toEqual({ saved: tokenFile, expiresAt: new Date(saved().expiresAt).toISOString() });
  });

  it("takes the code at the prompt, or the whole redirect URL, and replaces a file others could read with a 0600 one", async () => {
    writeFileSync(tokenFile, "{}");
    chmodSync(tokenFile, 0o644);
    const prompted = await cli(["soop", "login"], { env: env(), input: `${secret("verification-code-6632")}\n` });
    expectExit(prompted, 0);
    expect(prompted.stderr).toContain("Code (or the whole redirect URL): ");
    expect(mode(tokenFile)).toBe(0o600);
    expect(saved().accessToken).toBe(current.access);

    const before = server.requests.length;
    const pasted = await cli(["soop", "login"], { env: env(), input: `https://app.example/soop/callback?code=${secret("verification-code-7743")}&state=1\n` });
    expectExit(pasted, 0);
    expect(new URLSearchParams(server.requests[before]!.body).get("code")).toBe("verification-code-7743");
  });

  it("needs SOOP_TOKEN_FILE, and sends nothing without it", async () => {
    const before = server.requests.length;
    const run = await cli(["soop", "login", "--code", "abcdef"], { env: env({ SOOP_TOKEN_FILE: undefined }) });
    expectExit(run, 2);
    expect(run.stderr).toContain("ConfigError: soop: option `token` is saved to the file SOOP_TOKEN_FILE names (set SOOP_TOKEN_FILE)");
    expect(server.requests.length).toBe(before);
  });

  it("--dry-run shows the code exchange it would send, masked, and writes nothing", async () => {
    const before = server.requests.length;
    const run = await cli(["soop", "login", "--code", secret("verification-code-8854"), "--dry-run"], { env: env() });
    expectExit(run, 0);
    expect(server.requests.length).toBe(before);
    expect(existsSync(tokenFile)).toBe(false);
    const shown = JSON.parse(run.stdout);
    expect(shown).toMatchObject({ operation: "issueToken", method: "POST", url: `${server.url}/auth/token` });
    expect(Object.fromEntries(new URLSearchParams(shown.body))).toEqual({
      grant_type: "authorization_code",
      code: "[REDACTED]",
      client_id: CLIENT_ID,
      client_secret: "[REDACTED]",
    });
  });
});

describe("later commands use the token file", () => {
  it("send its access token", async () => {
    expectExit(await cli(["soop", "login", "--code", "code-1234"], { env: env() }), 0);
    const before = server.requests.length;
    const run = await cli(["soop", "get-rtmp-info", "--platform-type", "SOOP"], { env: env() });
    expectExit(run, 0);
    expect(new URLSearchParams(server.requests[before]!.body).get("access_token")).toBe(current.access);
    // The stream key is a credential (x-secret in the spec): masked like a token.
    expect(JSON.parse(run.stdout)).toEqual({ result: 1, msg: "Success", data: { rtmp: "rtmp://stream.example/app/", key: "[REDACTED]" } });
  });

  it("refresh an expired token first and write the new one back, mode 0600", async () => {
    expectExit(await cli(["soop", "login", "--code", "code-2345"], { env: env() }), 0);
    const old = saved();
    writeFileSync(tokenFile, JSON.stringify({ ...old, expiresAt: Date.now() - 1000 }));
    chmodSync(tokenFile, 0o644);
    const before = server.requests.length;
    const run = await cli(["soop", "get-rtmp-info", "--platform-type", "SOOP"], { env: env() });
    expectExit(run, 0);
    const sent = server.requests.slice(before);
    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual(["POST /auth/token", "POST /broad/rtmp"]);
    expect(Object.fromEntries(new URLSearchParams(sent[0]!.body))).toMatchObject({ grant_type: "refresh_token", refresh_token: old.refreshToken });
    expect(new URLSearchParams(sent[1]!.body).get("access_token")).toBe(current.access);
    expect(current.access).not.toBe(old.accessToken);
    expect(saved()).toEqual({ accessToken: current.access, refreshToken: current.refresh, expiresAt: expect.any(Number) });
    expect(mode(tokenFile)).toBe(0o600);
  });

  it("without a token file: a ConfigError naming SOOP_TOKEN_FILE and the login command, nothing sent", async () => {
    const before = server.requests.length;
    const run = await cli(["soop", "get-rtmp-info", "--platform-type", "SOOP"], { env: env() });
    expectExit(run, 2);
    expect(run.stderr).toContain(`(SOOP_TOKEN_FILE: no file at ${tokenFile} yet; run \`streamspec soop login\`)`);
    expect(server.requests.length).toBe(before);
  });

  it("a token file that is not JSON is refused without quoting it", async () => {
    writeFileSync(tokenFile, SECRETS.soopAccess);
    const run = await cli(["soop", "get-rtmp-info", "--platform-type", "SOOP"], { env: env() });
    expectExit(run, 2);
    expect(run.stderr).toContain(`option \`token\` could not be read from SOOP_TOKEN_FILE (${tokenFile}): not valid JSON`);
    expect(run.stderr).not.toContain(SECRETS.soopAccess.slice(0, 8)); // V8's parse error would quote the start
  });
});

describe("streamspec soop list-all-broadcasts", () => {
  it("prints one JSON line per broadcast, across every page", async () => {
    const before = server.requests.length;
    const run = await cli(["soop", "list-all-broadcasts", "--select-key", "cate", "--select-value", "00040000"], { env: env() });
    expectExit(run, 0);
    expect(jsonLines(run)).toEqual(broadcasts);
    const pages = server.requests.slice(before).map((s) => [s.path, s.query.get("page_no"), s.query.get("select_value"), s.query.has("client_id")]);
    expect(pages).toEqual([
      ["/broad/list", "1", "00040000", true],
      ["/broad/list", "2", "00040000", true],
    ]);
    expect(run.stderr).toBe(""); // page progress only when stderr is a terminal
  });

  it("on a terminal: page progress on stderr, still one JSON line per broadcast", async () => {
    const run = await cli(["soop", "list-all-broadcasts"], { env: env(), tty: true });
    expectExit(run, 0);
    // What the terminal shows: each \r ESC[K (return, erase the line) wipes the progress written before it.
    const screen = run.stdout.replace(/\r\n/g, "\n");
    expect(screen).toContain("\r\x1b[Kpage 1, 0 broadcasts so far");
    expect(screen).toContain("\r\x1b[Kpage 2, 2 broadcasts so far");
    expect(screen.endsWith("\r\x1b[K3 broadcasts\n")).toBe(true);
    const lines = screen.split("\n").map((line) => line.split("\r\x1b[K").at(-1)!).filter(Boolean);
    expect(lines.slice(0, -1).map((l) => JSON.parse(l))).toEqual(broadcasts);
    expect(lines.at(-1)).toBe("3 broadcasts");
  });
});
