// Spawning the measurement processes: every child is tracked so none outlives the bench, even on Ctrl-C.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const CHILD = fileURLToPath(new URL("./child.mjs", import.meta.url));
const running = new Set();

/** Runs bench/lib/<module>.mjs's run(args) in a fresh Node process and resolves to its result. */
export function inChild(module, args, { root } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, module, JSON.stringify(args)], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    running.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      running.delete(child);
      if (code !== 0) return reject(new Error(`${module} ${JSON.stringify(args)} failed (${signal ?? code}):\n${stderr.trim()}`));
      try {
        resolve(JSON.parse(stdout.trim().split("\n").at(-1)));
      } catch (error) {
        reject(new Error(`${module}: unreadable result: ${stdout.slice(-500)}\n${stderr}`));
      }
    });
  });
}

/** Ends every child still running (each by its own pid). */
export function killChildren() {
  for (const child of running) if (child.exitCode === null) child.kill("SIGTERM");
}
