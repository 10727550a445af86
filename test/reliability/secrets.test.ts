// Documented examples: every documented success example of every provider resolves to its body; every documented
// failure (an error status, or a failure envelope under 2xx), served with messages that echo the request's
// credentials and the client's configured secrets, throws ProviderError with the documented code and shows none of
// those secrets in String(err), err.stack, JSON.stringify(err) or util.inspect(err, { depth: 10 }); and the `logger` option must mask the same
// values in headers, query strings and bodies, for a successful and for a failing call of every operation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LogEvent } from "../../src/index.js";
import { ProviderError, TransportError } from "../../src/index.js";
import { collectedErrors, leaks, settleCollecting } from "../helpers/collect-errors.js";
import { echo, startFaultServer, type FaultServer } from "../helpers/fault-server.js";
import { observedFetch } from "../helpers/observed-fetch.js";
import { allSecrets, answerToResponse, arctosKit, FLIPFLOP_BASIC, KITS, SECRETS, soopKit, toReceived, type Kit } from "../helpers/providers.js";
import { findSecrets, renderings } from "../helpers/secrets.js";
import { recordingFetch, type Recorded } from "../helpers/fetch.js";
import { documentedOutcome, responseExamples, type DocumentedExample } from "../helpers/spec.js";

/** The secrets each client is configured with (it can only mask what it knows). */
const CONFIGURED: Record<Kit["name"], string[]> = {
  flipflop: [SECRETS.flipflop.apiSecret, FLIPFLOP_BASIC],
  polyv: [SECRETS.polyv.appSecret],
  soop: [SECRETS.soop.clientSecret, SECRETS.soop.accessToken, SECRETS.soop.refreshToken],
  arctos: [SECRETS.arctos.licenseKey],
};

const MESSAGE_KEYS = /^(message|msg|desc|errorMessage|error_description|requestId)$/;

/** The example with every message-like string extended by `extra`, and an `echo` field carrying it too. */
function withEcho(value: unknown, extra: string, depth = 0): unknown {
  if (typeof value === "string") return depth === 0 ? `${value} ${extra}` : value;
  if (Array.isArray(value)) return value.map((v) => withEcho(v, extra, depth + 1));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = typeof v === "string" && MESSAGE_KEYS.test(k) ? `${v} ${extra}` : withEcho(v, extra, depth + 1);
  if (depth === 0) out.echo = extra;
  return out;
}

/** The body a client resolves to for a documented success: JSON as it is; JSONP unwrapped to its JSON. */
function expectedResult(ex: DocumentedExample): unknown {
  if (ex.mediaType.includes("json")) return ex.value;
  const jsonp = /^\s*[A-Za-z_$][\w$.]*\s*\(([\s\S]*)\)\s*;?\s*$/.exec(String(ex.value));
  if (/javascript/.test(ex.mediaType) && jsonp) return JSON.parse(jsonp[1]!);
  return undefined;
}

