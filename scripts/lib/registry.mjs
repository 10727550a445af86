// The provider registry is redocly.yaml: every script reads the list of providers from it.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** redocly.yaml, or another registry named by STREAMSPEC_REGISTRY (the tests use one with a broken spec). */
export const registryPath = resolve(root, process.env.STREAMSPEC_REGISTRY ?? "redocly.yaml");

/** @returns {{ alias: string, name: string, specPath: string }[]} */
export function providers() {
  const config = parse(readFileSync(registryPath, "utf8"));
  // STREAMSPEC_PROVIDERS=flipflop,soop narrows every script to some providers while working on them.
  const only = process.env.STREAMSPEC_PROVIDERS?.split(",").filter(Boolean);
  return Object.entries(config.apis ?? {})
    .map(([alias, api]) => ({ alias, name: alias.split("@")[0], specPath: resolve(dirname(registryPath), api.root) }))
    .filter((p) => !only || only.includes(p.name));
}

export function loadSpec(specPath) {
  return parse(readFileSync(specPath, "utf8"));
}
