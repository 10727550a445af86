// Every operation of every provider, once, through the built `streamspec` bin against the Prism mocks. The
// arguments come from the specs' own examples (each top-level body field as its flag), so an operation added
// to a spec is run here too. A recording proxy in front of each mock counts what was sent and keeps Prism's
// sl-violations header: the request the CLI built must be one the spec accepts.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { kebab } from "../../src/cli/flags.js";
import type { OperationMeta } from "../../src/core/operation.js";
import { operations as arctos } from "../../generated/arctos.operations.js";
import { operations as flipflop } from "../../generated/flipflop.operations.js";
import { operations as polyv } from "../../generated/polyv.operations.js";
import { operations as soop } from "../../generated/soop.operations.js";
import { loadSpec, requestExample, root } from "../helpers/spec.js";
import { SECRETS, builtCli, cli, expectExit, recordingProxy, useBin, type Seen } from "./helpers.js";

const INDEX: Record<string, Record<string, OperationMeta>> = { flipflop, polyv, soop, arctos };
type Proxy = Awaited<ReturnType<typeof recordingProxy>>;
const proxies: Record<string, Proxy> = {};
let dir: string;

function envFor(provider: string): Record<string, string> {
  const url = proxies[provider]!.url;
  return {
    flipflop: { FLIPFLOP_API_KEY: SECRETS.flipflopKey, FLIPFLOP_API_SECRET: SECRETS.flipflopSecret, FLIPFLOP_BASE_URL: url },
    polyv: { POLYV_APP_ID: "pvcliapp01", POLYV_APP_SECRET: SECRETS.polyvAppSecret, POLYV_USER_ID: "pvuser0001", POLYV_BASE_URL: url },
    soop: { SOOP_CLIENT_ID: "soop-cli-client", SOOP_CLIENT_SECRET: SECRETS.soopClientSecret, SOOP_TOKEN_FILE: join(dir, "soop-token.json"), SOOP_BASE_URL: url },
    arctos: { ARCTOS_LICENSE_KEY: SECRETS.arctosLicense, ARCTOS_BASE_URL: url, ARCTOS_CLIENT_ID: "arctos-webapp", ARCTOS_USER_ID: "USER-12345678", ARCTOS_ROLE: "MODERATOR" },
  }[provider]!;
}

beforeAll(async () => {
  useBin(await builtCli());
  for (const [name, url] of Object.entries(inject("mocks"))) proxies[name] = await recordingProxy(url);
  mkdirSync(join(root, ".tmp"), { recursive: true });
  dir = mkdtempSync(join(root, ".tmp", "cli-ops-"));
  const token = { accessToken: SECRETS.soopAccess, refreshToken: SECRETS.soopRefresh, expiresAt: Date.now() + 3_600_000 };
  writeFileSync(join(dir, "soop-token.json"), JSON.stringify(token), { mode: 0o600 });
}, 180_000);

