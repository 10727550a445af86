// The command line's shape, through the built `streamspec` bin: help at every level from the index and the specs,
// an operation added to a spec becoming a command, shell completion (checked by bash itself), the environment
// (--env-file, --base-url) and Polyv's callback check.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kebab } from "../../src/cli/flags.js";
import type { OperationMeta } from "../../src/core/operation.js";
import { operations as arctos } from "../../generated/arctos.operations.js";
import { operations as flipflop } from "../../generated/flipflop.operations.js";
import { operations as polyv } from "../../generated/polyv.operations.js";
import { operations as soop } from "../../generated/soop.operations.js";
// @ts-expect-error plain ESM helpers shared with the scripts
import { buildOperationIndex, providerInfo } from "../../scripts/lib/operation-index.mjs";
// @ts-expect-error plain ESM helpers shared with the scripts
import { compileValidators } from "../../scripts/lib/validators.mjs";
import { loadSpec, root } from "../helpers/spec.js";
import { SECRETS, builtCli, cli, expectExit, fakeServer, useBin, type TestServer } from "./helpers.js";

const INDEX: Record<string, Record<string, OperationMeta>> = { arctos, flipflop, polyv, soop };
let bin: string;
let server: TestServer;
let dir: string;

const flipflopEnv = () => ({ FLIPFLOP_API_KEY: SECRETS.flipflopKey, FLIPFLOP_API_SECRET: SECRETS.flipflopSecret, FLIPFLOP_BASE_URL: server.url });

beforeAll(async () => {
  bin = await builtCli();
  useBin(bin);
  server = await fakeServer(() => ({ status: 204 }));
  mkdirSync(join(root, ".tmp"), { recursive: true });
  dir = mkdtempSync(join(root, ".tmp", "cli-commands-"));
}, 180_000);

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("help, from the operation index and the specs", () => {
  it("streamspec --help lists every provider; --version prints the package's", async () => {
    const run = await cli(["--help"]);
    expectExit(run, 0);
    for (const [name, ops] of Object.entries(INDEX)) expect(run.stdout).toMatch(new RegExp(`\\n  ${name} +.*\\(${Object.keys(ops).length} operations\\)`));
    const version = await cli(["--version"]);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version);
  });

  it("streamspec <provider> --help lists every operation with its summary and whether it is retried, and the variables", async () => {
    for (const [name, ops] of Object.entries(INDEX)) {
      const run = await cli([name, "--help"]);
      expectExit(run, 0);
      const spec = loadSpec(name);
      const summaries = new Map<string, string>();
      for (const item of Object.values<any>(spec.paths)) for (const op of Object.values<any>(item)) if (op?.operationId) summaries.set(op.operationId, op.summary);
      for (const [id, meta] of Object.entries(ops)) {
        const line = run.stdout.split("\n").find((l) => l.startsWith(`  ${kebab(id)} `));
        expect(line, `${name} ${id}`).toBeDefined();
        expect(line).toContain(summaries.get(id)!);
        expect(line).toContain(meta.retrySafe ? "[retried when safe]" : "[never retried]");
      }
      const env = Object.values<any>(spec.info["x-streamspec"].env).flatMap((e: any) => (typeof e === "string" ? [e] : e.var ? [e.var] : e.file ? [e.file] : Object.values(e)));
      for (const variable of [...env, `${name.toUpperCase()}_BASE_URL`]) expect(run.stdout).toContain(`  ${variable}`);
    }
  });

  it("streamspec <provider> <operation> --help shows every flag with its type, rules, default and description", async () => {
    const run = await cli(["soop", "list-broadcasts", "--help"]);
    expectExit(run, 0);
    expect(run.stdout).toContain("GET /broad/list  (retry-safe");
    expect(run.stdout).toContain("List live broadcasts");
    const flag = (name: string) => run.stdout.slice(run.stdout.indexOf(`  --${name} `)).split("\n  --")[0]!;
    expect(flag("select-key")).toContain("--select-key <string>  (query parameter select_key)");
    expect(flag("select-key")).toContain('one of "cate", "lang"; default "cate"');
    expect(flag("select-key")).toContain("The list call type: `cate` category call (default), `lang` broadcast language call.");
    expect(flag("page-no")).toContain("--page-no <integer>  (query parameter page_no)");
    expect(flag("page-no")).toContain("The page number");
    expect(run.stdout).not.toContain("--client-id"); // injected by the client, never the caller's

    // What no document gives is marked as assumed, as in the docs.
    const check = loadSpec("arctos").paths["/api/auth/check"].post;
    const assumed = await cli(["arctos", "check-auth-token", "--help"]);
    expect(assumed.stdout.replace(/\s+/g, " ")).toContain(`Not documented by the provider: assumed because ${check["x-undocumented"].trim()}`.replace(/\s+/g, " "));

    const login = await cli(["flipflop", "loginMember", "-h"]);
    expect(login.stdout).toContain("--app-user-id <string>  required  (body field appUserId)");
    expect(login.stdout).toContain("--custom-data <object (JSON)>");
    expect(login.stdout).toContain("at most 10 properties; keys: at most 50 characters; values: string, at most 50 characters");
    expect(login.stdout).toContain("--body <json|@file|->");
  });
});

