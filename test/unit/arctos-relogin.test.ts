// The bearer + re-login middleware on its own, over a bare openapi-fetch client: which requests it touches,
// that it sends a rejected request again exactly once, and that it keeps no copy of a request once it settled.
import createClient from "openapi-fetch";
import { describe, expect, it } from "vitest";
import { operations } from "../../generated/arctos.operations.js";
import { bearerRelogin } from "../../src/arctos/relogin.js";
import { Redactor } from "../../src/core/redact.js";
import { TokenKeeper, type Token } from "../../src/core/token.js";
import { json, recordingFetch, type Recorded } from "../helpers/fetch.js";

function setup(respond: (req: Recorded, pending: number) => Response) {
  let logins = 0;
  const keeper = new TokenKeeper<Token>({ obtain: async () => ({ accessToken: `t${++logins}-token` }), redactor: new Redactor() });
  const middleware = bearerRelogin({ operations, keeper, rejected: async (r) => (await r.clone().json()).status === 1404 });
  const fetch = recordingFetch((req) => respond(req, middleware.pending));
  const client = createClient<Record<string, any>>({ baseUrl: "https://arctos.example.test", fetch });
  client.use(middleware);
  return { client, fetch, middleware, logins: () => logins };
}

const ok = () => json({ status: 1, message: "", info: {} });
const expired = () => json({ status: 1404, message: "令牌已過期" }, 401);

describe("bearerRelogin", () => {
  it("adds Bearer only to operations whose spec security is bearer, keeping a copy only while they are in flight", async () => {
    const seen: number[] = [];
    const { client, fetch, middleware, logins } = setup((_, pending) => {
      seen.push(pending);
      return ok();
    });
    await client.POST("/api/auth/code", { body: { user_id: "u", role: "MODERATOR" } });
    await client.POST("/api/auth/check", { body: {} });
    expect(fetch.calls.map((r) => r.headers.get("authorization"))).toEqual([null, "Bearer t1-token"]);
    expect(seen).toEqual([0, 1]);
    expect(middleware.pending).toBe(0);
    expect(logins()).toBe(1);
  });

  it("sends a rejected request again once, body and all, with the new token, and then lets the answer through", async () => {
    const { client, fetch, middleware, logins } = setup(expired);
    const { error, response } = await client.POST("/api/auth/check", { body: {}, headers: { "x-trace": "1" } });
    expect(response.status).toBe(401);
    expect(error).toMatchObject({ status: 1404 });
    expect(fetch.calls.map((r) => [r.headers.get("authorization"), r.headers.get("x-trace"), r.body])).toEqual([
      ["Bearer t1-token", "1", "{}"],
      ["Bearer t2-token", "1", "{}"],
    ]);
    expect(logins()).toBe(2);
    expect(middleware.pending).toBe(0);
  });

  it("drops the copy when the request fails on the network", async () => {
    const { client, middleware } = setup(() => {
      throw new TypeError("fetch failed");
    });
    await expect(client.POST("/api/auth/check", { body: {} })).rejects.toThrow("fetch failed");
    expect(middleware.pending).toBe(0);
  });

  it("drops the copies of many concurrent requests", async () => {
    const { client, middleware, logins } = setup((req) => (req.headers.get("authorization") === "Bearer t1-token" ? expired() : ok()));
    const results = await Promise.all(Array.from({ length: 10 }, () => client.POST("/api/auth/check", { body: {} })));
    expect(results.map((r) => r.response.status)).toEqual(Array(10).fill(200));
    expect(logins()).toBe(2);
    expect(middleware.pending).toBe(0);
  });
});
