// The package as `npm pack` makes it: publint --strict and @arethetypeswrong/cli find nothing (both read the
// tarball locally, no network); require() and import give one and the same module on Node >= 20.19; a CommonJS
// TypeScript consumer type-checks in node16 mode with skipLibCheck off; the source maps carry their sources; the
// README's pictures are inside the package; package.json says where the project lives.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packedTarball } from "../helpers/pack.js";
import { root } from "../helpers/spec.js";
import { installTarball } from "../runtimes/project.js";

let tarball: string;
let project: string;
let files: string[];
let subpaths: string[];

function run(cmd: string, args: string[], cwd = project): { status: number; out: string } {
  try {
    return { status: 0, out: execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: "pipe", maxBuffer: 64 * 1024 * 1024 }) };
  } catch (error) {
    const e = error as { status?: number; stdout?: string; stderr?: string };
    return { status: e.status ?? 1, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

beforeAll(async () => {
  tarball = await packedTarball();
  project = installTarball(tarball, "streamspec-packaging-");
  files = run("tar", ["tzf", tarball]).out.split("\n").filter(Boolean).map((f) => f.replace(/^package\//, ""));
  const pkg = JSON.parse(readFileSync(join(project, "node_modules", "streamspec", "package.json"), "utf8")) as { exports: Record<string, unknown> };
  subpaths = Object.keys(pkg.exports).filter((s) => s !== "./package.json");
}, 300_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe("the packed package", () => {
  it("publint --strict finds nothing", () => {
    const r = run(process.execPath, [join(root, "node_modules", "publint", "src", "cli.js"), "--strict", tarball], root);
    expect(r.out).toContain("All good");
    expect(r.status, r.out).toBe(0);
  });

  it("@arethetypeswrong/cli: every entry point resolves cleanly in node10, node16 from CJS and from ESM, and bundler", () => {
    const r = run(process.execPath, [join(root, "node_modules", "@arethetypeswrong", "cli", "dist", "index.js"), "--no-definitely-typed", "--format", "json", tarball], root);
    const report = JSON.parse(r.out) as { analysis: { problems: unknown[]; entrypoints: Record<string, { resolutions: Record<string, { resolution?: { fileName: string } }> }> } };
    expect(report.analysis.problems).toEqual([]);
    expect(r.status).toBe(0);
    for (const sub of subpaths) {
      const entry = report.analysis.entrypoints[sub];
      expect(entry, sub).toBeDefined();
      for (const mode of ["node10", "node16-cjs", "node16-esm", "bundler"]) {
        expect(entry!.resolutions[mode]?.resolution?.fileName, `${sub} in ${mode}`).toMatch(/\.d\.c?ts$/);
      }
    }
  });

  it("require() and import load the same module for every subpath (one ProviderError class, no dual package)", () => {
    const script = `
const { createRequire } = require("node:module");
(async () => {
  for (const sub of ${JSON.stringify(subpaths)}) {
    const name = "streamspec" + sub.slice(1);
    const required = require(name);
    const imported = await import(name);
    const keys = Object.keys(imported).sort();
    if (JSON.stringify(Object.keys(required).filter((k) => k !== "__esModule").sort()) !== JSON.stringify(keys)) throw new Error(name + ": different exports");
    for (const k of keys) if (required[k] !== imported[k]) throw new Error(name + ": " + k + " differs between require() and import");
    console.log(name, keys.length);
  }
})().catch((e) => { console.error(e); process.exit(1); });`;
    writeFileSync(join(project, "same.cjs"), script);
    const r = run(process.execPath, ["same.cjs"]);
    expect(r.status, r.out).toBe(0);
    expect(r.out.trim().split("\n")).toHaveLength(subpaths.length);
  });

  it("a CommonJS TypeScript project in node16 mode, skipLibCheck off, type-checks against the require() declarations", () => {
    writeFileSync(
      join(project, "consumer.cts"),
      `import { ProviderError, ConfigError } from "streamspec";
import { createFlipFlopClient } from "streamspec/flipflop";
import { createPolyvClient, signPolyvParams } from "streamspec/polyv";
import { createSoopClient, type SoopToken } from "streamspec/soop";
import { createArctosClient } from "streamspec/arctos";
const ff = createFlipFlopClient({ apiKey: "k", apiSecret: "s" });
export async function main(token: SoopToken): Promise<string> {
  const { accessToken }: { accessToken: string } = await ff.loginMember({ body: { appUserId: "u1" } });
  const soop = createSoopClient({ clientId: "id", token });
  const arctos = createArctosClient({ getCode: async () => "code", baseUrl: "https://arctos.example", clientId: "arctos-webapp" });
  // @ts-expect-error licenseKey and getCode exclude each other
  createArctosClient({ getCode: async () => "code", licenseKey: "k", baseUrl: "https://arctos.example", clientId: "arctos-webapp" });
  void [soop, arctos, createPolyvClient, signPolyvParams({ a: "1" }, "secret"), ProviderError, ConfigError];
  return accessToken;
}
`,
    );
    writeFileSync(
      join(project, "tsconfig.cjs.json"),
      JSON.stringify({ compilerOptions: { module: "node16", moduleResolution: "node16", target: "ES2022", strict: true, skipLibCheck: false, noEmit: true, types: [], lib: ["ES2022", "DOM"] }, files: ["consumer.cts"] }),
    );
    const r = run(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.cjs.json"]);
    expect(r.out).toBe("");
    expect(r.status).toBe(0);
  });

  it("ships source maps only with their sources inside (sourcesContent)", () => {
    const maps = files.filter((f) => f.endsWith(".map"));
    expect(maps.length).toBeGreaterThan(0);
    for (const f of maps) {
      const map = JSON.parse(readFileSync(join(project, "node_modules", "streamspec", f), "utf8")) as { sources: string[]; sourcesContent?: (string | null)[] };
      expect(map.sourcesContent?.length, f).toBe(map.sources.length);
      expect(map.sourcesContent!.every((s) => typeof s === "string" && s.length > 0), f).toBe(true);
    }
  });

  it("has every picture the README shows", () => {
    const readme = readFileSync(join(project, "node_modules", "streamspec", "README.md"), "utf8");
    const pictures = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)[^)]*\)|<img[^>]+src="([^"]+)"/g)].map((m) => m[1] ?? m[2]!);
    expect(pictures.length).toBeGreaterThan(0);
    for (const p of pictures) {
      if (/^https?:/.test(p)) continue;
      expect(files, `README shows ${p}`).toContain(p.replace(/^\.\//, ""));
    }
  });

  it("the README's Runtimes examples type-check against the package (ESM, DOM)", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const start = readme.indexOf("\n## Runtimes");
    const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
    const snippets = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(snippets.length).toBeGreaterThanOrEqual(3);
    const names = snippets.map((text, i) => {
      writeFileSync(join(project, `readme-${i}.mts`), `${text}\nexport {};\n`);
      return `readme-${i}.mts`;
    });
    writeFileSync(
      join(project, "tsconfig.readme.json"),
      JSON.stringify({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "ES2022", strict: true, skipLibCheck: true, noEmit: true, types: [], lib: ["ES2022", "DOM", "DOM.Iterable"] }, files: names }),
    );
    const r = run(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.readme.json"]);
    expect(r.out).toBe("");
    expect(r.status).toBe(0);
  });

  it("package.json says where the project lives", () => {
    const pkg = JSON.parse(readFileSync(join(project, "node_modules", "streamspec", "package.json"), "utf8")) as Record<string, any>;
    expect(pkg.repository?.url).toMatch(/^git\+https:\/\//);
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.bugs?.url).toMatch(/^https:\/\//);
    expect(pkg.keywords).toEqual(expect.arrayContaining(["openapi", "typescript"]));
  });
});
