// Failures through the built `streamspec` bin: each error class with its exit code and its one stderr line (or
// JSON with --json), bad input refused before anything is sent (a server of the test's own counts requests),
// and usage errors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECRETS, builtCli, cli, expectExit, fakeServer, useBin, type Answer, type Seen, type TestServer } from "./helpers.js";

let server: TestServer;
/** What the server answers next, by path; default 200 `{}`. */
let answer: (seen: Seen) => Answer | "destroy" = () => ({ body: {} });

const flipflop = () => ({ FLIPFLOP_API_KEY: SECRETS.flipflopKey, FLIPFLOP_API_SECRET: SECRETS.flipflopSecret, FLIPFLOP_BASE_URL: server.url });
const polyv = () => ({ POLYV_APP_ID: "pvcliapp01", POLYV_APP_SECRET: SECRETS.polyvAppSecret, POLYV_USER_ID: "pvuser0001", POLYV_BASE_URL: server.url });
const arctos = () => ({ ARCTOS_LICENSE_KEY: SECRETS.arctosLicense, ARCTOS_BASE_URL: server.url, ARCTOS_CLIENT_ID: "arctos-webapp", ARCTOS_USER_ID: "USER-1", ARCTOS_ROLE: "MODERATOR" });

beforeAll(async () => {
  useBin(await builtCli());
  server = await fakeServer((seen) => answer(seen));
}, 180_000);

afterAll(() => server?.close());

/** Runs the CLI and checks the server saw nothing at all. */
async function refused(args: string[], env: Record<string, string>) {
  const before = server.requests.length;
  const run = await cli(args, { env });
  expectExit(run, 2);
  expect(server.requests.length, "a request was sent").toBe(before);
  expect(run.stdout).toBe("");
  return run;
}

