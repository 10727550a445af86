// SOOP through the built `streamspec` bin against SOOP's fake from streamspec/testing on loopback (Prism can not
// issue a token and then insist on it): `login` writes the token file 0600, later commands use it and write refreshed
// tokens back (0600 too), and `list-all-broadcasts` streams every page.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createFakeSoop, type FakeSoop } from "../../src/testing/index.js";
import { findSecrets } from "../helpers/secrets.js";
import { root } from "../helpers/spec.js";
import { SECRETS, builtCli, cli as runCli, expectExit, jsonLines, secret, useBin } from "./helpers.js";

const CLIENT_ID = "soop-cli-client";
let fake: FakeSoop;
let dir: string;
let tokenFile: string;
let serial = 0;
// 61 live game broadcasts: two pages of SOOP's 60.
const LIVE = Array.from({ length: 61 }, (_, i) => ({ broad_no: String(i + 1), broad_title: `live ${i + 1}`, user_id: `u${i + 1}`, user_nick: `n${i + 1}`, broad_cate_no: "00040019", total_view_cnt: String(1000 - i) }));

/** What the fake handed out so far (codes, tokens, the stream key): none of it may show in the bin's output. */
function issued(): string[] {
  const out = [fake.streamKey];
  for (const r of fake.requests) {
    const location = r.answer?.headers.location;
    if (location) out.push(new URL(location).searchParams.get("code") ?? "");
    try {
      const body = JSON.parse(r.answer?.body ?? "");
      out.push(body.code, body.access_token, body.refresh_token);
    } catch {
      // not JSON
    }
  }
  return out.filter((v): v is string => typeof v === "string" && v.length >= 4);
}

/** The bin, with what the fake issued during the run checked for in its output too. */
async function cli(...args: Parameters<typeof runCli>) {
  const run = await runCli(...args);
  expect(findSecrets([run.stdout, run.stderr], issued())).toEqual([]);
  return run;
}

/** A code the fake issued, as a user would paste it. */
const code = () => secret(fake.issueCode());
const sentSince = (before: number) => fake.requests.slice(before);

const env = (extra: Record<string, string | undefined> = {}) => ({
  SOOP_CLIENT_ID: CLIENT_ID,
  SOOP_CLIENT_SECRET: SECRETS.soopClientSecret,
  SOOP_TOKEN_FILE: tokenFile,
  SOOP_BASE_URL: fake.url,
  ...extra,
});

const mode = (file: string) => statSync(file).mode & 0o777;
const saved = () => JSON.parse(readFileSync(tokenFile, "utf8"));

beforeAll(async () => {
  useBin(await builtCli());
  fake = createFakeSoop({ clientId: CLIENT_ID, clientSecret: SECRETS.soopClientSecret, broadcasts: LIVE });
  await fake.listen();
  mkdirSync(join(root, ".tmp"), { recursive: true });
  dir = mkdtempSync(join(root, ".tmp", "cli-soop-"));
}, 180_000);

afterAll(async () => {
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  tokenFile = join(dir, `token-${++serial}.json`);
});

