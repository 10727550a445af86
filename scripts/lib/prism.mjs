// Starts and stops Prism mocks. Used by `npm run mock`, `npm start` and the contract tests' global setup.
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { stringify } from "yaml";
import { loadSpec, root } from "./registry.mjs";

const bin = join(root, "node_modules", "@stoplight", "prism-cli", "dist", "index.js");

/** A free loopback port, chosen by the OS. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * The spec as Prism should see it. Prism 5.14 matches paths with uri-template-lite, which already splits
 * `1,2,3` into a list, and then crashes ("value.split is not a function") deserialising an array path
 * parameter. Such parameters get a schema that accepts the one item or the list of items, each with the same
 * rules as written; everything else is as written.
 */
export function prismSpec(provider) {
  const spec = loadSpec(provider.specPath);
  const params = spec.components?.parameters ?? {};
  const fix = (p) => {
    if (p?.in !== "path" || p.schema?.type !== "array") return;
    p.schema = { anyOf: [p.schema.items ?? { type: "string" }, p.schema] };
  };
  Object.values(params).forEach(fix);
  for (const item of Object.values(spec.paths ?? {})) {
    for (const value of Object.values(item)) {
      if (Array.isArray(value)) value.forEach(fix);
      else if (value && typeof value === "object" && Array.isArray(value.parameters)) value.parameters.forEach(fix);
    }
  }
  const dir = join(root, ".tmp", "prism");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${provider.name}.yaml`);
  writeFileSync(file, stringify(spec));
  return file;
}

async function waitUntilListening(url, child, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`prism exited with code ${child.exitCode}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  throw new Error(`prism did not answer on ${url} within ${timeoutMs} ms`);
}

/** Starts one Prism mock; resolves once it answers HTTP. */
export async function startPrism(provider, { port, host = "127.0.0.1", quiet = true, timeoutMs = 60_000 } = {}) {
  const chosen = port ?? (await freePort());
  const file = prismSpec(provider);
  const child = spawn(process.execPath, [bin, "mock", file, "--host", host, "--port", String(chosen), "--errors", "false"], {
    cwd: root,
    stdio: quiet ? ["ignore", "ignore", "pipe"] : ["ignore", "inherit", "inherit"],
  });
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
  const url = `http://${host}:${chosen}`;
  try {
    await waitUntilListening(url, child, timeoutMs);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`${provider.name}: ${error.message}\n${stderr}`);
  }
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill("SIGTERM");
    });
  return { name: provider.name, url, port: chosen, stop, child };
}