describe("adding an operation to a spec adds its command", () => {
  it("a package whose spec and index have one more operation has one more command, with help, that runs", async () => {
    // A copy of the built package with a FlipFlop operation the real spec does not have, indexed and given a
    // compiled validator by the functions `npm run generate` uses, and copied as the build copies specs. The
    // CLI's code is unchanged.
    const pkg = join(dir, "pkg");
    cpSync(dirname(dirname(dirname(bin))), join(pkg, "dist"), { recursive: true });
    writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "streamspec", version: "0.0.0-test", type: "module" }));
    const spec = loadSpec("flipflop");
    spec.paths["/v2/apps/me/members/{appUserId}/stream/pause"] = {
      post: {
        operationId: "pauseMemberStream",
        summary: "Pause a member's stream",
        description: "A made-up operation for this test.",
        "x-retry-safe": false,
        parameters: [{ name: "appUserId", in: "path", required: true, description: "The member.", schema: { type: "string", pattern: "^[A-Za-z0-9]+$" } }],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: { type: "object", properties: { minutes: { type: "integer", minimum: 1, default: 5, description: "How long to pause." } } },
              example: { minutes: 5 },
            },
          },
        },
        responses: { "204": { description: "Paused." }, "400": { description: "Bad request." } },
      },
    };
    writeFileSync(join(pkg, "dist", "specs", "flipflop.json"), JSON.stringify(spec));
    const { index, calls } = buildOperationIndex(spec, spec); // FlipFlop has no x-internal fields: both views agree
    writeFileSync(
      join(pkg, "dist", "generated", "flipflop.operations.js"),
      `export const provider = "flipflop";\nexport const info = ${JSON.stringify(providerInfo(spec))};\nexport const operations = ${JSON.stringify(index)};\n`,
    );
    writeFileSync(join(pkg, "dist", "generated", "flipflop.validators.js"), await compileValidators({ validators: { schemas: calls } }));
    const newBin = join(pkg, "dist", "src", "cli", "bin.js");

    const list = await cli(["flipflop", "--help"], { bin: newBin });
    expect(list.stdout).toMatch(/\n {2}pause-member-stream +Pause a member's stream \[never retried\]/);
    const help = await cli(["flipflop", "pause-member-stream", "--help"], { bin: newBin });
    expect(help.stdout).toContain("POST /v2/apps/me/members/{appUserId}/stream/pause");
    expect(help.stdout).toContain("--minutes <integer>  (body field minutes)\n      >= 1; default 5\n      How long to pause.");
    const before = server.requests.length;
    const run = await cli(["flipflop", "pause-member-stream", "--app-user-id", "42", "--minutes", "10"], { bin: newBin, env: flipflopEnv() });
    expectExit(run, 0);
    const sent = server.requests.slice(before);
    expect(sent.map((s) => [s.method, s.path, s.body])).toEqual([["POST", "/v2/apps/me/members/42/stream/pause", '{"minutes":10}']]);
    expect(sent[0]!.headers.authorization).toMatch(/^Basic /);
    const completion = await cli(["completion", "bash"], { bin: newBin });
    expect(completion.stdout).toContain('"flipflop pause-member-stream"|"flipflop pauseMemberStream") words="--app-user-id --minutes --body');
  });
});

describe("the bin of an installed package", () => {
  it("npx streamspec runs in a project that depends on the package", async () => {
    // The package as npm would see it (package.json with its "bin", the build, the specs), installed as a
    // dependency of another project; npx then finds the bin npm linked.
    const pkg = join(dir, "published");
    cpSync(dirname(dirname(dirname(bin))), join(pkg, "dist"), { recursive: true });
    cpSync(join(root, "package.json"), join(pkg, "package.json"));
    cpSync(join(root, "specs"), join(pkg, "specs"), { recursive: true });
    const consumer = join(dir, "consumer");
    mkdirSync(consumer);
    writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, dependencies: { streamspec: `file:${pkg}` } }));
    const npm = (args: string[]) => execFileSync("npm", args, { cwd: consumer, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } });
    npm(["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"]);
    const out = npm(["exec", "--offline", "--", "streamspec", "flipflop", "force-terminate-member-stream-key", "--help"]);
    expect(out).toContain("Usage: streamspec flipflop force-terminate-member-stream-key [flags]");
  }, 120_000);
});