describe("bad input: exit 2, nothing sent, the field path and rule of ValidationError", () => {
  it("a value that breaks the schema names the field, the flag and the rule", async () => {
    const run = await refused(["flipflop", "force-terminate-member-stream-key", "--app-user-id", "4-2"], flipflop());
    expect(run.stderr).toBe("ValidationError: flipflop.forceTerminateMemberStreamKey: invalid input: path.appUserId (--app-user-id) must match ^[A-Za-z0-9]+$ (pattern)\n");
  });

  it("a missing required field, an enum, a length and a type, all reported at once", async () => {
    const run = await refused(["flipflop", "login-member", "--custom-type", "x".repeat(51)], flipflop());
    expect(run.stderr).toContain("body.appUserId (--app-user-id) is required (required)");
    expect(run.stderr).toContain("body.customType (--custom-type) must be at most 50 characters, got 51 (maxLength)");
    const soop = await refused(["soop", "list-broadcasts", "--order-type", "newest", "--page-no", "two"], { SOOP_CLIENT_ID: "c", SOOP_CLIENT_SECRET: SECRETS.soopClientSecret, SOOP_BASE_URL: server.url });
    expect(soop.stderr).toContain('query.order_type (--order-type) must be one of "view_cnt", "broad_start", got "newest" (enum)');
    expect(soop.stderr).toContain("query.page_no (--page-no) must be integer, got string (type)");
    expect(soop.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("an object flag that is not JSON, and an array item that breaks its rule", async () => {
    const json = await refused(["flipflop", "login-member", "--app-user-id", "m1", "--custom-data", "{plan:gold}"], flipflop());
    expect(json.stderr).toContain("body.customData (--custom-data) must be JSON");
    expect(json.stderr).toContain("(type)");
    const item = await refused(["flipflop", "delete-members", "--app-user-ids", "1,b-2,3"], flipflop());
    expect(item.stderr).toContain("path.appUserIds[1] (--app-user-ids) must match ^[A-Za-z0-9]+$ (pattern)");
  });

  it("a whole body that breaks the schema, and --body that is not JSON", async () => {
    const body = await refused(["polyv", "save-viewer-custom-field-values", "--body", '[{"viewerId":7}]'], polyv());
    expect(body.stderr).toContain("body[0].viewerId must be string, got integer (type)");
    // V8's parse error quotes the text around the error; none of it may reach the output.
    const bad = await refused(["polyv", "save-viewer-custom-field-values", "--body", SECRETS.polyvAppSecret], polyv());
    expect(bad.stderr).toContain("streamspec: --body: not valid JSON");
    expect(bad.stderr).not.toContain(SECRETS.polyvAppSecret.slice(0, 8));
  });

  it("an unknown flag, a flag without its value, a stray argument", async () => {
    const unknown = await refused(["flipflop", "force-terminate-member-stream-key", "--app-user-id", "42", "--user", "x"], flipflop());
    expect(unknown.stderr).toContain("Unknown option '--user'");
    expect(unknown.stderr).toContain("See: streamspec flipflop force-terminate-member-stream-key --help");
    const missing = await refused(["flipflop", "force-terminate-member-stream-key", "--app-user-id"], flipflop());
    expect(missing.stderr).toContain("--app-user-id");
    const stray = await refused(["flipflop", "force-terminate-member-stream-key", "42"], flipflop());
    expect(stray.stderr).toContain('unexpected argument "42"');
  });

  it("credentials are never flags", async () => {
    const run = await refused(["flipflop", "force-terminate-member-stream-key", "--app-user-id", "42", "--api-secret", SECRETS.flipflopSecret], flipflop());
    expect(run.stderr).toContain("Unknown option '--api-secret'");
  });

  it("input the client builds from the environment (an Arctos login) names the variable", async () => {
    const run = await refused(["arctos", "check-auth-token"], { ...arctos(), ARCTOS_ROLE: "BOSS" });
    expect(run.stderr).toContain("arctos.getAuthCode: invalid input: body.role must be one of");
    expect(run.stderr).toContain("(from the environment: ARCTOS_ROLE)");
  });
});

describe("ConfigError: exit 2, naming the variable", () => {
  it("a missing variable", async () => {
    const { FLIPFLOP_API_SECRET: _, ...env } = flipflop();
    const run = await refused(["flipflop", "force-terminate-member-stream-key", "--app-user-id", "42"], env);
    expect(run.stderr).toBe("ConfigError: flipflop: option `apiSecret` is required and must be a non-empty string (set FLIPFLOP_API_SECRET)\n");
  });

  it("an object option left unset names each of its variables", async () => {
    const { ARCTOS_USER_ID: _a, ARCTOS_ROLE: _b, ...env } = arctos();
    const run = await refused(["arctos", "check-auth-token"], env);
    expect(run.stderr).toContain("option `user` is required");
    expect(run.stderr).toContain("(set ARCTOS_USER_ID, ARCTOS_USER_NAME, ARCTOS_ROLE)");
  });

  it("a bad value names the variable it came from", async () => {
    const run = await refused(["arctos", "check-auth-token"], { ...arctos(), ARCTOS_BASE_URL: "http://arctos.example.com" });
    expect(run.stderr).toContain("option `baseUrl` must use https");
    expect(run.stderr).toContain("(from ARCTOS_BASE_URL)");
  });

  it("--json prints the error object, with the variables", async () => {
    const { FLIPFLOP_API_KEY: _, ...env } = flipflop();
    const run = await refused(["flipflop", "force-terminate-member-stream-key", "--app-user-id", "42", "--json"], env);
    expect(JSON.parse(run.stderr)).toEqual({
      name: "ConfigError",
      message: "flipflop: option `apiKey` is required and must be a non-empty string",
      provider: "flipflop",
      option: "apiKey",
      variables: ["FLIPFLOP_API_KEY"],
    });
  });
});

describe("ProviderError: exit 1", () => {
  it("one line naming the class, operation, HTTP status, provider code and message", async () => {
    answer = () => ({ status: 404, body: { errorCode: "MEMBER_NOT_FOUND", errorMessage: "No member 42" } });
    const run = await cli(["flipflop", "force-terminate-member-stream-key", "--app-user-id", "42"], { env: flipflop() });
    expectExit(run, 1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe("ProviderError: flipflop.forceTerminateMemberStreamKey: No member 42 (HTTP 404, code MEMBER_NOT_FOUND)\n");
  });

  it("an envelope failure under HTTP 200, as JSON with --json (the body's secrets masked)", async () => {
    answer = () => ({ body: { code: 400, status: "error", success: false, error: { code: 4001, desc: `appSecret ${SECRETS.polyvAppSecret} rejected` }, requestId: "req-1" } });
    const run = await cli(["polyv", "save-viewer-custom-field-values", "--body", '[{"viewerId":"v1","customFieldId":"F","customFieldValue":"x"}]', "--json"], { env: polyv() });
    expectExit(run, 1);
    const error = JSON.parse(run.stderr);
    expect(error).toMatchObject({ name: "ProviderError", provider: "polyv", operation: "saveViewerCustomFieldValues", status: 200, requestId: "req-1" });
    expect(run.stderr).toContain("[REDACTED]");
  });

  it("a non-retry-safe operation is sent once, even on a 503", async () => {
    answer = () => ({ status: 503, body: { errorCode: "INTERNAL_SERVER_ERROR", errorMessage: "busy" } });
    const before = server.requests.length;
    const run = await cli(["flipflop", "login-member", "--app-user-id", "m1"], { env: flipflop() });
    expectExit(run, 1);
    expect(server.requests.length - before).toBe(1);
    expect(run.stderr).toContain("(HTTP 503, code INTERNAL_SERVER_ERROR)");
  });
});

describe("TransportError: exit 3", () => {
  it("a dropped connection", async () => {
    answer = () => "destroy";
    const run = await cli(["flipflop", "force-terminate-member-stream-key", "--app-user-id", "42"], { env: flipflop() });
    expectExit(run, 3);
    expect(run.stderr).toMatch(/^TransportError \(network\): flipflop\.forceTerminateMemberStreamKey: the request failed/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("a body that is not what the spec promises, as JSON with --json", async () => {
    answer = () => ({ body: "<html>maintenance</html>", headers: { "content-type": "application/json" } });
    const run = await cli(["flipflop", "login-member", "--app-user-id", "m1", "--json"], { env: flipflop() });
    expectExit(run, 3);
    expect(JSON.parse(run.stderr)).toMatchObject({ name: "TransportError", provider: "flipflop", operation: "loginMember", reason: "invalid-body" });
  });
});

describe("usage: exit 2", () => {
  it("no arguments prints the help on stderr", async () => {
    const run = await cli([]);
    expectExit(run, 2);
    expect(run.stderr).toContain("Usage:");
    expect(run.stdout).toBe("");
  });

  it("an unknown provider or command", async () => {
    const provider = await cli(["twitch", "ban"]);
    expectExit(provider, 2);
    expect(provider.stderr).toContain('unknown provider "twitch"; one of arctos, flipflop, polyv, soop');
    const command = await cli(["flipflop", "terminate"]);
    expectExit(command, 2);
    expect(command.stderr).toContain('flipflop has no command "terminate"; did you mean force-terminate-member-stream-key?');
  });

  it("an --env-file that can not be read", async () => {
    const before = server.requests.length;
    const run = await cli(["flipflop", "force-terminate-member-stream-key", "--app-user-id", "42", "--env-file", "/nonexistent/.env"], { env: flipflop() });
    expect(run.stderr).toContain("/nonexistent/.env");
    // Node 20 itself reads `--env-file` anywhere on its command line, script arguments included, and stops with
    // its own message (exit 9) before the CLI runs; later Nodes leave it to the CLI (exit 2).
    expectExit(run, Number(process.versions.node.split(".")[0]) <= 20 ? 9 : 2);
    expect(server.requests.length).toBe(before);
  });
});
