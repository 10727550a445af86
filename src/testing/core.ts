// What every fake shares: a clock the test moves, routing by the operation index, a record of every request,
// injected faults, and the two ways in — `fetch` (in-process, any runtime) and `listen()` (a loopback HTTP server,
// Node only, loaded on demand so that bundles for browsers and Workers never contain it).
import { ConfigError } from "../core/errors.js";
import type { OperationIndex } from "../core/operation.js";

/**
 * What an injected fault does instead of the provider:
 * - `{ status, body?, headers? }` answers that (an object body as JSON, a string as it is);
 * - `"reset"` drops the connection (fetch rejects as on a network failure);
 * - `"timeout"` never answers (fetch settles only when the request's signal aborts, or the fake closes);
 * - `"invalid-json"` answers 200 with a JSON content type and a body that is not JSON.
 * A faulted request is recorded, and changes nothing in the fake's state.
 */
export type Fault = { status: number; body?: unknown; headers?: Readonly<Record<string, string>> } | "reset" | "timeout" | "invalid-json";

export interface InjectOptions {
  /** How many matching requests in a row get the fault (default 1; `Infinity` for every one until `clearFaults()`). */
  times?: number;
}

export interface FakeOptions {
  /**
   * The clock the fake starts from, in ms since the epoch (default `Date.now`). `advance(ms)` moves the fake's
   * time ahead of it; pass the fake's `now` to a client's `now` option so both agree.
   */
  now?: () => number;
  /**
   * Keep every request in `requests` (default true). `false` keeps only the counts (`count()`), for long runs
   * where thousands of recorded requests would weigh on memory.
   */
  record?: boolean;
}

export interface ListenOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

/** What the fake answered, as it went on the wire. */
export interface RecordedAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** One request the fake received. Credentials are kept as they came: the test that owns the fake owns them. */
export interface RecordedRequest {
  /** The operation it was routed to; undefined for a path and method the spec does not have. */
  readonly operationId: string | undefined;
  readonly method: string;
  /** The full URL as received. */
  readonly url: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The client's address (`listen()`: the socket's; `fetch`: 127.0.0.1). */
  readonly ip: string;
  /** The fake's clock when it arrived (ms since the epoch). */
  readonly at: number;
  /** Undefined when an injected `"reset"` or `"timeout"` answered nothing. */
  readonly answer: RecordedAnswer | undefined;
  /** The injected fault that answered it, if one did. */
  readonly fault: Fault | undefined;
}

/** The controls every fake has. */
export interface Fake<Op extends string = string> {
  /** A fetch that answers in-process, as the provider would; works in every runtime. Pass it as a client's `fetch`. */
  readonly fetch: typeof globalThis.fetch;
  /** Starts a loopback HTTP server (Node only) and resolves to its base URL (also `url`). Calling it again returns the same URL. */
  listen(options?: ListenOptions): Promise<string>;
  /** The base URL of the server `listen()` started; undefined before. */
  readonly url: string | undefined;
  /** Stops the server (if any), drops its connections and settles every request left hanging by a `"timeout"` fault. */
  close(): Promise<void>;
  /** The fake's current time in ms since the epoch (a bound function: pass it as a client's `now`). */
  readonly now: () => number;
  /** Moves the fake's clock forward, to expire codes, tokens, timestamps and rate-limit windows. */
  advance(ms: number): void;
  /** Every request received so far, oldest first (none with `record: false`). */
  readonly requests: readonly RecordedRequest[];
  /** How many requests an operation received (every request when no operationId is given), recorded or not. */
  count(operationId?: Op): number;
  /** Makes the next `times` requests of an operation fail as `fault` says, instead of reaching the provider. */
  inject(operationId: Op, fault: Fault, options?: InjectOptions): void;
  /** Drops every fault still waiting. */
  clearFaults(): void;
}

/** A request after routing, as a provider's fake sees it. */
export interface Routed {
  /** The operation this path and method belong to, if any. */
  readonly operationId: string | undefined;
  /** The operations whose path matches, whatever their method (for a "method not allowed" answer). */
  readonly samePath: readonly string[];
  /** Path parameters, percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly method: string;
  readonly url: URL;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Headers;
  readonly body: string;
  readonly ip: string;
  /** The fake's clock when it arrived. */
  readonly at: number;
}

/** A provider's answer: `json` is serialised as JSON, `text` is sent as it is. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => ({ status, json: body, headers });

/** What a request came to: an answer, a dropped connection, or nothing at all. */
export type Outcome = { kind: "answer"; answer: Answer } | { kind: "reset" } | { kind: "timeout" };

export interface Incoming {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
  ip: string;
}

/** What makes a fake one provider's: its operations and how it answers a routed request. */
export interface Behaviour {
  provider: string;
  operations: OperationIndex;
  handle(request: Routed): Answer;
  /** The answer when `handle` throws (a bug in the fake must not crash or hang the test). */
  internalError(request: Routed): Answer;
}

interface Route {
  id: string;
  method: string;
  pattern: RegExp;
  names: string[];
}

