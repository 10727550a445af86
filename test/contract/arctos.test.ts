// Arctos against a Prism mock of specs/arctos.yaml: the client's requests (automatic login included) must pass
// Prism's validation, each credential goes only where the spec's security asks for it, and every documented
// failure example surfaces as a ProviderError with the right status and code.
// Secrets are not checked here: Prism never echoes credentials, so such a check could not fail. The same
// documented failures, answered with the credentials echoed, are checked in test/reliability/secrets.test.ts.
import { describe, expect, inject, it } from "vitest";
import { createArctosClient, info } from "../../src/arctos/index.js";
import { ProviderError } from "../../src/index.js";
import { violationCheckingFetch } from "../helpers/fetch.js";
import { requestExample, responseExamples } from "../helpers/spec.js";
import { caught } from "../helpers/secrets.js";

const licenseKey = "arc-license-contract-0123456789";
const examples = responseExamples("arctos");
const issuedToken: string = examples.find((e) => e.operationId === "getAuthTokenUseCode" && e.name === "success")!.value.info.access_token;

interface Seen {
  path: string;
  license: string | null;
  authorization: string | null;
}

function client() {
  const checking = violationCheckingFetch();
  const seen: Seen[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request && !init ? input : new Request(input, init);
    seen.push({ path: new URL(request.url).pathname, license: request.headers.get("arc-license-key"), authorization: request.headers.get("authorization") });
    return checking(request);
  };
  const c = createArctosClient({
    licenseKey,
    baseUrl: inject("mocks").arctos!,
    clientId: "arctos-webapp",
    user: requestExample("arctos", "getAuthCode"),
    redirectUri: "https://app.example.test/back",
    fetch,
    retry: false,
  });
  return { c, violations: checking.violations, seen };
}

const CODE = "/api/auth/code";
const LOGIN = "/api/auth/login";
const CHECK = "/api/auth/check";
const login = [
  { path: CODE, license: licenseKey, authorization: null },
  { path: LOGIN, license: null, authorization: null },
];

describe("arctos contract", () => {
  it("getAuthCode sends the license key and returns the typed code", async () => {
    const { c, violations, seen } = client();
    const data = await c.getAuthCode({ body: requestExample("arctos", "getAuthCode") });
    expect(data.status).toBe(1);
    expect(data.info.code).toEqual(expect.any(String));
    expect(seen).toEqual([login[0]]);
    expect(violations).toEqual([]);
  });

  it("getAuthTokenUseCode sends no credential header and returns the typed token", async () => {
    const { c, violations, seen } = client();
    const data = await c.getAuthTokenUseCode({ body: requestExample("arctos", "getAuthTokenUseCode") });
    expect(data.info).toEqual({ user_id: expect.any(Number), access_token: issuedToken });
    expect(seen).toEqual([login[1]]);
    expect(violations).toEqual([]);
  });

  it("the first checkAuthToken logs in (license key only on getAuthCode, Bearer only on checkAuthToken)", async () => {
    const { c, violations, seen } = client();
    const data = await c.checkAuthToken();
    expect(data).toMatchObject({ status: 1, info: { client_id: expect.any(String), role: expect.any(String) } });
    await c.checkAuthToken({ body: {} });
    const check = { path: CHECK, license: null, authorization: `Bearer ${issuedToken}` };
    expect(seen).toEqual([...login, check, check]);
    expect(c.token()).toBe(issuedToken);
    expect(violations).toEqual([]);
  });

  it("the wire layer reaches the same mock with the same login and Bearer token", async () => {
    const { c, violations, seen } = client();
    const { data, response } = await c.POST("/api/auth/check", { body: {} });
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ status: 1 });
    expect(seen.map((s) => s.path)).toEqual([CODE, LOGIN, CHECK]);
    expect(violations).toEqual([]);
  });

  it("Prism refuses requests without the credentials (the checks are live)", async () => {
    const base = inject("mocks").arctos!;
    const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await post(CODE, requestExample("arctos", "getAuthCode"))).status).toBe(401);
    expect((await post(CHECK, {})).status).toBe(401);
  });

  it("status 2 (warning) resolves to the body, whose message says why", async () => {
    const { c, violations } = client();
    const warning = examples.find((e) => e.operationId === "getAuthCode" && e.name === "warning")!;
    const data = await c.getAuthCode({ body: requestExample("arctos", "getAuthCode"), headers: { Prefer: "code=200, example=warning" } });
    expect(data).toEqual(warning.value);
    expect(violations).toEqual([]);
  });

  // Every failure example: a status other than 1 (success) and 2 (warning), on HTTP 200 or an error status. The
  // specific code is the status itself; status 0 on an error status is known by the HTTP status.
  const failures = examples.filter((e) => e.value?.status !== 1 && e.value?.status !== 2);
  const codeOf = (e: (typeof failures)[number]): number => (e.value.status !== 0 ? e.value.status : e.status >= 400 ? e.status : 0);
  const calls: Record<string, (c: ReturnType<typeof client>["c"], prefer: string) => Promise<unknown>> = {
    getAuthCode: (c, prefer) => c.getAuthCode({ body: requestExample("arctos", "getAuthCode"), headers: { Prefer: prefer } }),
    getAuthTokenUseCode: (c, prefer) => c.getAuthTokenUseCode({ body: requestExample("arctos", "getAuthTokenUseCode"), headers: { Prefer: prefer } }),
    checkAuthToken: (c, prefer) => c.checkAuthToken({ body: {}, headers: { Prefer: prefer } }),
  };

  it("documents failures for every operation, with the meanings the client falls back on", () => {
    expect(new Set(failures.map((e) => e.operationId))).toEqual(new Set(Object.keys(calls)));
    const meanings: Record<string, string> = info.errorMessages;
    for (const e of failures) expect(`${codeOf(e)}: ${e.value.message}`).toBe(`${codeOf(e)}: ${meanings[String(codeOf(e))]}`);
    expect(new Set(failures.map((e) => String(codeOf(e))))).toEqual(new Set(Object.keys(meanings)));
  });

  it.each(failures.map((e) => [`${e.operationId} ${e.status} ${e.name}`, e] as const))("%s surfaces as ProviderError", async (_, ex) => {
    const { c, violations, seen } = client();
    const err = await caught(() => calls[ex.operationId]!(c, `code=${ex.status}, example=${ex.name}`));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ provider: "arctos", operation: ex.operationId, status: ex.status, code: codeOf(ex) });
    expect(err.message).toContain(ex.value.message);
    // A dead token gets exactly one new login and one repeat; any other failure is not repeated.
    const reauth = (info.reauthCodes as readonly number[]).includes(codeOf(ex));
    const expected = ex.operationId !== "checkAuthToken" ? [ex.operationId === "getAuthCode" ? CODE : LOGIN]
      : reauth ? [CODE, LOGIN, CHECK, CODE, LOGIN, CHECK] : [CODE, LOGIN, CHECK];
    expect(seen.map((s) => s.path)).toEqual(expected);
    expect(violations).toEqual([]);
  });
});
