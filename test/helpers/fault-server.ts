// A misbehaving HTTP server for the reliability tests: plain node:http on a free loopback port. Each path has a
// script of faults, used up one per request; once a path's script is empty the server answers normally (the
// success answer of the `respond` function). It counts and keeps every request it received, per path, and
// echoes the request (method, URL, headers, body) into its error bodies, so a secret that travelled in the
// request and then leaked into an error or a log line would be caught.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface Received {
  method: string;
  /** Path without the query string. */
  path: string;
  /** The URL as received (path and query, still encoded). */
  url: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The body as text; empty when none was read (a fault that answers before reading it). */
  body: string;
  /** performance.now() when the request arrived. */
  at: number;
  /** 1-based number of this request among the requests to its path. */
  index: number;
}

/** A normal answer: an object body is sent as JSON, a string as it is. */
export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type Responder = (req: Received) => Answer | Promise<Answer>;

export type Fault =
  /** Destroy the socket as soon as the request arrives, before reading its body. */
  | { kind: "reset" }
  /** Read the whole body, then destroy the socket without answering. */
  | { kind: "reset-after-body" }
  /** Never answer (the socket is destroyed when the server stops or the client gives up). */
  | { kind: "hang" }
  /** The success answer, with its Content-Length, one byte every `byteIntervalMs` (default 50). */
  | { kind: "slow"; byteIntervalMs?: number }
  /** An error status with a JSON body echoing the request, optionally with Retry-After. */
  | { kind: "status"; status: number; retryAfter?: string | (() => string) }
  /** An HTML error page (echoing the request) with this status. */
  | { kind: "html"; status: number }
  /** 200 with a Content-Type of JSON and a body that is not JSON. */
  | { kind: "invalid-json" }
  /** 200 promising more bytes (Content-Length) than it sends, then the socket is destroyed. */
  | { kind: "truncated-json" }
  /** 200 with no body at all (Content-Length: 0) though JSON is promised. */
  | { kind: "empty" }
  /**
   * 200 with a JSON-looking body of `bytes` bytes, written in `chunkBytes` pieces with backpressure; with
   * `declareLength` the size is announced in Content-Length, otherwise the body is chunked. How much was really
   * written is recorded in `server.bigBodies`.
   */
  | { kind: "too-large"; bytes: number; chunkBytes?: number; declareLength?: boolean }
  /** A one-off answer of your own. */
  | { kind: "answer"; answer: Answer | Responder };

export interface BigBody {
  path: string;
  intended: number;
  /** Bytes handed to the socket before the write loop ended. */
  written: number;
  /** True when the client went away before the whole body was written. */
  cutShort: boolean;
  done: Promise<void>;
}

export interface FaultServerOptions {
  /** The normal (success) answer; default 200 `{}`. */
  respond?: Responder;
  /** Keep every received request in `received` (default true); false keeps only the counts (long runs). */
  record?: boolean;
}

