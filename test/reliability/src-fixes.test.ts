// Regression tests for the src/ bugs the reliability suite found (each failed before its fix in src/core/).
import { getEventListeners } from "node:events";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import type { LogEvent } from "../../src/index.js";
import { TransportError, ValidationError } from "../../src/index.js";
import { startFaultServer } from "../helpers/fault-server.js";
import { recordingFetch } from "../helpers/fetch.js";
import { flipflopKit, polyvKit, responderFetch, SECRETS, soopKit } from "../helpers/providers.js";
import { caught, renderings } from "../helpers/secrets.js";

const gc: () => void = (globalThis as { gc?: () => void }).gc ?? (setFlagsFromString("--expose-gc"), runInNewContext("gc"));
const LOGIN = flipflopKit.calls.loginMember!;
const within = <T>(ms: number, p: Promise<T>) => Promise.race([p, new Promise<"still pending">((r) => setTimeout(() => r("still pending"), ms))]);

/**
 * Runs `call` while collecting garbage every 10 ms, and reports "still pending" if it has not settled within 3 s.
 * Node's fetch (undici 6) follows a Request's signal through a WeakRef: if nothing holds the Request an attempt
 * sent, the first collection unlinks it and neither the timeout nor the caller's abort reaches the request, so
 * the call hangs. Collecting all along (not once, at a guessed moment) makes that outcome certain.
 */