function compileRoutes(operations: OperationIndex): Route[] {
  return Object.entries(operations).map(([id, meta]) => {
    const names: string[] = [];
    const source = meta.path
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const name = /^\{([^}]+)\}$/.exec(part)?.[1];
        if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        names.push(name);
        return "([^/]+)";
      })
      .join("");
    return { id, method: meta.method, pattern: new RegExp(`^${source}$`), names };
  });
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // a malformed escape is the provider's to refuse, not a crash
  }
}

const INVALID_JSON = '{"truncated": ';
const SERVER_MODULE = "./server.js";

function faultAnswer(fault: Exclude<Fault, "reset" | "timeout">): Answer {
  if (fault === "invalid-json") return { status: 200, headers: { "content-type": "application/json" }, text: INVALID_JSON };
  const headers = { ...fault.headers };
  if (fault.body === undefined || fault.body === null) return { status: fault.status, headers };
  if (typeof fault.body === "string") return { status: fault.status, headers: { "content-type": "text/plain; charset=utf-8", ...headers }, text: fault.body };
  return { status: fault.status, headers, json: fault.body };
}

/** The body and headers an Answer goes out with. */
export function serialise(answer: Answer): RecordedAnswer {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(answer.headers ?? {})) headers[k.toLowerCase()] = v;
  let body = "";
  if (answer.json !== undefined) {
    body = JSON.stringify(answer.json);
    headers["content-type"] ??= "application/json;charset=UTF-8";
  } else if (answer.text !== undefined) {
    body = answer.text;
  }
  return { status: answer.status, headers, body };
}

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function checkFault(provider: string, fault: unknown): Fault {
  if (fault === "reset" || fault === "timeout" || fault === "invalid-json") return fault;
  if (fault && typeof fault === "object" && !Array.isArray(fault)) {
    const { status } = fault as { status?: unknown };
    if (Number.isInteger(status) && (status as number) >= 200 && (status as number) <= 599) return fault as Fault;
  }
  throw new ConfigError(provider, "fault", 'must be { status (200-599), body?, headers? }, "reset", "timeout" or "invalid-json"');
}

/** Builds the object every fake is: its controls, its fetch and its server. */
export class FakeCore<Op extends string = string> implements Fake<Op> {
  readonly requests: RecordedRequest[] = [];
  readonly fetch: typeof globalThis.fetch;
  readonly now: () => number;
  private offset = 0;
  private readonly record: boolean;
  /** Requests per operationId ("" for unrouted ones). */
  private readonly counts = new Map<string, number>();
  private total = 0;
  private readonly routes: Route[];
  private readonly faults = new Map<string, { fault: Fault; left: number }[]>();
  /** Requests held by a "timeout" fault in fetch mode: settled by close(). */
  private readonly hanging = new Set<(reason: unknown) => void>();
  private server: { url: string; close(): Promise<void> } | undefined;
  private starting: Promise<string> | undefined;

  constructor(
    private readonly behaviour: Behaviour,
    options: FakeOptions = {},
  ) {
    const base = options.now ?? Date.now;
    if (typeof base !== "function") throw new ConfigError(behaviour.provider, "now", "must be a function returning ms since the epoch");
    this.now = () => base() + this.offset;
    this.record = options.record ?? true;
    if (typeof this.record !== "boolean") throw new ConfigError(behaviour.provider, "record", "must be true or false");
    this.routes = compileRoutes(behaviour.operations);
    this.fetch = (input, init) => this.fetchIn(input, init);
  }

  get url(): string | undefined {
    return this.server?.url;
  }

