// SOOP in a browser: only `clientId`. The public operations work without the client secret; every operation whose
// spec sends `client_secret` (read from the operation index, not a list) throws ConfigError naming `clientSecret`
// before anything is sent.
import { describe, expect, it } from "vitest";
import { createSoopClient, operations, type SoopClient } from "../../src/soop/index.js";
import { ConfigError } from "../../src/index.js";
import { json, recordingFetch } from "../helpers/fetch.js";
import { soopCalls } from "../helpers/soop-calls.js";
import { caught } from "../helpers/secrets.js";

const clientId = "soop-browser-client-id";
const NOW = 1_700_000_000_000;
const token = { accessToken: "soop-access-token-abc123", refreshToken: "soop-refresh-token-xyz789", expiresAt: NOW + 3_600_000 };

const make = (respond: Parameters<typeof recordingFetch>[0], extra: object = {}) => {
  const fetch = recordingFetch(respond);
  return { fetch, c: createSoopClient({ clientId, fetch, now: () => NOW, retry: false, ...extra }) };
};

const calls = soopCalls;

const needsSecret = (Object.keys(operations) as (keyof typeof operations)[]).filter((id) =>
  operations[id].credentials.some((c) => c.kind === "field" && c.name === "client_secret"),
);
const publicOps = (Object.keys(operations) as (keyof typeof operations)[]).filter((id) => operations[id].credentials.every((c) => c.kind === "field" && c.name === "client_id"));

describe("createSoopClient without clientSecret", () => {
  it("the spec has both kinds: operations that send client_secret, and public ones that send only client_id", () => {
    expect(needsSecret.length).toBeGreaterThan(0);
    expect(publicOps).toEqual(expect.arrayContaining(["listBroadcasts", "listCategories"]));
  });

  it.each(needsSecret)("%s throws ConfigError naming clientSecret, and sends nothing", async (id) => {
    const { c, fetch } = make(() => json({ result: 1, msg: "Success" }), { token });
    const err = await caught(() => calls[id](c));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ provider: "soop", option: "clientSecret" });
    expect(err.message).toContain(id);
    expect(fetch.calls).toEqual([]);
  });

  it("the wire layer refuses the same way", async () => {
    const { c, fetch } = make(() => json({ filter_list: [] }));
    const err = await caught(() => c.GET("/filter/{type}", { params: { path: { type: "category" } } }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ option: "clientSecret" });
    expect(fetch.calls).toEqual([]);
  });

  it("exchangeCode (it spends the code with client_secret) throws ConfigError naming clientSecret before sending", async () => {
    const { c, fetch } = make(() => json({}));
    const err = await caught(() => c.exchangeCode("one-time-code-1"));
    expect(err).toMatchObject({ name: "ConfigError", option: "clientSecret" });
    expect(fetch.calls).toEqual([]);
  });

  it("the public operations send client_id and never a client_secret field", async () => {
    const { c, fetch } = make((req) =>
      req.url.pathname === "/broad/list"
        ? json({ total_cnt: 0, page_no: 1, page_block: 60, broad: [] })
        : req.url.pathname === "/broad/category/list"
          ? json({ broad_category: [] })
          : json({ version: "1.0", type: "video" }),
    );
    await expect(c.listBroadcasts()).resolves.toMatchObject({ total_cnt: 0 });
    await expect(c.listCategories()).resolves.toEqual({ broad_category: [] });
    await calls.getEmbedInfo(c);
    await calls.postEmbedInfo(c);
    expect(fetch.calls).toHaveLength(4);
    for (const r of fetch.calls) {
      expect(r.url.searchParams.has("client_secret")).toBe(false);
      expect(new URLSearchParams(r.body).has("client_secret")).toBe(false);
    }
    expect(fetch.calls[0]!.url.searchParams.get("client_id")).toBe(clientId);
    expect(c.authorizeUrl()).toBe(`https://openapi.sooplive.co.kr/auth/code?client_id=${clientId}`);
  });
});
