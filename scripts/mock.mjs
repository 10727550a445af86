#!/usr/bin/env node
// Starts a Prism mock of every provider on its documented port (scripts/lib/ports.mjs) until Ctrl-C.
import { mockPortBase } from "./lib/ports.mjs";
import { startPrism } from "./lib/prism.mjs";
import { providers } from "./lib/registry.mjs";

/** One Prism mock per registered provider; `fixedPorts: false` takes free ports instead (the tests do). */
export async function startMocks({ fixedPorts = true } = {}) {
  const list = providers();
  const mocks = [];
  try {
    for (const [i, p] of list.entries()) mocks.push(await startPrism(p, { port: fixedPorts ? mockPortBase + i : undefined }));
  } catch (error) {
    await Promise.all(mocks.map((m) => m.stop()));
    throw error;
  }
  return mocks;
}

export function stopOnSignal(stoppers) {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log("\nstopping...");
    await Promise.all(stoppers.map((s) => s()));
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const mocks = await startMocks();
  for (const m of mocks) console.log(`mock ${m.name.padEnd(10)} ${m.url}`);
  stopOnSignal(mocks.map((m) => m.stop));
}