async function underGc<T>(call: Promise<T>): Promise<T | "still pending"> {
  let collecting = true;
  void (async () => {
    while (collecting) {
      gc();
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  try {
    return await within(3_000, call);
  } finally {
    collecting = false;
  }
}

describe("bug 1: a garbage collection during an attempt disables the timeout and the caller's abort", () => {
  // Every way an attempt's Request comes to be: the named operation's first attempt (sent as openapi-fetch or a
  // provider's middleware built it), the wire layer (copied onto the attempt's own signal) and a retry (a copy).
  it.each([
    ["flipflop.loginMember", flipflopKit, "loginMember"],
    ["polyv.saveViewerCustomFieldValues", polyvKit, "saveViewerCustomFieldValues"],
    ["soop.updateBroadcastInfo", soopKit, "updateBroadcastInfo"],
  ] as const)("%s: the per-attempt timeout still fires (Node's own fetch, no test wrapper)", async (_, kit, id) => {
    const op = (kit.calls as Record<string, typeof LOGIN>)[id]!;
    const server = await startFaultServer({ respond: kit.responder() });
    try {
      server.fault(op.path, { kind: "hang" });
      const c = (kit.make as (o: object) => never)({ baseUrl: server.url, timeoutMs: 300 });
      expect(await underGc(caught(() => op.call(c)))).toMatchObject({ name: "TransportError", reason: "timeout" });
    } finally {
      await server.stop();
    }
  });

  it("the wire layer (client.POST): the per-attempt timeout still fires", async () => {
    const server = await startFaultServer({ respond: flipflopKit.responder() });
    try {
      server.fault(LOGIN.path, { kind: "hang" });
      const c = flipflopKit.make({ baseUrl: server.url, timeoutMs: 300 });
      const call = caught(() => c.POST("/v2/apps/me/members/login", { body: { appUserId: "member42" } }));
      expect(await underGc(call)).toMatchObject({ name: "TransportError", reason: "timeout" });
    } finally {
      await server.stop();
    }
  });

  it("a retry's attempt: the per-attempt timeout still fires on the second request", async () => {
    const DELETE = flipflopKit.calls.deleteMembers!;
    const server = await startFaultServer({ respond: flipflopKit.responder() });
    try {
      server.fault(DELETE.path, { kind: "status", status: 503 }, { kind: "hang" });
      const c = flipflopKit.make({ baseUrl: server.url, timeoutMs: 300, retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 } });
      expect(await underGc(caught(() => DELETE.call(c)))).toMatchObject({ name: "TransportError", reason: "timeout" });
      expect(server.count(DELETE.path)).toBe(2);
    } finally {
      await server.stop();
    }
  });

  it.each([
    ["a named operation", (c: ReturnType<typeof flipflopKit.make>, signal: AbortSignal) => LOGIN.call(c, { signal })],
    ["the wire layer", (c: ReturnType<typeof flipflopKit.make>, signal: AbortSignal) => c.POST("/v2/apps/me/members/login", { body: { appUserId: "m" }, signal })],
  ])("the caller's abort still ends the call: %s", async (_, call) => {
    const server = await startFaultServer({ respond: flipflopKit.responder() });
    try {
      server.fault(LOGIN.path, { kind: "hang" });
      const c = flipflopKit.make({ baseUrl: server.url, timeoutMs: 30_000 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      expect(await underGc(caught(() => call(c, controller.signal)))).toMatchObject({ name: "TransportError", reason: "aborted" });
    } finally {
      await server.stop();
    }
  });
});

describe("gap 2: a long-lived caller signal collects one abort listener per call until GC", () => {
  it("no listener is left on the caller's signal after each call, without waiting for garbage collection", async () => {
    const fetch = responderFetch(flipflopKit.responder());
    const c = flipflopKit.make({ fetch });
    const { signal } = new AbortController();
    for (let i = 0; i < 50; i++) {
      await flipflopKit.calls.deleteMembers!.call(c, { signal });
      expect(getEventListeners(signal, "abort")).toHaveLength(0);
    }
  });
});

describe("bug 3: input outside the operation's shape gives TransportError('network') with nothing sent", () => {
  it.each([
    ["an undeclared query parameter with a nested value", (c: any) => c.listCategories({ params: { query: { locale: "en_US", extra: [[1]] } } })],
    ["a header parameter on an operation that declares none", (c: any) => c.getStationInfo({ params: { header: { "": "x" } } })],
    ["a body on an operation that has none (GET)", (c: any) => c.listBroadcasts({ body: { a: 1 } })],
  ])("%s is a ValidationError, thrown before anything is sent", async (_what, call) => {
    const fetch = responderFetch(soopKit.responder());
    const err = await caught(() => call(soopKit.make({ fetch })));
    expect(err).toBeInstanceOf(ValidationError);
    expect(fetch.calls).toHaveLength(0);
  });
});

describe("bug 4: the JSON parse error quotes the body", () => {
  it("an invalid JSON body with a secret right after the error position shows no part of it", async () => {
    const secret = SECRETS.flipflop.apiSecret;
    const fetch = recordingFetch(() => new Response(`{"accessToken": ${secret}}`, { headers: { "content-type": "application/json" } }));
    const err = await caught(() => LOGIN.call(flipflopKit.make({ fetch })));
    expect(err).toBeInstanceOf(TransportError);
    expect(err.reason).toBe("invalid-body");
    const text = renderings(err).join("\n");
    for (let i = 0; i + 9 <= secret.length; i++) expect(text).not.toContain(secret.slice(i, i + 9));
  });
});

describe("bug 5: the logger shows SOOP's authorization code in a redirect's Location header", () => {
  it("the code in the Location query is masked", async () => {
    const events: LogEvent[] = [];
    const fetch = recordingFetch(() => new Response(null, { status: 302, headers: { location: "https://app.example.com/back?code=soop-live-auth-code-777" } }));
    const out = await soopKit.make({ fetch, logger: (e) => void events.push(e) }).getAuthCode();
    expect(out.code).toBe("soop-live-auth-code-777"); // the caller still gets it
    expect(JSON.stringify(events)).not.toContain("soop-live-auth-code-777");
  });
});

describe("bug 6: credentials the caller passes to issueToken are not masked in errors", () => {
  it("a refresh_token passed to issueToken and echoed by the server does not show in the error", async () => {
    const fetch = recordingFetch((rec) => new Response(JSON.stringify({ result: -1, msg: `bad request: ${rec.body}` }), { status: 400, headers: { "content-type": "application/json" } }));
    const c = soopKit.make({ fetch });
    const err = await caught(() => c.issueToken({ body: { grant_type: "refresh_token", refresh_token: "caller-held-refresh-token-1234" } }));
    for (const text of renderings(err)) expect(text).not.toContain("caller-held-refresh-token-1234");
  });
});