describe.each(KITS.map((k) => [k.name, k] as const))("documented examples: %s", (_name, kit) => {
  const examples = responseExamples(kit.name)
    .filter((ex) => kit.calls[ex.operationId])
    .map((ex) => ({ ex, outcome: documentedOutcome(kit.name, ex), label: `${ex.operationId} ${ex.status} ${ex.name}` }));
  const successes = examples.filter((e) => e.outcome.ok);
  const failures = examples.filter((e) => !e.outcome.ok);

  /** A fetch answering the operation under test with `body` (and everything else, e.g. Arctos' login, normally). */
  function serving(ex: DocumentedExample, body: (received: ReturnType<typeof toReceived>) => string) {
    const meta = kit.operations[ex.operationId]!;
    const respond = kit.responder();
    const target = (rec: Recorded) => rec.method === meta.method && rec.url.pathname === kit.calls[ex.operationId]!.path;
    return recordingFetch(async (rec, i) => {
      const received = toReceived(rec, i);
      if (!target(rec)) return answerToResponse(await respond(received));
      return new Response(body(received), { status: ex.status, headers: { "content-type": ex.mediaType, "x-request-id": CONFIGURED[kit.name][0]! } });
    });
  }

  it("the spec documents successes and failures for this provider", () => {
    expect(successes.length).toBeGreaterThan(0);
    expect(failures.filter((e) => e.ex.status >= 400).length).toBeGreaterThan(0);
  });

  it.each(successes.map((e) => [e.label, e.ex] as const))("success %s: resolves to the example's body", async (_label, ex) => {
    const client = kit.make({ fetch: serving(ex, () => (ex.mediaType.includes("json") ? JSON.stringify(ex.value) : String(ex.value))) });
    const result = await kit.calls[ex.operationId]!.call(client);
    if (kit.name === "soop" && ex.operationId === "getAuthCode") {
      // The documented 200 is the Redirect URI page a followed redirect lands on; the SDK reports where to go.
      expect(result).toEqual({ location: (client as { authorizeUrl(): string }).authorizeUrl(), code: undefined });
    } else {
      expect(result).toEqual(expectedResult(ex));
    }
  });

  it.each(failures.map((e) => [e.label, e.ex, e.outcome] as const))(
    "failure %s: throws ProviderError with the documented code, and shows no secret the answer echoed",
    async (_label, ex, outcome) => {
      const fetch = serving(ex, (received) => {
        // Echo the request (credentials included) and every configured secret, raw and encoded.
        const extra = `${JSON.parse(echo(received))} ${CONFIGURED[kit.name].flatMap((s) => [s, encodeURIComponent(s)]).join(" ")}`;
        // JSON gets the echo in its messages; a text error page gets it appended.
        return ex.mediaType.includes("json") ? JSON.stringify(withEcho(ex.value, extra)) : `${String(ex.value)} ${extra}`;
      });
      const error = await settleCollecting(`${kit.name} ${ex.operationId} ${ex.status} ${ex.name}`, () => kit.calls[ex.operationId]!.call(kit.make({ fetch })));
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ provider: kit.name, operation: ex.operationId, status: ex.status, code: (outcome as { code: unknown }).code });
      expect(findSecrets(renderings(error), allSecrets())).toEqual([]);
      expect(JSON.stringify(error)).toContain("[REDACTED]"); // the echo was there, and masked
    },
  );
});

