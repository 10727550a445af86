// Section 6: the spec-first toolchain. `node scripts/generate.mjs --check` (every spec, bundled by Redocly and
// rendered by openapi-typescript; in --check mode it compares instead of writing), and `tsc --noEmit` on a
// consumer file that uses all four clients. The consumer compiles against the BUILT package (dist/**/*.d.ts),
// reached through package.json "exports" by self-reference ("streamspec/flipflop", ...), as a dependent
// project would; strict, skipLibCheck false. The same tsconfig on an empty file is the baseline (TypeScript's
// own lib files), so the difference is what streamspec's types cost a consumer.
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const CONSUMER = `import { ConfigError, ProviderError, TransportError, ValidationError } from "streamspec";
import { createArctosClient } from "streamspec/arctos";
import { createFlipFlopClient } from "streamspec/flipflop";
import { createPolyvClient, signPolyvParams, verifyPolyvCustomAuth } from "streamspec/polyv";
import { createSoopClient } from "streamspec/soop";

export async function main(): Promise<unknown[]> {
  const flipflop = createFlipFlopClient({ apiKey: "k", apiSecret: "s", timeoutMs: 5_000 });
  const tokens: { accessToken: string; streamingToken: string } = await flipflop.loginMember({
    body: { appUserId: "member42", appUserName: "Ann", customData: { plan: "gold" } },
  });
  await flipflop.deleteMembers({ params: { path: { appUserIds: ["1", "2", "3"] } } });
  await flipflop.forceTerminateMemberStreamKey({ params: { path: { appUserId: "member42" } } });
  const wire = await flipflop.POST("/v2/apps/me/members/login", { body: { appUserId: "member42" } });
  const wireToken: string | undefined = wire.data?.accessToken;

  const polyv = createPolyvClient({ appId: "a", appSecret: "s", userId: "u", rateLimit: false });
  const saved = await polyv.saveViewerCustomFieldValues({
    body: [{ viewerId: "viewer-1", customFieldId: "PAY_ORDER", customFieldValue: "paid" }],
  });
  const oauth = await polyv.updateChannelOauthCustom({ body: { customUri: "https://example.com/polyv/auth", channelId: "2191532" } });
  const signed: string = signPolyvParams({ appId: "a", timestamp: 1700000000000 }, "s");
  const genuine: boolean = verifyPolyvCustomAuth({ secretKey: "k", id: "1", ts: "1", sign: "x" });

  const soop = createSoopClient({
    clientId: "c",
    clientSecret: "s",
    token: { accessToken: "a", refreshToken: "r", expiresAt: Date.now() + 3_600_000 },
    onToken: (t) => void t.expiresAt,
  });
  const updated = await soop.updateBroadcastInfo({ body: { title: "Tonight", category: "00130000", language: "ko_KR" } });
  const station = await soop.getStationInfo();
  const reset = await soop.resetStreamKey();
  const url: string = soop.authorizeUrl();
  const titles: string[] = [];
  for await (const b of soop.listAllBroadcasts()) titles.push(String(b.broad_title));

  const arctos = createArctosClient({
    licenseKey: "l",
    baseUrl: "https://arctos.example",
    clientId: "arctos-webapp",
    user: { user_id: "USER-1", name: "Ann", role: "MODERATOR" },
  });
  const checked = await arctos.checkAuthToken();
  const role = checked.info.role;
  const cached: string | undefined = arctos.token();

  try {
    await flipflop.loginMember({ body: { appUserId: "u1" } });
  } catch (e) {
    if (e instanceof ProviderError) return [e.status, e.code];
    if (e instanceof ValidationError) return e.issues.map((i) => i.path);
    if (e instanceof TransportError || e instanceof ConfigError) return [e.message];
  }
  return [tokens, wireToken, saved, oauth, signed, genuine, updated, station, reset, url, titles, role, cached];
}
`;

const TSCONFIG = {
  compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: false, types: [] },
};

/** Runs node with `args`; a non-zero exit is kept (the time still counts), a crash without output is not. */
function timed(root, args) {
  const t = performance.now();
  const res = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
  const ms = performance.now() - t;
  if (res.status === null || res.error) throw new Error(`${args.join(" ")} did not finish: ${res.error ?? res.signal}`);
  const output = `${res.stdout}${res.stderr}`;
  return { ms, stdout: res.stdout, status: res.status, problem: res.status === 0 ? undefined : output.split("\n").filter((l) => /stale|error/i.test(l)).slice(0, 5).join("\n") || output.slice(0, 400) };
}

/** Numbers from tsc --extendedDiagnostics. */
function diagnostics(stdout) {
  const num = (label) => Number(stdout.match(new RegExp(`^${label}:\\s+([\\d.]+)`, "m"))?.[1]);
  return { checkSeconds: num("Check time"), types: num("Types"), instantiations: num("Instantiations"), files: num("Files") };
}

/** → { generate: [ms], tscConsumer: [ms], tscBaseline: [ms], problems: { name: text }, consumerDiagnostics, baselineDiagnostics } */
export async function run({ root, rounds, tmp }) {
  const dir = join(tmp, "consumer");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "consumer.ts"), CONSUMER);
  writeFileSync(join(dir, "empty.ts"), "export {};\n");
  writeFileSync(join(dir, "tsconfig.consumer.json"), JSON.stringify({ ...TSCONFIG, files: ["consumer.ts"] }, null, 2));
  writeFileSync(join(dir, "tsconfig.baseline.json"), JSON.stringify({ ...TSCONFIG, files: ["empty.ts"] }, null, 2));
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const out = { generate: [], tscConsumer: [], tscBaseline: [], problems: {} };
  const note = (name, r) => r.problem && (out.problems[name] = `exit ${r.status}: ${r.problem}`);
  let consumerDiagnostics;
  let baselineDiagnostics;
  try {
    for (let r = 0; r < rounds; r++) {
      const g = timed(root, [join(root, "scripts", "generate.mjs"), "--check"]);
      out.generate.push(g.ms);
      note("generate", g);
      const c = timed(root, [tsc, "--noEmit", "--extendedDiagnostics", "-p", join(dir, "tsconfig.consumer.json")]);
      out.tscConsumer.push(c.ms);
      note("tscConsumer", c);
      consumerDiagnostics = diagnostics(c.stdout);
      const b = timed(root, [tsc, "--noEmit", "--extendedDiagnostics", "-p", join(dir, "tsconfig.baseline.json")]);
      out.tscBaseline.push(b.ms);
      note("tscBaseline", b);
      baselineDiagnostics = diagnostics(b.stdout);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { ...out, consumerDiagnostics, baselineDiagnostics };
}
