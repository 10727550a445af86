#!/usr/bin/env node
// The main job: lint the specs, regenerate the clients, build the docs, start a Prism mock of every provider
// and serve docs/ on localhost. Ctrl-C stops everything.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { buildDocs } from "./docs.mjs";
import { lintSpecs } from "./lint-specs.mjs";
import { docsPort } from "./lib/ports.mjs";
import { root } from "./lib/registry.mjs";
import { serveDir } from "./lib/serve.mjs";
import { startMocks, stopOnSignal } from "./mock.mjs";

try {
  console.log("1/4 lint specs");
  if (!(await lintSpecs())) throw new Error("the specs do not lint clean (see above)");
  console.log("2/4 generate clients");
  execFileSync(process.execPath, [join(root, "scripts", "generate.mjs")], { stdio: "inherit" });
  console.log("3/4 build docs");
  await buildDocs({ lint: false });
  console.log("4/4 mocks + docs server");
  const mocks = await startMocks();
  const docs = await serveDir(join(root, "docs"), { port: docsPort });
  console.log("");
  console.log(`docs       ${docs.url}/`);
  for (const m of mocks) console.log(`mock ${m.name.padEnd(10)} ${m.url}   (docs: ${docs.url}/${m.name}.html)`);
  console.log("\nCtrl-C to stop.");
  stopOnSignal([...mocks.map((m) => m.stop), docs.close]);
} catch (error) {
  console.error(error.message ?? error);
  process.exit(1);
}