export class FaultServer {
  readonly received: Received[] = [];
  readonly bigBodies: BigBody[] = [];
  private readonly scripts = new Map<string, Fault[]>();
  private readonly anyPath: Fault[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<ReturnType<typeof setInterval>>();
  private readonly counts = new Map<string, number>();
  private readonly successes = new Map<string, Answer>();
  private server: Server | undefined;
  private respond: Responder;
  private readonly record: boolean;
  url = "";

  constructor(options: FaultServerOptions = {}) {
    this.respond = options.respond ?? (() => ({ body: {} }));
    this.record = options.record ?? true;
  }

  /** Starts listening on a free port of 127.0.0.1; resolves to the base URL. */
  async start(): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res).catch(() => res.destroy()));
    server.keepAliveTimeout = 5_000;
    server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** Stops listening, ends every open connection and every pending slow write. */
  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers.clear();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    for (const s of this.sockets) s.destroy();
    await closed;
    await Promise.all(this.bigBodies.map((b) => b.done));
  }

  /** Replaces the success answer. */
  setResponder(respond: Responder): this {
    this.respond = respond;
    return this;
  }

  /** The success answer of one path (exact pathname), instead of the responder's. */
  setSuccess(path: string, answer: Answer): this {
    this.successes.set(path, answer);
    return this;
  }

  /** Queues faults for the next requests to `path` (exact pathname); the path answers normally afterwards. */
  fault(path: string, ...faults: Fault[]): this {
    const list = this.scripts.get(path) ?? [];
    list.push(...faults);
    this.scripts.set(path, list);
    return this;
  }

  /** Queues faults for the next requests to any path (used after a path's own script). */
  faultAny(...faults: Fault[]): this {
    this.anyPath.push(...faults);
    return this;
  }

  /** Forgets every queued fault and every per-path success answer. */
  clearFaults(): this {
    this.scripts.clear();
    this.anyPath.length = 0;
    this.successes.clear();
    return this;
  }

  /** How many requests arrived for `path` (all paths when omitted). */
  count(path?: string): number {
    if (path === undefined) return [...this.counts.values()].reduce((a, b) => a + b, 0);
    return this.counts.get(path) ?? 0;
  }

  requestsTo(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  /** Forgets the counts and the received requests (not the faults). */
  resetCounts(): this {
    this.received.length = 0;
    this.counts.clear();
    return this;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const index = (this.counts.get(url.pathname) ?? 0) + 1;
    this.counts.set(url.pathname, index);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
    const rec: Received = {
      method: req.method ?? "GET",
      path: url.pathname,
      url: req.url ?? "/",
      query: Object.fromEntries(url.searchParams),
      headers,
      body: "",
      at: performance.now(),
      index,
    };
    if (this.record) this.received.push(rec);
    const script = this.scripts.get(rec.path);
    const fault = script?.length ? script.shift() : this.anyPath.shift();

    if (fault?.kind === "reset") {
      req.socket.destroy();
      return;
    }
    rec.body = await readBody(req);
    if (!fault) return this.send(res, await this.success(rec));

    switch (fault.kind) {
      case "reset-after-body":
        req.socket.destroy();
        return;
      case "hang":
        return; // the socket stays open until the client aborts or the server stops
      case "slow":
        return this.slow(res, await this.success(rec), fault.byteIntervalMs ?? 50);
      case "status": {
        const retryAfter = typeof fault.retryAfter === "function" ? fault.retryAfter() : fault.retryAfter;
        return this.send(res, {
          status: fault.status,
          headers: { ...(retryAfter === undefined ? {} : { "retry-after": retryAfter }), ...echoHeaders(rec) },
          body: errorBody(fault.status, rec),
        });
      }
      case "html":
        return this.send(res, {
          status: fault.status,
          headers: { "content-type": "text/html; charset=utf-8", ...echoHeaders(rec) },
          body: `<!doctype html><html><head><title>${fault.status} Bad Gateway</title></head><body><h1>Upstream error</h1><pre>${echo(rec)}</pre></body></html>`,
        });
      case "invalid-json":
        return this.send(res, { status: 200, headers: { "content-type": "application/json" }, body: `{"ok": true, "echo": ${echo(rec)}` });
      case "truncated-json": {
        const body = Buffer.from(JSON.stringify({ result: 1, status: 1, code: 200, echo: echo(rec), padding: "x".repeat(256) }));
        res.writeHead(200, { "content-type": "application/json", "content-length": String(body.length + 512) });
        res.write(body.subarray(0, Math.floor(body.length / 2)));
        setTimeout(() => res.destroy(), 5).unref();
        return;
      }
      case "empty":
        res.writeHead(200, { "content-type": "application/json", "content-length": "0" });
        res.end();
        return;
      case "too-large":
        return this.big(res, rec.path, fault);
      case "answer":
        return this.send(res, typeof fault.answer === "function" ? await fault.answer(rec) : fault.answer);
    }
  }

  private success(rec: Received): Answer | Promise<Answer> {
    return this.successes.get(rec.path) ?? this.respond(rec);
  }

  private send(res: ServerResponse, answer: Answer): void {
    const { status = 200, headers = {}, body } = answer;
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    if (body === undefined || body === null) {
      res.writeHead(status, lower);
      res.end();
      return;
    }
    const text = typeof body === "string" ? body : JSON.stringify(body);
    const buf = Buffer.from(text);
    res.writeHead(status, { "content-type": "application/json", ...lower, "content-length": String(buf.length) });
    res.end(buf);
  }

  private slow(res: ServerResponse, answer: Answer, intervalMs: number): void {
    const status = answer.status ?? 200;
    const body = answer.body === undefined || answer.body === null ? Buffer.alloc(0) : Buffer.from(typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body));
    let bytes: Buffer;
    let write: (b: Buffer) => void;
    let end: () => void;
    if (body.length > 0) {
      // Headers at once, then the body one byte at a time: the timeout must cover reading the body.
      res.writeHead(status, { "content-type": "application/json", ...(answer.headers ?? {}), "content-length": String(body.length) });
      bytes = body;
      write = (b) => res.write(b);
      end = () => res.end();
    } else {
      // Nothing to dribble but the head: write the raw status line and headers one byte at a time.
      bytes = Buffer.from(`HTTP/1.1 ${status} OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
      write = (b) => res.socket?.write(b);
      end = () => res.socket?.destroySoon();
    }
    let sent = 0;
    const stop = () => {
      clearInterval(timer);
      this.timers.delete(timer);
    };
    const timer = setInterval(() => {
      if (res.destroyed || !res.socket || res.socket.destroyed) return stop();
      if (sent >= bytes.length) {
        stop();
        return end();
      }
      write(bytes.subarray(sent, sent + 1));
      sent++;
    }, intervalMs);
    this.timers.add(timer);
    res.on("close", stop);
  }

  private big(res: ServerResponse, path: string, fault: Extract<Fault, { kind: "too-large" }>): void {
    const chunk = Buffer.alloc(fault.chunkBytes ?? 16 * 1024, 0x61);
    const record: BigBody = { path, intended: fault.bytes, written: 0, cutShort: false, done: Promise.resolve() };
    res.writeHead(200, {
      "content-type": "application/json",
      ...(fault.declareLength ? { "content-length": String(fault.bytes) } : {}),
    });
    let closed = false;
    let wake: (() => void) | undefined;
    res.on("close", () => {
      closed = true;
      wake?.();
    });
    res.on("drain", () => wake?.());
    res.on("error", () => {});
    record.done = (async () => {
      const head = Buffer.from('{"data":"');
      res.write(head);
      record.written = head.length;
      while (!closed && record.written < fault.bytes) {
        const piece = chunk.subarray(0, Math.min(chunk.length, fault.bytes - record.written));
        const ok = res.write(piece);
        record.written += piece.length;
        if (!ok && !closed) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      record.cutShort = record.written < fault.bytes || closed;
      if (!closed) res.end();
    })();
    this.bigBodies.push(record);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("close", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

/** The request as one line: method, URL (query included), every header and the body. */
export function echo(rec: Received): string {
  return JSON.stringify(`${rec.method} ${rec.url} ${JSON.stringify(rec.headers)} ${rec.body}`);
}

/** Response headers that repeat what the request carried (a leak there would show in `logger` output). */
function echoHeaders(rec: Received): Record<string, string> {
  const out: Record<string, string> = { "x-echo-url": encodeURI(rec.url) };
  if (rec.headers.authorization) out["x-echo-credentials"] = rec.headers.authorization;
  if (rec.headers["arc-license-key"]) out["x-echo-license"] = rec.headers["arc-license-key"];
  if (rec.body) out["x-echo-body"] = encodeURI(rec.body.slice(0, 2000));
  return out;
}

/**
 * An error body every provider's failure reader understands (FlipFlop errorCode/errorMessage, Polyv
 * code/error.desc, SOOP result/msg, Arctos status/code/message), each message echoing the request.
 */
export function errorBody(status: number, rec: Received): Record<string, unknown> {
  const text = JSON.parse(echo(rec)) as string;
  return {
    errorCode: `FAULT_${status}`,
    errorMessage: text,
    code: status,
    status: 0,
    success: false,
    result: -status,
    msg: text,
    message: text,
    error: { code: status, desc: text },
    requestId: `req-${rec.index}`,
    echo: { method: rec.method, url: rec.url, query: rec.query, headers: rec.headers, body: rec.body },
  };
}

/** Starts a fault server; stop it with `await server.stop()`. */
export async function startFaultServer(options: FaultServerOptions = {}): Promise<FaultServer> {
  const server = new FaultServer(options);
  await server.start();
  return server;
}
