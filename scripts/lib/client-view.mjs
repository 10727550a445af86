// The client's view of a spec: bundled with Redocly's remove-x-internal decorator, so the credentials the client
// supplies itself (x-internal) are gone. The generator reads types, the operation index and validators from it.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { redocly } from "./redocly.mjs";
import { root } from "./registry.mjs";

/** @param {{ alias: string, name: string, specPath: string }} p a registry entry */
export async function clientView(p) {
  // One scratch folder per call, so concurrent runs (a test's --check beside a developer's generate) do not collide.
  mkdirSync(join(root, ".tmp"), { recursive: true });
  const tmp = mkdtempSync(join(root, ".tmp", `client-view-${p.name}-`));
  try {
    const config = join(tmp, "redocly.yaml");
    writeFileSync(config, stringify({ apis: { [p.alias]: { root: p.specPath } }, decorators: { "remove-x-internal": "on" } }));
    const out = join(tmp, "client.json");
    const { code, output } = await redocly(["bundle", p.alias, "--config", config, "--output", out, "--ext", "json"], { capture: true });
    if (code !== 0 || !existsSync(out)) throw new Error(`redocly bundle failed for ${p.alias}:\n${output}`);
    return JSON.parse(readFileSync(out, "utf8"));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