afterAll(async () => {
  await Promise.all(Object.values(proxies).map((p) => p.close()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The spec's parameter examples and first request example, as flags. */
function argsFrom(provider: string, id: string, meta: OperationMeta): string[] {
  const spec = loadSpec(provider);
  const args: string[] = [];
  for (const [path, item] of Object.entries<any>(spec.paths)) {
    for (const op of Object.values<any>(item)) {
      if (op?.operationId !== id) continue;
      const deref = (n: any): any => (n?.$ref ? deref(n.$ref.slice(2).split("/").reduce((o: any, k: string) => o[k], spec)) : n);
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(deref);
      for (const location of ["path", "query", "header"] as const) {
        const schema = meta.params[location];
        for (const name of Object.keys(schema?.properties ?? {})) {
          const p = params.find((x) => x.in === location && x.name === name);
          const example = p?.example ?? p?.schema?.example ?? p?.schema?.default;
          if (example === undefined) {
            if (schema?.required?.includes(name)) throw new Error(`${provider} ${id}: required ${location} ${name} has no example in ${path}`);
            continue;
          }
          args.push(`--${kebab(name)}`, Array.isArray(example) ? example.join(",") : String(example));
        }
      }
    }
  }
  if (meta.body) {
    const injected = new Set(meta.credentials.filter((c) => "in" in c && c.in === "body").map((c) => (c as { name: string }).name));
    const example = requestExample(provider, id);
    if (Array.isArray(example)) args.push("--body", JSON.stringify(example));
    else {
      for (const [k, v] of Object.entries<any>(example ?? {})) {
        if (injected.has(k)) continue;
        args.push(`--${kebab(k)}`, typeof v === "object" && v !== null ? JSON.stringify(v) : String(v));
      }
    }
  }
  return args;
}

const route = (meta: OperationMeta) => new RegExp(`^${meta.path.replace(/\{[^}]+\}/g, "[^/]+")}$`);

describe("every operation of every provider through the CLI, against Prism", () => {
  for (const [provider, ops] of Object.entries(INDEX)) {
    for (const [id, meta] of Object.entries(ops)) {
      it(`${provider} ${kebab(id)}`, async () => {
        const proxy = proxies[provider]!;
        const before = proxy.requests.length;
        const run = await cli([provider, kebab(id), ...argsFrom(provider, id, meta)], { env: envFor(provider) });
        expectExit(run, 0);
        const sent = proxy.requests.slice(before);
        // The operation's own request went out, last (Arctos logs in first: getAuthCode, getAuthTokenUseCode).
        const last = sent.at(-1) as Seen;
        expect(last.method).toBe(meta.method);
        expect(last.path).toMatch(route(meta));
        expect(proxy.violations.filter((v) => sent.some((s) => s.path === v.path))).toEqual([]);
        const promised = Object.values(meta.responses)[0]!;
        if (promised.length) expect(() => JSON.parse(run.stdout)).not.toThrow();
        else expect(run.stdout).toBe("");
        expect(run.stderr).toBe("");
      });
    }
  }
});

describe("the incident example and names", () => {
  it("the README's incident example: FLIPFLOP_API_KEY=… FLIPFLOP_API_SECRET=… npx streamspec flipflop force-terminate-member-stream-key --app-user-id 42", async () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const line = /^FLIPFLOP_API_KEY=… FLIPFLOP_API_SECRET=… npx streamspec (.+)$/m.exec(readme)?.[1];
    expect(line).toBe("flipflop force-terminate-member-stream-key --app-user-id 42");
    const proxy = proxies.flipflop!;
    const before = proxy.requests.length;
    const run = await cli(line!.split(" "), { env: envFor("flipflop") });
    expectExit(run, 0);
    const sent = proxy.requests.slice(before);
    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual(["POST /v2/apps/me/members/42/stream-key/force-terminate"]);
    expect(sent[0]!.headers.authorization).toBe(`Basic ${Buffer.from(`${SECRETS.flipflopKey}:${SECRETS.flipflopSecret}`).toString("base64")}`);
  });

  it("takes the operationId itself as the command, arrays comma-separated and objects as JSON", async () => {
    const proxy = proxies.flipflop!;
    const before = proxy.requests.length;
    expectExit(await cli(["flipflop", "deleteMembers", "--app-user-ids", "1,2,3"], { env: envFor("flipflop") }), 0);
    const login = await cli(["flipflop", "login-member", "--app-user-id", "member42", "--custom-data", '{"plan":"gold"}'], { env: envFor("flipflop") });
    expectExit(login, 0);
    const sent = proxy.requests.slice(before);
    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual(["DELETE /v2/apps/me/members/1,2,3", "POST /v2/apps/me/members/login"]);
    expect(JSON.parse(sent[1]!.body)).toEqual({ appUserId: "member42", customData: { plan: "gold" } });
    // Tokens in the answer are credentials: masked, by field name.
    expect(JSON.parse(login.stdout)).toEqual({ accessToken: "[REDACTED]", streamingToken: "[REDACTED]" });
  });

  it("converts values by the schema's type: integers as numbers, strings kept as typed", async () => {
    const proxy = proxies.soop!;
    const before = proxy.requests.length;
    const run = await cli(["soop", "update-broadcast-info", "--waiting-time", "5", "--category", "00040066", "--title", "007"], { env: envFor("soop") });
    expectExit(run, 0);
    const form = new URLSearchParams(proxy.requests.slice(before)[0]!.body);
    // category is integer|string: the 8-digit string keeps its zeros; waiting_time is an integer.
    expect([form.get("waiting_time"), form.get("category"), form.get("title")]).toEqual(["5", "00040066", "007"]);
    expect(form.get("access_token")).toBe(SECRETS.soopAccess);
  });

  it("reads the whole body from --body @file and from stdin (--body -), with field flags on top", async () => {
    const proxy = proxies.polyv!;
    const before = proxy.requests.length;
    const rows = [{ viewerId: "viewer-1", customFieldId: "PAY_ORDER", customFieldValue: "paid" }];
    const file = join(dir, "rows.json");
    writeFileSync(file, JSON.stringify(rows));
    expectExit(await cli(["polyv", "save-viewer-custom-field-values", "--body", `@${file}`], { env: envFor("polyv") }), 0);
    expectExit(await cli(["polyv", "save-viewer-custom-field-values", "--body", "-"], { env: envFor("polyv"), input: JSON.stringify(rows) }), 0);
    const merged = await cli(["polyv", "update-channel-oauth-custom", "--body", '{"customUri":"https://a.example/x","channelId":"1"}', "--channel-id", "2191532"], { env: envFor("polyv") });
    expectExit(merged, 0);
    const sent = proxy.requests.slice(before);
    expect(sent.slice(0, 2).map((s) => JSON.parse(s.body))).toEqual([rows, rows]);
    const form = new URLSearchParams(sent[2]!.body);
    expect([form.get("customUri"), form.get("channelId")]).toEqual(["https://a.example/x", "2191532"]);
    expect(sent[2]!.path).toBe("/live/v2/channelSetting/pvuser0001/oauth-custom"); // userId from POLYV_USER_ID
  });
});