describe("streamspec soop login", () => {
  it("prints the authorize URL, exchanges --code, and writes the token file with mode 0600", async () => {
    const verification = code();
    const before = fake.requests.length;
    const run = await cli(["soop", "login", "--code", verification], { env: env() });
    expectExit(run, 0);
    expect(run.stderr).toContain(`${fake.url}/auth/code?client_id=${CLIENT_ID}`);
    const sent = sentSince(before);
    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual(["POST /auth/token"]);
    expect(Object.fromEntries(new URLSearchParams(sent[0]!.body))).toMatchObject({ grant_type: "authorization_code", code: verification, client_id: CLIENT_ID });
    expect(mode(tokenFile)).toBe(0o600);
    const answer = JSON.parse(sent[0]!.answer!.body);
    expect(saved()).toEqual({ accessToken: answer.access_token, refreshToken: answer.refresh_token, expiresAt: expect.any(Number) });
    expect(saved().expiresAt).toBeGreaterThan(Date.now() + 28_000_000);
    expect(JSON.parse(run.stdout)).toEqual({ saved: tokenFile, expiresAt: new Date(saved().expiresAt).toISOString() });
  });

  it("takes the code at the prompt, or the whole redirect URL, and replaces a file others could read with a 0600 one", async () => {
    writeFileSync(tokenFile, "{}");
    chmodSync(tokenFile, 0o644);
    const prompted = await cli(["soop", "login"], { env: env(), input: `${code()}\n` });
    expectExit(prompted, 0);
    expect(prompted.stderr).toContain("Code (or the whole redirect URL): ");
    expect(mode(tokenFile)).toBe(0o600);
    expect(saved().accessToken).toBe(JSON.parse(fake.requests.at(-1)!.answer!.body).access_token);

    const before = fake.requests.length;
    const pastedCode = code();
    const pasted = await cli(["soop", "login"], { env: env(), input: `https://app.example/soop/callback?code=${pastedCode}&state=1\n` });
    expectExit(pasted, 0);
    expect(new URLSearchParams(fake.requests[before]!.body).get("code")).toBe(pastedCode);
  });

  it("needs SOOP_TOKEN_FILE, and sends nothing without it", async () => {
    const before = fake.requests.length;
    const run = await cli(["soop", "login", "--code", "abcdef"], { env: env({ SOOP_TOKEN_FILE: undefined }) });
    expectExit(run, 2);
    expect(run.stderr).toContain("ConfigError: soop: option `token` is saved to the file SOOP_TOKEN_FILE names (set SOOP_TOKEN_FILE)");
    expect(fake.requests.length).toBe(before);
  });

  it("--dry-run shows the code exchange it would send, masked, and writes nothing", async () => {
    const before = fake.requests.length;
    const run = await cli(["soop", "login", "--code", secret("verification-code-8854"), "--dry-run"], { env: env() });
    expectExit(run, 0);
    expect(fake.requests.length).toBe(before);
    expect(existsSync(tokenFile)).toBe(false);
    const shown = JSON.parse(run.stdout);
    expect(shown).toMatchObject({ operation: "issueToken", method: "POST", url: `${fake.url}/auth/token` });
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
    expectExit(await cli(["soop", "login", "--code", code()], { env: env() }), 0);
    const before = fake.requests.length;
    const run = await cli(["soop", "get-rtmp-info", "--platform-type", "SOOP"], { env: env() });
    expectExit(run, 0);
    expect(new URLSearchParams(fake.requests[before]!.body).get("access_token")).toBe(saved().accessToken);
    // The stream key is a credential (x-secret in the spec): masked like a token.
    expect(JSON.parse(run.stdout)).toEqual({ result: 1, msg: "Success", data: { rtmp: "rtmp://stream.sooplive.co.kr/app/", key: "[REDACTED]", data: fake.settings } });
  });

  it("refresh an expired token first and write the new one back, mode 0600", async () => {
    expectExit(await cli(["soop", "login", "--code", code()], { env: env() }), 0);
    const old = saved();
    writeFileSync(tokenFile, JSON.stringify({ ...old, expiresAt: Date.now() - 1000 }));
    chmodSync(tokenFile, 0o644);
    const before = fake.requests.length;
    const run = await cli(["soop", "get-rtmp-info", "--platform-type", "SOOP"], { env: env() });
    expectExit(run, 0);
    const sent = sentSince(before);
    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual(["POST /auth/token", "POST /broad/rtmp"]);
    expect(Object.fromEntries(new URLSearchParams(sent[0]!.body))).toMatchObject({ grant_type: "refresh_token", refresh_token: old.refreshToken });
    const fresh = JSON.parse(sent[0]!.answer!.body);
    expect(new URLSearchParams(sent[1]!.body).get("access_token")).toBe(fresh.access_token);
    expect(fresh.access_token).not.toBe(old.accessToken);
    expect(saved()).toEqual({ accessToken: fresh.access_token, refreshToken: fresh.refresh_token, expiresAt: expect.any(Number) });
    expect(mode(tokenFile)).toBe(0o600);
    // The refresh token rotated: the one in the old file is spent.
    writeFileSync(tokenFile, JSON.stringify({ ...old, expiresAt: Date.now() - 1000 }));
    expectExit(await cli(["soop", "get-rtmp-info", "--platform-type", "SOOP"], { env: env() }), 1);
  });

  it("without a token file: a ConfigError naming SOOP_TOKEN_FILE and the login command, nothing sent", async () => {
    const before = fake.requests.length;
    const run = await cli(["soop", "get-rtmp-info", "--platform-type", "SOOP"], { env: env() });
    expectExit(run, 2);
    expect(run.stderr).toContain(`(SOOP_TOKEN_FILE: no file at ${tokenFile} yet; run \`streamspec soop login\`)`);
    expect(fake.requests.length).toBe(before);
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
    const before = fake.requests.length;
    const run = await cli(["soop", "list-all-broadcasts", "--select-key", "cate", "--select-value", "00040000"], { env: env() });
    expectExit(run, 0);
    expect(jsonLines(run)).toEqual(fake.broadcasts);
    const pages = sentSince(before).map((s) => [s.path, s.query.page_no, s.query.select_value, "client_id" in s.query]);
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
    expect(screen).toContain("\r\x1b[Kpage 2, 60 broadcasts so far");
    expect(screen.endsWith("\r\x1b[K61 broadcasts\n")).toBe(true);
    const lines = screen.split("\n").map((line) => line.split("\r\x1b[K").at(-1)!).filter(Boolean);
    expect(lines.slice(0, -1).map((l) => JSON.parse(l))).toEqual(fake.broadcasts);
    expect(lines.at(-1)).toBe("61 broadcasts");
  });
});