describe("documented examples: secrets", () => {
  it("collected every documented failure, and no error shows a secret", () => {
    const documentedFailures = KITS.flatMap((k) => responseExamples(k.name).filter((ex) => k.calls[ex.operationId] && !documentedOutcome(k.name, ex).ok));
    expect(collectedErrors().length).toBeGreaterThanOrEqual(documentedFailures.length);
    expect(leaks(allSecrets())).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// logger

describe("logger masks secrets for every provider", () => {
  let server: FaultServer;
  beforeAll(async () => {
    server = await startFaultServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  async function logEvents(kit: Kit, extra: object = {}): Promise<{ ok: LogEvent[]; failed: LogEvent[] }> {
    server.clearFaults().resetCounts().setResponder(kit.responder());
    const ok: LogEvent[] = [];
    const failed: LogEvent[] = [];
    let sink = ok;
    const client = kit.make({ baseUrl: server.url, fetch: observedFetch(), logger: (e) => void sink.push(e), ...extra });
    for (const { call } of Object.values(kit.calls)) await call(client);
    sink = failed;
    for (const [id, { path }] of Object.entries(kit.calls)) {
      if (kit === arctosKit && id === "checkAuthToken") server.fault(path, { kind: "status", status: 403 });
      else server.fault(path, { kind: "status", status: 500 });
      const err = await settleCollecting(`logger ${kit.name}.${id}`, () => kit.calls[id]!.call(client));
      expect(err, `${kit.name}.${id}`).toBeInstanceOf(ProviderError);
    }
    return { ok, failed };
  }

  const texts = (events: LogEvent[]) => events.map((e) => JSON.stringify(e));

  it.each(KITS.map((k) => [k.name, k] as const))("%s: request and response events of successful and failing calls show no secret", async (_name, kit) => {
    const { ok, failed } = await logEvents(kit);
    // Arctos logs in once, through its own operations; some calls send one request first (see OperationCall.before).
    const setups = Object.values(kit.calls).filter((c) => c.before).length;
    const calls = Object.keys(kit.calls).length + (kit === arctosKit ? 2 : 0) + setups;
    expect(ok.filter((e) => e.type === "request")).toHaveLength(calls);
    expect(ok.filter((e) => e.type === "response")).toHaveLength(calls);
    // Every call failed; only requests some calls send first could succeed (unless they share the faulted path).
    const statuses = failed.filter((e) => e.type === "response").map((e) => (e as { status: number }).status);
    expect(statuses.filter((s) => s >= 400)).toHaveLength(Object.keys(kit.calls).length);
    expect(statuses.filter((s) => s < 400).length).toBeLessThanOrEqual(setups);
    expect(findSecrets(texts([...ok, ...failed]), allSecrets())).toEqual([]);
    // The failing answers echoed the credentials back in response headers: masked there too.
    const echoed = failed.filter((e) => e.type === "response" && Object.keys(e.headers).some((h) => h.startsWith("x-echo")));
    expect(echoed.length).toBeGreaterThan(0);
  });

  it("the masks are where the credentials were: Basic header, license header, query string and form body", async () => {
    const flipflop = await logEvents(KITS[0]!);
    const ffRequest = flipflop.ok.find((e) => e.type === "request")!;
    expect(ffRequest.headers.authorization).toBe("[REDACTED]");

    const polyv = await logEvents(KITS[1]!);
    const pvQuery = new URL((polyv.ok.find((e) => e.type === "request" && e.url.includes("/v4/")) as Extract<LogEvent, { type: "request" }>).url).searchParams;
    expect(pvQuery.get("sign")).toBe("[REDACTED]");
    expect(pvQuery.get("appId")).toBe(SECRETS.polyv.appId); // not a secret: left readable

    const soop = await logEvents(soopKit);
    const filters = soop.ok.find((e) => e.type === "request" && e.method === "GET" && e.url.includes("/filter/")) as Extract<LogEvent, { type: "request" }>;
    expect(new URL(filters.url).searchParams.get("client_secret")).toBe("[REDACTED]");
    const upsert = soop.ok.find((e) => e.type === "request" && e.method === "POST" && e.url.includes("/filter/")) as Extract<LogEvent, { type: "request" }>;
    expect(new URLSearchParams(upsert.body).get("client_secret")).toBe("[REDACTED]");
    const station = soop.ok.find((e) => e.type === "request" && e.url.endsWith("/user/stationinfo")) as Extract<LogEvent, { type: "request" }>;
    expect(new URLSearchParams(station.body).get("access_token")).toBe("[REDACTED]");

    const arctos = await logEvents(arctosKit);
    const code = arctos.ok.find((e) => e.type === "request" && e.url.endsWith("/api/auth/code")) as Extract<LogEvent, { type: "request" }>;
    expect(code.headers["arc-license-key"]).toBe("[REDACTED]");
    const check = arctos.ok.find((e) => e.type === "request" && e.url.endsWith("/api/auth/check")) as Extract<LogEvent, { type: "request" }>;
    expect(check.headers.authorization).toBe("[REDACTED]");
  });

  it("SOOP: the refresh request (refresh_token and client_secret in the form) is logged masked", async () => {
    server.clearFaults().resetCounts().setResponder(soopKit.responder());
    const events: LogEvent[] = [];
    const token = { accessToken: SECRETS.soop.accessToken, refreshToken: SECRETS.soop.refreshToken, expiresAt: Date.now() + 10_000 };
    const client = soopKit.make({ baseUrl: server.url, fetch: observedFetch(), token, logger: (e) => void events.push(e) });
    await soopKit.calls.getStationInfo!.call(client);
    const refresh = events.find((e) => e.type === "request" && e.url.endsWith("/auth/token")) as Extract<LogEvent, { type: "request" }>;
    expect(refresh).toBeDefined();
    expect(Object.fromEntries(new URLSearchParams(refresh.body))).toMatchObject({ grant_type: "refresh_token", refresh_token: "[REDACTED]", client_secret: "[REDACTED]" });
    expect(findSecrets(texts(events), allSecrets())).toEqual([]);
  });

  it("no error of the logger tests shows a secret either", () => {
    expect(leaks(allSecrets())).toEqual([]);
  });
});

describe("transport errors carry no secret", () => {
  it("a network failure whose cause quotes the request (credentials included) is masked", async () => {
    for (const kit of KITS) {
      const fetch = recordingFetch((rec) => {
        throw new TypeError(`fetch failed for ${rec.url} ${JSON.stringify(Object.fromEntries(rec.headers))} ${rec.body}`, {
          cause: Object.assign(new Error(`socket hang up ${CONFIGURED[kit.name].join(" ")}`), { code: "ECONNRESET" }),
        });
      });
      const client = kit.make({ fetch });
      for (const [id, { call }] of Object.entries(kit.calls)) {
        const err = await settleCollecting(`network ${kit.name}.${id}`, () => call(client));
        expect(err, `${kit.name}.${id}`).toBeInstanceOf(TransportError);
        expect(findSecrets(renderings(err), allSecrets())).toEqual([]);
      }
    }
    expect(leaks(allSecrets())).toEqual([]);
  });
});