  advance(ms: number): void {
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) throw new ConfigError(this.behaviour.provider, "advance", "takes a finite, non-negative number of ms");
    this.offset += ms;
  }

  count(operationId?: Op): number {
    return operationId === undefined ? this.total : (this.counts.get(operationId) ?? 0);
  }

  inject(operationId: Op, fault: Fault, options: InjectOptions = {}): void {
    const { provider, operations } = this.behaviour;
    if (typeof operationId !== "string" || !Object.hasOwn(operations, operationId)) {
      throw new ConfigError(provider, "operationId", `must be one of ${Object.keys(operations).join(", ")}`);
    }
    const times = options?.times ?? 1;
    if (!(times === Infinity || (Number.isInteger(times) && times > 0))) throw new ConfigError(provider, "times", "must be a positive integer or Infinity");
    const queue = this.faults.get(operationId) ?? [];
    queue.push({ fault: checkFault(provider, fault), left: times });
    this.faults.set(operationId, queue);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Routes, records and answers one request. */
  process(incoming: Incoming): Outcome {
    const at = this.now();
    const pathname = incoming.url.pathname;
    const matching = this.routes.filter((r) => r.pattern.test(pathname));
    const route = matching.find((r) => r.method === incoming.method);
    const params: Record<string, string> = {};
    if (route) {
      const values = route.pattern.exec(pathname)!.slice(1);
      route.names.forEach((name, i) => (params[name] = decode(values[i]!)));
    }
    const record: { -readonly [K in keyof RecordedRequest]: RecordedRequest[K] } = {
      operationId: route?.id,
      method: incoming.method,
      url: incoming.url.href,
      path: pathname,
      query: Object.fromEntries(incoming.url.searchParams),
      headers: Object.fromEntries(incoming.headers),
      body: incoming.body,
      ip: incoming.ip,
      at,
      answer: undefined,
      fault: undefined,
    };
    if (this.record) this.requests.push(record);
    this.total++;
    this.counts.set(route?.id ?? "", (this.counts.get(route?.id ?? "") ?? 0) + 1);

    const fault = route ? this.takeFault(route.id) : undefined;
    if (fault !== undefined) {
      record.fault = fault;
      if (fault === "reset" || fault === "timeout") return { kind: fault };
      const answer = faultAnswer(fault);
      record.answer = serialise(answer);
      return { kind: "answer", answer };
    }

    const routed: Routed = {
      operationId: route?.id,
      samePath: matching.map((r) => r.id),
      params,
      method: incoming.method,
      url: incoming.url,
      query: record.query,
      headers: incoming.headers,
      body: incoming.body,
      ip: incoming.ip,
      at,
    };
    let answer: Answer;
    try {
      answer = this.behaviour.handle(routed);
    } catch {
      answer = this.behaviour.internalError(routed);
    }
    record.answer = serialise(answer);
    return { kind: "answer", answer };
  }

  private takeFault(id: string): Fault | undefined {
    const queue = this.faults.get(id);
    const head = queue?.[0];
    if (!head) return undefined;
    if (--head.left <= 0) queue!.shift();
    return head.fault;
  }

  private async fetchIn(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const signal = request.signal;
    if (signal.aborted) throw signal.reason;
    const body = request.method === "GET" || request.method === "HEAD" ? "" : await request.text();
    if (signal.aborted) throw signal.reason; // aborted while the body was read: never sent
    const outcome = this.process({ method: request.method, url: new URL(request.url), headers: new Headers(request.headers), body, ip: "127.0.0.1" });
    if (outcome.kind === "reset") throw networkError("ECONNRESET", "other side closed");
    if (outcome.kind === "timeout") {
      // Like a server that never answers: only the caller's abort (its timeout) or close() ends the wait.
      return new Promise<Response>((_, reject) => {
        const settle = (reason: unknown) => {
          this.hanging.delete(settle);
          signal.removeEventListener("abort", onAbort);
          reject(reason);
        };
        const onAbort = () => settle(signal.reason);
        signal.addEventListener("abort", onAbort, { once: true });
        this.hanging.add(settle);
      });
    }
    const { status, headers, body: text } = serialise(outcome.answer);
    if (status >= 300 && status < 400 && headers.location !== undefined && request.redirect === "error") {
      throw new TypeError("fetch failed", { cause: new Error("unexpected redirect") });
    }
    // In-process, a redirect is handed back as it is (the Location is usually the app's own URL, not this fake's).
    return new Response(NULL_BODY.has(status) || request.method === "HEAD" ? null : text, { status, headers });
  }

  async listen(options: ListenOptions = {}): Promise<string> {
    if (this.server) return this.server.url;
    this.starting ??= (async () => {
      // Through a specifier bundlers do not follow: the server and its node:http stay out of any bundle of
      // streamspec/testing, and are loaded from beside this module when listen() runs (Node, Deno, Bun).
      const { serve } = (await import(SERVER_MODULE)) as typeof import("./server.js");
      this.server = await serve((incoming) => this.process(incoming), { host: options.host ?? "127.0.0.1", port: options.port ?? 0 });
      return this.server.url;
    })().finally(() => (this.starting = undefined));
    return this.starting;
  }

  async close(): Promise<void> {
    await this.starting?.catch(() => undefined);
    for (const settle of [...this.hanging]) settle(networkError("ECONNRESET", "the fake was closed"));
    const server = this.server;
    this.server = undefined;
    await server?.close();
  }
}

function networkError(code: string, message: string): TypeError {
  return new TypeError("fetch failed", { cause: Object.assign(new Error(message), { code }) });
}

/** A random value of `bytes` bytes as lowercase hex. */
export function randomHex(bytes: number): string {
  const buf = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buf);
  return Array.from(buf, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A random string of `length` characters from `alphabet`. */
export function randomOf(alphabet: string, length: number): string {
  const buf = new Uint8Array(length);
  globalThis.crypto.getRandomValues(buf);
  return Array.from(buf, (b) => alphabet[b % alphabet.length]).join("");
}

/** UTF-8 text as base64url without padding (a JWT segment). */
export function base64url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The options' `value` as a non-empty string, or a ConfigError naming it. */
export function requireText(provider: string, option: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") throw new ConfigError(provider, option, "is required and must be a non-empty string");
  return value;
}

/** A positive number of ms (or seconds) option, or its default. */
export function positive(provider: string, option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) throw new ConfigError(provider, option, "must be a positive number");
  return value;
}

/** A form body as fields (the last of repeated names wins, as most servers read it). */
export function formFields(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body));
}

/** `core` with the provider's own controls added (getters stay getters, unlike Object.assign). */
export function extend<T extends object, E extends object>(core: T, extra: E): T & E {
  Object.defineProperties(core, Object.getOwnPropertyDescriptors(extra));
  return core as T & E;
}
