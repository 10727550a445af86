#!/usr/bin/env node
// The `streamspec` executable (package.json "bin"). Node only: this subpath is the one place in src/ that may
// use node: modules and process.
import { main } from "./main.js";

// A reader that went away (`| head`) is not an error worth a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env });
