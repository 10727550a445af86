// Section 2's server: a node:http keep-alive server on 127.0.0.1 (a free port) answering every route of
// routes.mjs with its success body, after reading the whole request body. It runs in its own process, so the
// client process being measured has a core of its own; `startServer()` forks it and returns { port, stop }.
import { fork } from "node:child_process";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { ROUTES } from "./routes.mjs";

const SELF = fileURLToPath(import.meta.url);

/** Forks the server and resolves when it listens. `stop()` ends it (by its pid) and resolves when it has exited. */
export function startServer() {
  return new Promise((resolve, reject) => {
    const child = fork(SELF, ["--serve"], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const exited = new Promise((r) => child.once("exit", r));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`bench server exited early (${code})`)));
    child.once("message", (msg) => {
      const stop = async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
        await exited;
      };
      resolve({ port: msg.port, pid: child.pid, stop });
    });
  });
}

function serve() {
  const answers = new Map(
    Object.entries(ROUTES).map(([path, body]) => {
      const text = Buffer.from(JSON.stringify(body));
      return [path, { text, headers: { "content-type": "application/json", "content-length": String(text.length) } }];
    }),
  );
  const server = createServer({ keepAlive: true, keepAliveTimeout: 120_000 }, (req, res) => {
    req.on("data", () => {}); // read the request body to the end before answering, as a real server does
    req.on("end", () => {
      const q = req.url.indexOf("?");
      const answer = answers.get(q === -1 ? req.url : req.url.slice(0, q));
      if (!answer) {
        res.writeHead(404, { "content-type": "application/json" }).end('{"error":"no route"}');
        return;
      }
      res.writeHead(200, answer.headers).end(answer.text);
    });
  });
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 130_000;
  server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));
  const close = () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  };
  process.on("SIGTERM", close);
  process.on("disconnect", close); // never outlive the bench
}

if (process.argv[1] === SELF && process.argv.includes("--serve")) serve();
