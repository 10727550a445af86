// Starts one Prism mock per provider in redocly.yaml on a free loopback port, and stops them all afterwards.
import type { TestProject } from "vitest/node";
// @ts-expect-error plain ESM helper shared with the scripts
import { startMocks } from "../../scripts/mock.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    mocks: Record<string, string>;
  }
}

export default async function setup(project: TestProject) {
  const started: { name: string; url: string; stop: () => Promise<void> }[] = await startMocks({ fixedPorts: false });
  project.provide("mocks", Object.fromEntries(started.map((m) => [m.name, m.url])));
  return async () => {
    await Promise.all(started.map((m) => m.stop()));
  };
}
