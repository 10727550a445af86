// What lets the clients run outside Node: the default fetch is the runtime's global one, looked up per call and
// called unbound (browsers and workerd throw "Illegal invocation" otherwise); a missing or unusable fetch is a
// ConfigError naming `fetch`; Basic auth is Base64 over UTF-8 without Buffer; importing a subpath creates no I/O
// object (workerd forbids them at global scope and ties them to the request that made them).
import { afterEach, describe, expect, it, vi } from "vitest";
import { createArctosClient } from "../../src/arctos/index.js";
import { createFlipFlopClient } from "../../src/flipflop/index.js";
import { createPolyvClient } from "../../src/polyv/index.js";
import { createSoopClient } from "../../src/soop/index.js";
import { ConfigError } from "../../src/index.js";
import { json, recordingFetch } from "../helpers/fetch.js";

const factories = {
  flipflop: (extra: object) => createFlipFlopClient({ apiKey: "key-1", apiSecret: "secret-1", ...extra }),
  polyv: (extra: object) => createPolyvClient({ appId: "app-1", appSecret: "secret-1", ...extra }),
  soop: (extra: object) => createSoopClient({ clientId: "client-1", ...extra }),
  arctos: (extra: object) => createArctosClient({ getCode: async () => "code", baseUrl: "https://arctos.example.test", clientId: "arctos-webapp", ...extra }),
};

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A global fetch that behaves like a browser's: any receiver but the global object (or none) is refused. */
function browserLikeFetch() {
  const receivers: unknown[] = [];
  const fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
    receivers.push(this);
    if (this !== undefined && this !== globalThis) return Promise.reject(new TypeError("Illegal invocation"));
    return Promise.resolve(json({ accessToken: "a", streamingToken: "s" }));
  };
  return Object.assign(fetch, { receivers });
}

describe("the default fetch", () => {
  it("is the global fetch, looked up at each call and called unbound", async () => {
    const c = createFlipFlopClient({ apiKey: "key-1", apiSecret: "secret-1", retry: false });
    const fetch = browserLikeFetch();
    vi.stubGlobal("fetch", fetch); // replaced after the client was made: the client must still use it
    await expect(c.loginMember({ body: { appUserId: "u1" } })).resolves.toEqual({ accessToken: "a", streamingToken: "s" });
    expect(fetch.receivers).toHaveLength(1);
    expect([undefined, globalThis]).toContain(fetch.receivers[0]);
  });

  it("a custom fetch is called unbound too", async () => {
    const fetch = browserLikeFetch();
    const c = createFlipFlopClient({ apiKey: "key-1", apiSecret: "secret-1", retry: false, fetch: fetch as typeof globalThis.fetch });
    await c.loginMember({ body: { appUserId: "u1" } });
    expect([undefined, globalThis]).toContain(fetch.receivers[0]);
  });

  it.each(Object.keys(factories))("%s: a runtime without fetch gets a ConfigError naming fetch", (name) => {
    vi.stubGlobal("fetch", undefined);
    expect(() => factories[name as keyof typeof factories]({})).toThrow(ConfigError);
    expect(() => factories[name as keyof typeof factories]({})).toThrow(/`fetch`/);
  });

  it.each(Object.keys(factories))("%s: a custom fetch that is not a function is a ConfigError naming fetch", (name) => {
    for (const fetch of ["https://example.com", {}, null, 42]) {
      let err: unknown;
      try {
        factories[name as keyof typeof factories]({ fetch });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect(err).toMatchObject({ option: "fetch" });
    }
  });
});

describe("Basic auth without Buffer", () => {
  it("is Base64 of the UTF-8 bytes of apiKey:apiSecret", async () => {
    const fetch = recordingFetch(() => json({ accessToken: "a", streamingToken: "s" }));
    const apiKey = "ключ-키-🔑";
    const apiSecret = "秘密:pässwörd";
    await createFlipFlopClient({ apiKey, apiSecret, fetch }).loginMember({ body: { appUserId: "u1" } });
    expect(fetch.calls[0]!.headers.get("authorization")).toBe(`Basic ${Buffer.from(`${apiKey}:${apiSecret}`, "utf8").toString("base64")}`);
  });
});

describe("module scope", () => {
  it("importing every subpath creates no AbortController, Request, Response, timer or fetch", async () => {
    vi.resetModules();
    const made: string[] = [];
    const trap = (name: string) =>
      function () {
        made.push(name);
        throw new Error(`${name} at module scope`);
      };
    for (const name of ["AbortController", "Request", "Response", "Headers", "ReadableStream", "fetch", "setTimeout", "setInterval", "queueMicrotask"]) {
      vi.stubGlobal(name, trap(name));
    }
    try {
      for (const path of ["../../src/index.js", "../../src/flipflop/index.js", "../../src/polyv/index.js", "../../src/soop/index.js", "../../src/arctos/index.js"]) {
        await import(/* @vite-ignore */ `${path}?fresh`);
      }
    } finally {
      vi.unstubAllGlobals();
    }
    expect(made).toEqual([]);
  });
});
