// A static file server for docs/ on loopback (no dependencies, no directory listing, no path escapes).
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";

const TYPES = { ".html": "text/html; charset=utf-8", ".png": "image/png", ".json": "application/json", ".css": "text/css", ".js": "text/javascript" };

export function serveDir(dir, { port = 0, host = "127.0.0.1" } = {}) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = normalize(join(dir, path.endsWith("/") ? `${path}index.html` : path));
    if (!file.startsWith(dir + sep) && file !== dir) return void res.writeHead(403).end();
    let stat;
    try {
      stat = statSync(file);
    } catch {
      return void res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
    if (!stat.isFile()) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "content-length": stat.size });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve({
        url: `http://${host}:${address.port}`,
        close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
      });
    });
  });
}