describe("shell completion, generated from the specs", () => {
  let bash: string;
  beforeAll(async () => {
    const run = await cli(["completion", "bash"]);
    expectExit(run, 0);
    bash = run.stdout;
    writeFileSync(join(dir, "completion.bash"), bash);
  });

  it("is valid bash (bash -n)", () => {
    const check = spawnSync("bash", ["-n", join(dir, "completion.bash")], { encoding: "utf8" });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
  });

  it("completes providers, commands and flags when bash runs it", () => {
    const complete = (...words: string[]) =>
      execFileSync(
        "bash",
        ["-c", `source "$1"; COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); _streamspec; printf '%s\\n' "\${COMPREPLY[@]}"`, "_", join(dir, "completion.bash")],
        { encoding: "utf8" },
      )
        .split("\n")
        .filter(Boolean)
        .sort();
    expect(complete("streamspec", "fl")).toEqual(["flipflop"]);
    expect(complete("streamspec", "flipflop", "force")).toEqual(["force-terminate-member-stream-key", "forceTerminateMemberStreamKey"]);
    expect(complete("streamspec", "soop", "lo")).toEqual(["login"]);
    expect(complete("streamspec", "flipflop", "login-member", "--app")).toEqual(["--app-user-id", "--app-user-name", "--app-user-profile-img-url"]);
    for (const [provider, ops] of Object.entries(INDEX)) {
      expect(complete("streamspec", provider, "")).toEqual(expect.arrayContaining(Object.keys(ops).map(kebab)));
    }
  });

  it("zsh: every command and flag, and valid zsh where zsh is installed", async () => {
    const run = await cli(["completion", "zsh"]);
    expectExit(run, 0);
    expect(run.stdout.startsWith("#compdef streamspec\n")).toBe(true);
    for (const [provider, ops] of Object.entries(INDEX)) {
      for (const id of Object.keys(ops)) expect(run.stdout).toContain(`"${provider} ${kebab(id)}"|"${provider} ${id}") list=(`);
    }
    expect(run.stdout.match(/\bcase\b/g)?.length).toBe(run.stdout.match(/\besac\b/g)?.length);
    const zsh = spawnSync("zsh", ["--version"]);
    if (zsh.error) return; // zsh is not installed here; bash checks its twin script above
    writeFileSync(join(dir, "_streamspec"), run.stdout);
    expect(spawnSync("zsh", ["-n", join(dir, "_streamspec")], { encoding: "utf8" }).status).toBe(0);
  });

  it("an unknown shell is a usage error", async () => {
    expectExit(await cli(["completion", "fish"]), 2);
  });
});

describe("the environment", () => {
  it("--env-file supplies the variables; a variable already set wins; --base-url wins over both", async () => {
    const file = join(dir, "flipflop.env");
    writeFileSync(file, `FLIPFLOP_API_KEY=${SECRETS.flipflopKey}\nFLIPFLOP_API_SECRET="${SECRETS.flipflopSecret}"\nFLIPFLOP_BASE_URL=http://127.0.0.1:9\n`);
    const before = server.requests.length;
    expectExit(await cli(["flipflop", "force-terminate-member-stream-key", "--app-user-id", "7", "--env-file", file], { env: { FLIPFLOP_BASE_URL: server.url } }), 0);
    expectExit(await cli(["flipflop", "force-terminate-member-stream-key", "--app-user-id", "8", "--env-file", file, "--base-url", server.url]), 0);
    const sent = server.requests.slice(before);
    expect(sent.map((s) => s.path)).toEqual(["/v2/apps/me/members/7/stream-key/force-terminate", "/v2/apps/me/members/8/stream-key/force-terminate"]);
    const basic = `Basic ${Buffer.from(`${SECRETS.flipflopKey}:${SECRETS.flipflopSecret}`).toString("base64")}`;
    expect(sent.map((s) => s.headers.authorization)).toEqual([basic, basic]);
  });
});

describe("streamspec polyv verify-custom-auth", () => {
  const sign = (id: string, ts: string, key: string = SECRETS.polyvSecretKey) => createHash("md5").update(`${key}${id}${key}${ts}`).digest("hex");
  const env = { POLYV_SECRET_KEY: SECRETS.polyvSecretKey };

  it("exit 0 for a genuine callback, 1 for a wrong sign or a stale ts", async () => {
    const ts = String(Date.now());
    const valid = await cli(["polyv", "verify-custom-auth", "--id", "2191532", "--ts", ts, "--sign", sign("2191532", ts).toUpperCase()], { env });
    expectExit(valid, 0);
    expect(JSON.parse(valid.stdout)).toEqual({ valid: true });
    const forged = await cli(["polyv", "verify-custom-auth", "--id", "2191532", "--ts", ts, "--sign", sign("2191532", ts, "another-key")], { env });
    expectExit(forged, 1);
    expect(JSON.parse(forged.stdout)).toEqual({ valid: false });
    const old = String(Date.now() - 10 * 60_000);
    expectExit(await cli(["polyv", "verify-custom-auth", "--id", "2191532", "--ts", old, "--sign", sign("2191532", old)], { env }), 1);
    expectExit(await cli(["polyv", "verify-custom-auth", "--id", "2191532", "--ts", old, "--sign", sign("2191532", old), "--max-skew-ms", "900000"], { env }), 0);
  });

  it("exit 2 without POLYV_SECRET_KEY or a flag", async () => {
    const noKey = await cli(["polyv", "verify-custom-auth", "--id", "1", "--ts", "1", "--sign", "x"]);
    expectExit(noKey, 2);
    expect(noKey.stderr).toContain("set POLYV_SECRET_KEY");
    const noSign = await cli(["polyv", "verify-custom-auth", "--id", "1", "--ts", "1"], { env });
    expectExit(noSign, 2);
    expect(noSign.stderr).toContain("--sign is required");
  });
});
