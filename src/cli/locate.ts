// Where the command line finds what it reads at run time: the compiled operation indexes, provider modules and
// specs (as JSON) of the same build beside it, and the package's own package.json.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { OperationIndex, OperationSchemas, ProviderInfo } from "../core/operation.js";

const here = dirname(fileURLToPath(import.meta.url)); // <build>/src/cli
const SUFFIX = ".operations.js";

/** Every provider with a compiled operation index: adding a spec (and generating) adds its commands. */
export function providerNames(): string[] {
  return readdirSync(resolve(here, "../../generated"))
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort();
}

export interface GeneratedIndex {
  provider: string;
  info: ProviderInfo;
  operations: OperationIndex;
}

/**
 * The index with each operation's full parameter and body schemas put back in (the flags and their help are built
 * from them): the runtime index names parameters only, and the generated `schemas` beside it holds the rules.
 */
export async function loadIndex(name: string): Promise<GeneratedIndex> {
  const mod = (await import(pathToFileURL(resolve(here, "../../generated", `${name}${SUFFIX}`)).href)) as GeneratedIndex & { schemas?: OperationSchemas };
  const schemas = mod.schemas ?? {};
  const operations = Object.fromEntries(
    Object.entries(mod.operations).map(([id, meta]) => {
      const full = schemas[id];
      if (!full) return [id, meta];
      return [id, { ...meta, params: full.params, ...(meta.body ? { body: { ...meta.body, schema: full.body ?? {} } } : {}) }];
    }),
  );
  return { provider: mod.provider, info: mod.info, operations };
}

/** The provider's subpath module (streamspec/<name>): its factory and helpers. */
export async function loadModule(name: string): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(resolve(here, "..", name, "index.js")).href)) as Record<string, unknown>;
}

let root: string | undefined;

/** The package's root: the nearest folder above this file with streamspec's package.json. */
export function packageRoot(): string {
  if (root) return root;
  for (let dir = here; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "streamspec") return (root = dir);
      } catch {
        // not ours; keep looking
      }
    }
    if (dirname(dir) === dir) throw new Error(`streamspec: cannot find the package's package.json above ${here}`);
  }
}

/** The provider's spec, as the build copied it to JSON beside the indexes (scripts/build.mjs). */
export function specPath(name: string): string {
  return resolve(here, "../../specs", `${name}.json`);
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}
