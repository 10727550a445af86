// Concurrency over real HTTP on 127.0.0.1: 500 calls at once per provider all settle with the right answer,
// and token renewal under 200 concurrent calls happens exactly once (SOOP refresh, Arctos first login and
// Arctos re-login after 1404). The fault server answers through each provider's fake (streamspec/testing).
import { afterEach, describe, expect, it } from "vitest";
import type { SoopToken } from "../../src/soop/index.js";
import { collectedErrors, leaks, settleCollecting } from "../helpers/collect-errors.js";
import { startFaultServer, type FaultServer, type Received } from "../helpers/fault-server.js";
import { observedFetch } from "../helpers/observed-fetch.js";
import { allSecrets, arctosKit, KITS, SECRETS, soopKit } from "../helpers/providers.js";
import { expectAnswersValid } from "../helpers/spec-answers.js";

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const form = (r: Received) => Object.fromEntries(new URLSearchParams(r.body));

describe("500 concurrent calls per provider", () => {
  it.each(KITS.map((k) => [k.name, k] as const))("%s: 500 calls at once, round-robin over every operation, all settle correctly", async (_name, kit) => {
    const respond = kit.responder();
    server = await startFaultServer({ respond });
    // Polyv gets its own limiter with the spec's quota (1500 requests / 10 s): 500 calls fit in one window, so
    // none of them waits; the default shared limiter would behave the same, but would carry state between tests.
    const client = kit.make({ baseUrl: server.url, fetch: observedFetch(), timeoutMs: 20_000, rateLimit: { limit: 1500, intervalMs: 10_000 } });
    const ids = Object.keys(kit.calls);
    const started = performance.now();
    const sequence = Array.from({ length: 500 }, (_, i) => ids[i % ids.length]!);
    const results = await Promise.allSettled(sequence.map((id) => kit.calls[id]!.call(client)));
    const elapsed = performance.now() - started;
    const rejected = results.filter((r) => r.status === "rejected");
    expect(rejected.map((r) => String((r as PromiseRejectedResult).reason)).slice(0, 3)).toEqual([]);
    // Every answer the fake gave is one the spec allows.
    expect(expectAnswersValid(kit.name, respond.fake.requests)).toBe(respond.fake.requests.length);

    // Every call reached the server exactly once, after the request it sends first (if any); Arctos logs in once.
    const login = kit === arctosKit ? 1 : 0;
    const before = sequence.filter((id) => kit.calls[id]!.before !== undefined).length;
    expect(server.count()).toBe(500 + before + 2 * login);
    for (const id of ids) {
      const calls = sequence.filter((x) => x === id).length;
      const setups = sequence.filter((x) => kit.calls[x]!.before === id).length;
      const logins = kit === arctosKit && (id === "getAuthCode" || id === "getAuthTokenUseCode") ? login : 0;
      expect(respond.fake.count(id), id).toBe(calls + setups + logins);
    }
    expect(elapsed).toBeLessThan(10_000); // nobody waited for a rate-limit window
  });
});

