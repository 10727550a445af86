// FlipFlop against a Prism mock of specs/flipflop.yaml: the client's requests must pass Prism's validation,
// successes come back typed, and every documented error example surfaces as a ProviderError.
// Secrets are not checked here: Prism never echoes credentials, so such a check could not fail. The same
// documented failures, answered with the credentials echoed, are checked in test/reliability/secrets.test.ts.
import { describe, expect, inject, it } from "vitest";
import { createFlipFlopClient } from "../../src/flipflop/index.js";
import { ProviderError } from "../../src/index.js";
import { violationCheckingFetch } from "../helpers/fetch.js";
import { requestExample, responseExamples } from "../helpers/spec.js";
import { caught } from "../helpers/secrets.js";

const secrets = { apiKey: "ff-key-1234", apiSecret: "ff-secret-9876-very-private" };

function client() {
  const fetch = violationCheckingFetch();
  const c = createFlipFlopClient({ ...secrets, baseUrl: inject("mocks").flipflop!, fetch, retry: false });
  return { c, fetch };
}

describe("flipflop contract", () => {
  it("loginMember sends a valid request and returns the typed tokens", async () => {
    const { c, fetch } = client();
    const data = await c.loginMember({ body: requestExample("flipflop", "loginMember") });
    expect(data.accessToken).toEqual(expect.any(String));
    expect(data.streamingToken).toEqual(expect.any(String));
    expect(fetch.violations).toEqual([]);
  });

  it("deleteMembers sends the ids comma-joined in one segment and resolves to undefined on 204", async () => {
    const { c, fetch } = client();
    await expect(c.deleteMembers({ params: { path: { appUserIds: ["1", "2", "abc"] } } })).resolves.toBeUndefined();
    await expect(c.deleteMembers({ params: { path: { appUserIds: ["7"] } } })).resolves.toBeUndefined();
    expect(fetch.violations).toEqual([]);
  });

  it("forceTerminateMemberStreamKey resolves to undefined on 204", async () => {
    const { c, fetch } = client();
    await expect(c.forceTerminateMemberStreamKey({ params: { path: { appUserId: "member1" } } })).resolves.toBeUndefined();
    expect(fetch.violations).toEqual([]);
  });

  it("the wire layer reaches the same mock with the same auth", async () => {
    const { c, fetch } = client();
    const { data, response } = await c.POST("/v2/apps/me/members/login", { body: { appUserId: "u1" } });
    expect(response.status).toBe(200);
    expect(data?.accessToken).toEqual(expect.any(String));
    expect(fetch.violations).toEqual([]);
  });

  it("Prism sees a request without Basic credentials as a violation (the check is live)", async () => {
    const res = await fetch(`${inject("mocks").flipflop}/v2/apps/me/members/1`, { method: "DELETE" });
    expect(res.status).toBe(401);
  });

  const errors = responseExamples("flipflop").filter((e) => e.status >= 400);
  const calls: Record<string, (c: ReturnType<typeof client>["c"], prefer: string) => Promise<unknown>> = {
    loginMember: (c, prefer) => c.loginMember({ body: { appUserId: "u1" }, headers: { Prefer: prefer } }),
    deleteMembers: (c, prefer) => c.deleteMembers({ params: { path: { appUserIds: ["1"] } }, headers: { Prefer: prefer } }),
    forceTerminateMemberStreamKey: (c, prefer) =>
      c.forceTerminateMemberStreamKey({ params: { path: { appUserId: "1" } }, headers: { Prefer: prefer } }),
  };

  it("documents errors for every operation", () => {
    expect(new Set(errors.map((e) => e.operationId))).toEqual(new Set(Object.keys(calls)));
  });

  it.each(errors.map((e) => [`${e.operationId} ${e.status} ${e.name}`, e] as const))("%s surfaces as ProviderError", async (_, ex) => {
    const { c, fetch } = client();
    const err = await caught(() => calls[ex.operationId]!(c, `code=${ex.status}, example=${ex.name}`));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ provider: "flipflop", operation: ex.operationId, status: ex.status, code: ex.value.errorCode });
    expect(err.message).toContain(ex.value.errorMessage);
    expect(fetch.violations).toEqual([]);
  });
});
