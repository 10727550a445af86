// Runs the pinned Redocly CLI; output goes to the caller's terminal unless captured.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { root } from "./registry.mjs";

const bin = join(root, "node_modules", "@redocly", "cli", "bin", "cli.js");

export function redocly(args, { capture = false } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: root,
      // Redocly prints a Node 20 deprecation banner and phones home for telemetry; neither helps here.
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_UPDATE_NOTIFIER: "1" },
      stdio: capture ? ["ignore", "pipe", "pipe"] : ["ignore", "inherit", "inherit"],
    });
    let out = "";
    if (capture) {
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (out += d));
    }
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code: code ?? 1, output: out }));
  });
}