describe("token renewal under 200 concurrent calls happens once", () => {
  it("SOOP: a token that expires within 60 s is refreshed by exactly one POST /auth/token for 200 concurrent calls", async () => {
    server = await startFaultServer({ respond: soopKit.responder() });
    const announced: SoopToken[] = [];
    const token: SoopToken = { accessToken: SECRETS.soop.accessToken, refreshToken: SECRETS.soop.refreshToken, expiresAt: Date.now() + 30_000 };
    const client = soopKit.make({ baseUrl: server.url, fetch: observedFetch(), token, onToken: (t) => void announced.push(t) });
    const station = soopKit.calls.getStationInfo!;
    const results = await Promise.allSettled(Array.from({ length: 200 }, () => station.call(client)));
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);

    const refreshes = server.requestsTo("/auth/token");
    expect(refreshes).toHaveLength(1);
    expect(form(refreshes[0]!)).toMatchObject({ grant_type: "refresh_token", refresh_token: SECRETS.soop.refreshToken, client_secret: SECRETS.soop.clientSecret });
    expect(announced).toHaveLength(1);
    const fresh = announced[0]!.accessToken;
    expect(fresh).not.toBe(SECRETS.soop.accessToken);
    // Every call waited for the refresh and went out with the new token.
    const calls = server.requestsTo(station.path);
    expect(calls).toHaveLength(200);
    expect(new Set(calls.map((r) => form(r).access_token))).toEqual(new Set([fresh]));
    expect(Math.min(...calls.map((r) => r.at))).toBeGreaterThanOrEqual(refreshes[0]!.at);
  });

  it("SOOP: a failed refresh fails every waiting call once, and the next call refreshes again", async () => {
    server = await startFaultServer({ respond: soopKit.responder() });
    server.fault("/auth/token", { kind: "status", status: 401 });
    const token: SoopToken = { accessToken: SECRETS.soop.accessToken, refreshToken: SECRETS.soop.refreshToken, expiresAt: Date.now() + 30_000 };
    const client = soopKit.make({ baseUrl: server.url, fetch: observedFetch(), token });
    const station = soopKit.calls.getStationInfo!;
    const errors = await Promise.all(Array.from({ length: 200 }, () => settleCollecting("soop refresh failure", () => station.call(client))));
    expect(errors.every((e) => (e as Error)?.name === "ProviderError")).toBe(true);
    expect(server.count("/auth/token")).toBe(1);
    expect(server.count(station.path)).toBe(0);
    await station.call(client);
    expect(server.count("/auth/token")).toBe(2);
  });

  it("Arctos: 200 concurrent first calls share one login (one /api/auth/code, one /api/auth/login)", async () => {
    const respond = arctosKit.responder();
    server = await startFaultServer({ respond });
    const client = arctosKit.make({ baseUrl: server.url, fetch: observedFetch() });
    const check = arctosKit.calls.checkAuthToken!;
    const results = await Promise.allSettled(Array.from({ length: 200 }, () => check.call(client)));
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(server.count("/api/auth/code")).toBe(1);
    expect(server.count("/api/auth/login")).toBe(1);
    const token = client.token()!;
    expect(new Set(server.requestsTo(check.path).map((r) => r.headers.authorization))).toEqual(new Set([`Bearer ${token}`]));
    expect(server.count(check.path)).toBe(200);
  });

  it("Arctos: 200 concurrent calls that all get 1404 (token expired) lead to exactly one re-login, then all succeed", async () => {
    const respond = arctosKit.responder();
    server = await startFaultServer({ respond });
    const client = arctosKit.make({ baseUrl: server.url, fetch: observedFetch() });
    const check = arctosKit.calls.checkAuthToken!;
    await check.call(client);
    const first = client.token()!;
    respond.fake.expireToken(first); // from now on the fake answers 1404 to the first token
    server.resetCounts();

    const results = await Promise.allSettled(Array.from({ length: 200 }, () => check.call(client)));
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(server.count("/api/auth/code")).toBe(1);
    expect(server.count("/api/auth/login")).toBe(1);
    const second = client.token()!;
    expect(second).not.toBe(first);
    const checks = server.requestsTo(check.path);
    const withFirst = checks.filter((r) => r.headers.authorization === `Bearer ${first}`).length;
    const withSecond = checks.filter((r) => r.headers.authorization === `Bearer ${second}`).length;
    expect(withFirst + withSecond).toBe(checks.length);
    expect(withSecond).toBe(200); // every call ended with the new token
    expect(withFirst).toBe(checks.length - 200); // and each 1404 was repeated once
  });
});

describe("concurrency: secrets", () => {
  it("no error of this file shows a secret", () => {
    expect(collectedErrors().length).toBeGreaterThan(0);
    expect(leaks(allSecrets())).toEqual([]);
  });
});
