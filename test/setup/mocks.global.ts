// Starts one Prism mock per provider in redocly.yaml on a free loopback port, and stops them all afterwards.
import type { TestProject } from "vitest/node";
// @ts-expect-error plain ESM helper shared with the scripts
import { providers } from "../../scripts/lib/registry.mjs";
// @ts-expect-error plain ESM helper shared with the scripts
import { startPrism } from "../../scripts/lib/prism.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    mocks: Record<string, string>;
  }
}

export default async function setup(project: TestProject) {
  const list = providers() as { name: string }[];
  const started: { name: string; url: string; stop: () => Promise<void> }[] = [];
  try {
    for (const p of list) started.push(await startPrism(p));
  } catch (error) {
    await Promise.all(started.map((m) => m.stop()));
    throw error;
  }
  project.provide("mocks", Object.fromEntries(started.map((m) => [m.name, m.url])));
  return async () => {
    await Promise.all(started.map((m) => m.stop()));
  };
}
