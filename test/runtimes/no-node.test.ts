// Nothing Node-only in what runs in every runtime: no `node:` (or bare built-in) import and no Node global
// (Buffer, process, ...) in src/ outside the Node-only subpaths, and none in the browser bundle esbuild makes of
// each subpath of the packed package (its dependencies included). Fails the build when one appears.
import { builtinModules } from "node:module";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packedTarball } from "../helpers/pack.js";
import { root } from "../helpers/spec.js";
import { installTarball } from "./project.js";

/** Subpaths that are Node-only by design (design.md: the CLI, the Redis store, the fakes' servers). */
const NODE_ONLY = [/^src\/cli\//, /^src\/redis\//, /^src\/testing\/(.*\/)?[^/]*server[^/]*$/, /^src\/testing\/server\//];
/** Globals that Node has and browsers, workerd or edge runtimes do not. */
const NODE_GLOBALS = new Set(["Buffer", "process", "global", "require", "module", "__dirname", "__filename", "setImmediate", "clearImmediate"]);
const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith("_")));

const isNodeModule = (spec: string) => spec.startsWith("node:") || BUILTINS.has(spec.split("/")[0]!);

interface Finding {
  file: string;
  line: number;
  what: string;
}

/** Node-only imports and free references to Node globals in one module (type positions ignored). */
export function nodeOnlyUses(file: string, text: string, { allowTypeofGuard }: { allowTypeofGuard: boolean }): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith(".ts") ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const found: Finding[] = [];
  const declared = new Set<string>();
  const at = (node: ts.Node, what: string) => found.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, what });

  // Names the module declares itself (a local `process` variable is not Node's).
  const collect = (node: ts.Node): void => {
    if ((ts.isVariableDeclaration(node) || ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isParameter(node)) && node.name && ts.isIdentifier(node.name)) {
      declared.add(node.name.text);
    }
    ts.forEachChild(node, collect);
  };
  collect(source);

  const visit = (node: ts.Node): void => {
    if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
    if (ts.isImportDeclaration(node) && node.importClause?.isTypeOnly) return;
    const spec =
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)
        ? node.moduleSpecifier.text
        : ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === "require")) && node.arguments[0] && ts.isStringLiteral(node.arguments[0])
          ? node.arguments[0].text
          : undefined;
    if (spec !== undefined && isNodeModule(spec)) at(node, `imports "${spec}"`);
    if (ts.isIdentifier(node) && NODE_GLOBALS.has(node.text) && !declared.has(node.text)) {
      const parent = node.parent;
      const isName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        (ts.isPropertyAssignment(parent) && parent.name === node) ||
        (ts.isMethodDeclaration(parent) && parent.name === node) ||
        (ts.isPropertyDeclaration(parent) && parent.name === node) ||
        ts.isImportSpecifier(parent) ||
        ts.isExportSpecifier(parent) ||
        ts.isPropertySignature(parent);
      if (!isName && !(allowTypeofGuard && guarded(node))) at(node, `uses the Node global \`${node.text}\``);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * `typeof X` itself, or a use of X that only runs after `typeof X` was checked: the right side of `&&`, the true
 * branch of `?:` or the then-branch of `if` whose condition tests `typeof X` (feature detection, safe anywhere).
 */
function guarded(node: ts.Identifier): boolean {
  if (ts.isTypeOfExpression(node.parent)) return true;
  const tests = (cond: ts.Node) => new RegExp(`typeof\\s+${node.text}\\b`).test(cond.getText());
  let child: ts.Node = node;
  for (let p = node.parent; p; child = p, p = p.parent) {
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && p.right === child && tests(p.left)) return true;
    if (ts.isConditionalExpression(p) && p.whenTrue === child && tests(p.condition)) return true;
    if (ts.isIfStatement(p) && p.thenStatement === child && tests(p.expression)) return true;
    if (ts.isFunctionLike(p)) return false;
  }
  return false;
}

function runtimeSources(): string[] {
  return readdirSync(join(root, "src"), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith(".ts"))
    .map((d) => relative(root, join(d.parentPath ?? d.path, d.name)).split("\\").join("/"))
    .filter((f) => !NODE_ONLY.some((re) => re.test(f)));
}

describe("src/ outside the Node-only subpaths", () => {
  it("has no node: or built-in import and no Node global", () => {
    const files = runtimeSources();
    expect(files.length).toBeGreaterThan(20);
    const found = files.flatMap((f) => nodeOnlyUses(f, readFileSync(join(root, f), "utf8"), { allowTypeofGuard: false }));
    expect(found.map((f) => `${f.file}:${f.line} ${f.what}`)).toEqual([]);
  });

  it("the check finds what it looks for", () => {
    const sample = `import { createHash } from "node:crypto";\nimport fs from "fs";\nconst b = Buffer.from("x");\nif (process.env.X) {}\nconst o = { process: 1 };\no.process;\ntype T = NodeJS.Timeout;\nconst s = typeof process;\nexport {};\n`;
    expect(nodeOnlyUses("sample.ts", sample, { allowTypeofGuard: false }).map((f) => `${f.line} ${f.what}`)).toEqual([
      '1 imports "node:crypto"',
      '2 imports "fs"',
      "3 uses the Node global `Buffer`",
      "4 uses the Node global `process`",
      "8 uses the Node global `process`",
    ]);
    expect(nodeOnlyUses("sample.js", "const s = typeof process; const v = typeof process === 'object' && process.version;", { allowTypeofGuard: true })).toEqual([]);
    expect(nodeOnlyUses("sample.js", "const v = typeof process === 'object' || process.version;", { allowTypeofGuard: true })).toHaveLength(1);
    expect(nodeOnlyUses("sample.js", "function f(process) { return process.x }", { allowTypeofGuard: false })).toEqual([]);
  });
});

describe("the browser bundle of each subpath of the packed package", () => {
  let project: string;
  let subpaths: string[];
  beforeAll(async () => {
    project = installTarball(await packedTarball(), "streamspec-no-node-");
    const pkg = JSON.parse(readFileSync(join(project, "node_modules", "streamspec", "package.json"), "utf8")) as { exports: Record<string, unknown> };
    subpaths = Object.keys(pkg.exports).filter((s) => s !== "./package.json");
  }, 300_000);
  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it("every exported subpath bundles for platform=browser with no Node built-in and no Node global (a `typeof` guard aside)", async () => {
    expect(subpaths.length).toBeGreaterThanOrEqual(5);
    const problems: string[] = [];
    for (const sub of subpaths) {
      const name = `streamspec${sub.slice(1)}`;
      // A Node-only subpath (the CLI, the Redis store) is allowed Node; it must not be a provider's.
      if (NODE_ONLY.some((re) => re.test(`src/${sub.slice(2)}/`))) continue;
      let code: string;
      try {
        const result = await build({ stdin: { contents: `export * from "${name}";`, resolveDir: project }, bundle: true, format: "esm", platform: "browser", write: false, metafile: true, logLevel: "silent" });
        const inputs = Object.keys(result.metafile.inputs);
        for (const i of inputs) if (i.startsWith("node:")) problems.push(`${name}: bundles ${i}`);
        code = result.outputFiles[0]!.text;
      } catch (error) {
        problems.push(`${name}: does not bundle for the browser: ${(error as Error).message.split("\n").slice(0, 4).join(" ")}`);
        continue;
      }
      for (const f of nodeOnlyUses(`${name}.bundle.js`, code, { allowTypeofGuard: true })) {
        problems.push(`${name}: line ${f.line} of the bundle ${f.what}: ${code.split("\n")[f.line - 1]!.trim().slice(0, 120)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
