// Another project that depends on this folder ("streamspec": "file:...") compiles and runs against the built
// package — and so does every code sample the docs show.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { root } from "../helpers/spec.js";
// @ts-expect-error plain ESM helpers shared with the scripts
import { loadSpec, providers } from "../../scripts/lib/registry.mjs";
// @ts-expect-error plain ESM helpers shared with the scripts
import { codeSample, operationsOf } from "../../scripts/lib/samples.mjs";

const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
let dir: string;

function run(cmd: string, args: string[], cwd = dir) {
  try {
    return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: "pipe", env: { ...process.env, npm_config_update_notifier: "false" } });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
}

/** tsc's verdict on a project: its exit status and every diagnostic it printed (none on success). */
function typecheck(project: string): { status: number | null; diagnostics: string } {
  const r = spawnSync(process.execPath, [tsc, "-p", project], { cwd: dir, encoding: "utf8" });
  return { status: r.status, diagnostics: `${r.stdout}${r.stderr}`.trim() };
}

beforeAll(() => {
  run(process.execPath, [join(root, "scripts", "build.mjs")], root);
  mkdirSync(join(root, ".tmp"), { recursive: true });
  dir = mkdtempSync(join(root, ".tmp", "consumer-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module", dependencies: { streamspec: `file:${root}` } }));
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: false, types: [] }, include: ["*.ts", "samples/*.ts"] }),
  );
  run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"]);
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Each test runs tsc on a fresh project (seconds alone, much longer on a busy machine).
describe("a consumer project", { timeout: 180_000 }, () => {
  it("type-checks a program that uses every client and the error classes", () => {
    writeFileSync(
      join(dir, "main.ts"),
      `import { ProviderError, TransportError, ValidationError, ConfigError } from "streamspec";
import { createFlipFlopClient } from "streamspec/flipflop";
import { createPolyvClient } from "streamspec/polyv";
import { createSoopClient } from "streamspec/soop";
import { createArctosClient } from "streamspec/arctos";

const ff = createFlipFlopClient({ apiKey: "k", apiSecret: "s" });
const tokens: { accessToken: string; streamingToken: string } = await ff.loginMember({ body: { appUserId: "u1" } });
const nothing: undefined = await ff.deleteMembers({ params: { path: { appUserIds: ["1", "2"] } } });
const wire = await ff.POST("/v2/apps/me/members/login", { body: { appUserId: "u1" } });
const token: string | undefined = wire.data?.accessToken;
// @ts-expect-error appUserId is required
await ff.loginMember({ body: {} });
void [tokens, nothing, token, createPolyvClient, createSoopClient, createArctosClient];
try { await ff.loginMember({ body: { appUserId: "u1" } }); } catch (e) {
  if (e instanceof ProviderError) console.log(e.status, e.code);
  if (e instanceof ValidationError) console.log(e.issues.map((i) => i.path));
  if (e instanceof TransportError || e instanceof ConfigError) console.log(e.message);
}
`,
    );
    expect(typecheck("tsconfig.json")).toEqual({ status: 0, diagnostics: "" });
  });

  it("imports every subpath at run time (ESM resolution of the built package)", () => {
    const out = run(process.execPath, [
      "--input-type=module",
      "-e",
      `const names = [];
for (const m of ["streamspec", "streamspec/flipflop", "streamspec/polyv", "streamspec/soop", "streamspec/arctos", "streamspec/testing"]) names.push(...Object.keys(await import(m)));
console.log(names.sort().join(","));`,
    ]);
    for (const name of ["ProviderError", "createFlipFlopClient", "createPolyvClient", "createSoopClient", "createArctosClient", "createFakeFlipFlop", "createFakePolyv", "createFakeSoop", "createFakeArctos"]) {
      expect(out).toContain(name);
    }
  });

  it("type-checks the TypeScript sample of every operation in the docs", () => {
    mkdirSync(join(dir, "samples"), { recursive: true });
    let count = 0;
    for (const p of providers() as { name: string; specPath: string }[]) {
      const spec = loadSpec(p.specPath);
      for (const entry of operationsOf(spec)) {
        const source: string = codeSample(spec, p.name, entry);
        writeFileSync(join(dir, "samples", `${p.name}-${entry.op.operationId}.ts`), `${source}export {};\n`);
        count++;
      }
    }
    expect(count).toBeGreaterThanOrEqual(23);
    expect(typecheck("tsconfig.json")).toEqual({ status: 0, diagnostics: "" });
  });

  it("runs the README's FlipFlop example as written, pointed at the mock", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### FlipFlop"));
    const snippet = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
    mkdirSync(join(dir, "readme"), { recursive: true });
    writeFileSync(join(dir, "readme", "flipflop.ts"), `${snippet}\nexport {};\n`);
    writeFileSync(
      join(dir, "readme", "tsconfig.json"),
      JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, types: ["node"], typeRoots: [join(root, "node_modules", "@types")], outDir: "out" }, include: ["flipflop.ts"] }),
    );
    run(process.execPath, [tsc, "-p", join(dir, "readme", "tsconfig.json")]);
    const out = execFileSync(process.execPath, [join(dir, "readme", "out", "flipflop.js")], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, FLIPFLOP_API_KEY: "key", FLIPFLOP_API_SECRET: "secret", FLIPFLOP_BASE_URL: inject("mocks").flipflop },
    });
    expect(out.trim()).toMatch(/^200 \S+$/);
  });

  it("runs the README's testing examples with vitest, as written, against the built package (streamspec/testing)", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const start = readme.indexOf("## Testing your integration");
    const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
    const snippets = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(snippets).toHaveLength(4); // one per provider
    const tests = join(dir, "readme-testing");
    mkdirSync(tests, { recursive: true });
    snippets.forEach((code, i) => writeFileSync(join(tests, `example-${i + 1}.test.ts`), code));
    writeFileSync(join(tests, "vitest.config.mjs"), "export default { test: { include: ['*.test.ts'] } };\n");
    writeFileSync(
      join(tests, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: [] }, include: ["*.ts"] }),
    );
    run(process.execPath, [tsc, "-p", join(tests, "tsconfig.json")]);
    const out = run(process.execPath, [join(root, "node_modules", "vitest", "vitest.mjs"), "run", "--root", tests, "--reporter=dot"], tests);
    expect(out.replace(/\x1b\[[0-9;]*m/g, "")).toMatch(/Tests\s+5 passed \(5\)/);
  }, 120_000);
});
