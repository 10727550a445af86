// The fakes' loopback HTTP server, for code under test that makes its own requests. Node only (Deno and Bun have
// node:http too): `listen()` loads this module at run time through a specifier bundlers do not follow, so no bundle
// of streamspec/testing for a browser or a Worker contains it.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { serialise, type Incoming, type Outcome } from "./core.js";

export interface Served {
  url: string;
  close(): Promise<void>;
}

export async function serve(process: (incoming: Incoming) => Outcome, options: { host: string; port: number }): Promise<Served> {
  const sockets = new Set<Socket>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
    }
    const outcome = process({
      method: req.method ?? "GET",
      url: new URL(req.url ?? "/", base),
      headers,
      body: Buffer.concat(chunks).toString("utf8"),
      ip: (req.socket.remoteAddress ?? "").replace(/^::ffff:/, ""),
    });
    if (outcome.kind === "reset") {
      req.socket.destroy();
      return;
    }
    if (outcome.kind === "timeout") return; // never answered; close() ends the connection
    const { status, headers: out, body } = serialise(outcome.answer);
    const bytes = Buffer.from(body, "utf8");
    const empty = status === 204 || status === 304;
    res.writeHead(status, { ...out, ...(empty ? {} : { "content-length": String(bytes.byteLength) }) });
    res.end(empty ? undefined : bytes);
  }

  const server = createServer((req, res) => void handle(req, res).catch(() => res.destroy()));
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  const base = `http://${host}:${port}`;
  return {
    url: base,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
