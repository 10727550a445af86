// The provider registry is redocly.yaml: every script reads the list of providers from it.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** @returns {{ alias: string, name: string, specPath: string }[]} */
export function providers() {
  const config = parse(readFileSync(join(root, "redocly.yaml"), "utf8"));
  // STREAMSPEC_PROVIDERS=flipflop,soop narrows every script to some providers while working on them.
  const only = process.env.STREAMSPEC_PROVIDERS?.split(",").filter(Boolean);
  return Object.entries(config.apis ?? {})
    .map(([alias, api]) => ({ alias, name: alias.split("@")[0], specPath: join(root, api.root) }))
    .filter((p) => !only || only.includes(p.name));
}

export function loadSpec(specPath) {
  return parse(readFileSync(specPath, "utf8"));
}
