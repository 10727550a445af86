// A planned call (src/core/planned.ts) is built from openapi-fetch's own steps instead of going through its
// coreFetch: these tests hold it to coreFetch. First planRequest/readOutcome against coreFetch itself on the edge
// cases of each step, then every operation of every provider, sent once planned and once through openapi-fetch.
import createClient, { createQuerySerializer } from "openapi-fetch";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PlannedRequest, emptyAnswer, planRequest, readOutcome, type PlanInit } from "../../src/core/planned.js";
import type { FirstAttempt } from "../../src/core/request.js";
import { arctosKit, flipflopKit, polyvKit, soopKit, type Kit } from "../helpers/providers.js";

const BASE = "https://api.example.test/v1";
const first = (): FirstAttempt => ({ controller: new AbortController(), caller: undefined, operation: "op" });

/** What coreFetch builds for `init`: the URL and init its Request is made from, through a capturing Request class. */
async function coreFetchBuilds(method: string, path: string, init: PlanInit, baseHeaders?: Record<string, string>) {
  let built: { url: string; init: RequestInit } | undefined;
  class Capture {
    readonly method: string;
    constructor(
      readonly url: string,
      readonly init: RequestInit,
    ) {
      built = { url, init };
      this.method = init.method!;
    }
  }
  const client = createClient<any>({ baseUrl: BASE, headers: baseHeaders, Request: Capture as never, fetch: async () => new Response("{}", { headers: { "content-type": "application/json" } }) });
  await client.request(method as "get", path, init as never);
  return built!;
}

/** The parts of an init that reach the wire: headers as sorted [name, value] pairs, everything else as it is. */
function sent({ signal: _signal, headers, ...rest }: RequestInit) {
  return { ...rest, headers: [...new Headers(headers)].sort() };
}

async function samePlan(method: string, path: string, init: PlanInit, baseHeaders?: Record<string, string>) {
  const expected = await coreFetchBuilds(method, path, init, baseHeaders);
  const planned = planRequest(BASE, baseHeaders, method, path, init, first());
  expect(planned).toBeInstanceOf(PlannedRequest);
  expect(planned.url).toBe(expected.url);
  // Strict: a key set to undefined is not the same as a key left out.
  expect(sent(planned.init)).toStrictEqual(sent(expected.init));
  expect(planned.method).toBe(method.toUpperCase());
}

describe("planRequest builds what openapi-fetch's coreFetch builds", () => {
  it("path parameters: text, numbers and arrays, encoded", async () => {
    await samePlan("get", "/members/{id}/items/{ids}", { params: { path: { id: "a b/ü", ids: [1, "x,y", 3] } } });
    await samePlan("delete", "/members/{id}", { params: { path: { id: 42 } } });
  });

  it("query: openapi-fetch's default serialiser and a given one, with arrays, objects, empty and missing values", async () => {
    const query = { a: "x y&z", list: [1, 2], nested: { k: "v" }, empty: "", none: undefined, nil: null } as Record<string, unknown>;
    await samePlan("get", "/search", { params: { query } });
    const serializeQuery = createQuerySerializer();
    await samePlan("get", "/search", { params: { query }, querySerializer: (q) => `${serializeQuery(q)}&access_token=t%2Bk` });
    await samePlan("get", "/search", { params: { query: {} }, querySerializer: () => "?leading=1" });
  });

  it("headers: the client's, the caller's (object or Headers; null removes, arrays append, undefined skips) and params.header, later winning", async () => {
    const base = { "X-Base": "1", "X-Over": "base" };
    await samePlan("post", "/h", { headers: { "x-over": "caller", "X-Null": null, "X-Undef": undefined, "X-List": ["a", "b"] }, body: { a: 1 } }, base);
    await samePlan("post", "/h", { headers: new Headers({ "X-Over": "headers-instance", Authorization: "Bearer t" }), params: { header: { "X-Param": 7, "x-over": "param" } } }, base);
    await samePlan("get", "/h", { headers: { "X-Base": null } }, base);
  });

  it("body: JSON with its Content-Type, a caller's Content-Type kept, a serialiser's text, no body, FormData without a Content-Type", async () => {
    await samePlan("post", "/b", { body: { a: [1, "ü"], b: null } });
    await samePlan("post", "/b", { body: { a: 1 }, headers: { "Content-Type": "application/vnd.x+json" } });
    await samePlan("post", "/b", { body: { a: 1, b: "x y" }, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    await samePlan("post", "/b", { body: { a: 1 }, bodySerializer: (body) => `wrapped=${JSON.stringify(body)}`, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    await samePlan("post", "/b", {});
    await samePlan("post", "/b", { bodySerializer: () => "a serialiser is not called without a body" });
    const form = new FormData();
    form.set("f", "v");
    await samePlan("post", "/b", { body: form, bodySerializer: (b) => b });
  });

  it("the caller's RequestInit keys go to fetch (redirect, cache, keepalive, anything else); the method is the operation's", async () => {
    await samePlan("post", "/r", { redirect: "manual", cache: "no-store", keepalive: true, credentials: "omit", priority: "high", dispatcher: { d: 1 }, body: { a: 1 } });
    await samePlan("post", "/r", { method: "DELETE", body: { a: 1 } });
    // openapi-fetch's own options left undefined are not RequestInit keys: coreFetch leaves them out.
    await samePlan("post", "/r", { body: { a: 1 }, baseUrl: undefined, fetch: undefined, Request: undefined, middleware: undefined, pathSerializer: undefined });
  });

  it("leaves out what is not fetch's: the caller's signal (the transport gives each attempt its own) and parseAs", () => {
    const planned = planRequest(BASE, undefined, "get", "/s", { signal: new AbortController().signal, parseAs: "text", streamspecFirstAttempt: first() }, first());
    expect(Object.keys(planned.init).sort()).toEqual(["body", "headers", "method", "redirect"]);
  });
});

describe("readOutcome reads an answer as coreFetch does", () => {
  const answers: [string, () => Response, string, string?][] = [
    ["JSON success", () => new Response('{"a":1}', { headers: { "content-length": "7" } }), "GET"],
    ["JSON success without a length", () => new Response(new Blob(['{"a":1}']).stream()), "GET"],
    ["empty success without a length", () => new Response(new Blob([]).stream()), "GET"],
    ["204", () => new Response(null, { status: 204 }), "GET"],
    ["HEAD", () => new Response("{}", { headers: { "content-length": "2" } }), "HEAD"],
    ["Content-Length 0", () => new Response("", { headers: { "content-length": "0" } }), "GET"],
    ["Content-Length 0 but chunked (read, so not JSON)", () => new Response("", { headers: { "content-length": "0", "transfer-encoding": "chunked" } }), "GET"],
    ["a success that is not JSON", () => new Response("not json", { headers: { "content-length": "8" } }), "GET"],
    ["an error with a JSON body", () => new Response('{"code":9}', { status: 400 }), "GET"],
    ["an error with a text body", () => new Response("no such thing", { status: 404 }), "GET"],
    ["an error with no body", () => new Response(null, { status: 500, headers: { "content-length": "0" } }), "GET"],
    ["text asked for", () => new Response('{"a":1}', { headers: { "content-length": "7" } }), "GET", "text"],
    ["arrayBuffer asked for", () => new Response("ab"), "GET", "arrayBuffer"],
    ["blob asked for", () => new Response("blob body"), "GET", "blob"],
  ];
  /** Bytes and blobs as what they hold (toEqual does not look into an ArrayBuffer). */
  const readable = async (value: unknown) =>
    value instanceof ArrayBuffer ? [...new Uint8Array(value)] : value instanceof Blob ? `blob: ${await value.text()}` : value;
  /** data and error, or what was thrown (its class and message). */
  const settled = (p: Promise<{ data?: unknown; error?: unknown }>) =>
    p.then(
      async ({ data, error }) => ({ data: await readable(data), error }),
      (e: Error) => ({ thrown: `${e.constructor.name}: ${e.message}` }),
    );
  for (const [name, answer, method, parseAs] of answers) {
    it(name, async () => {
      const client = createClient<any>({ baseUrl: BASE, fetch: async () => answer() });
      const expected = await settled(client.request(method.toLowerCase() as "get", "/x", { parseAs } as never));
      const response = answer();
      const outcome = readOutcome(response, method, parseAs as never).then((o) => {
        expect(o.response).toBe(response); // the Response read, handed back with what was read from it
        return o;
      });
      expect(await settled(outcome)).toEqual(expected);
    });
  }

  it("a stream asked for is the body itself", async () => {
    const response = new Response("abc");
    expect((await readOutcome(response, "GET", "stream")).data).toBe(response.body);
  });

  it("emptyAnswer: 204, HEAD and Content-Length 0 (not chunked) have no body to read", () => {
    expect(emptyAnswer(new Response(null, { status: 204 }), "GET")).toBe(true);
    expect(emptyAnswer(new Response("x"), "HEAD")).toBe(true);
    expect(emptyAnswer(new Response("", { headers: { "content-length": "0" } }), "GET")).toBe(true);
    expect(emptyAnswer(new Response("", { headers: { "content-length": "0", "transfer-encoding": "chunked" } }), "GET")).toBe(false);
    expect(emptyAnswer(new Response("x"), "GET")).toBe(false);
  });
});

describe("every operation of every provider sends the same request planned as through openapi-fetch", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  interface Seen {
    planned: boolean;
    method: string;
    url: string;
    headers: [string, string][];
    body: string;
    init: Pick<Request, "redirect" | "cache" | "credentials" | "mode" | "keepalive" | "referrerPolicy" | "integrity">;
  }

  /**
   * Runs `call` on a fresh client and fake, with a fixed clock and fixed "random" bytes; returns what reached fetch
   * and what the call resolved to.
   */
  async function requestsOf(kit: Kit, id: string, how: "platform fetch" | "fetch option"): Promise<{ seen: Seen[]; result: unknown }> {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-12-01T00:00:00Z") });
    let counter = 0;
    vi.spyOn(globalThis.crypto, "getRandomValues").mockImplementation(<T extends ArrayBufferView | null>(buf: T): T => {
      const bytes = new Uint8Array(buf!.buffer, buf!.byteOffset, buf!.byteLength);
      for (let i = 0; i < bytes.length; i++) bytes[i] = counter++ % 251;
      return buf;
    });
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    const fake = kit.fake();
    const seen: Seen[] = [];
    const recorder = async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init); // what fetch itself makes of its arguments
      seen.push({
        planned: !(input instanceof Request),
        method: request.method,
        url: request.url,
        headers: [...request.headers].sort(),
        body: await request.clone().text(),
        init: {
          redirect: request.redirect,
          cache: request.cache,
          credentials: request.credentials,
          mode: request.mode,
          keepalive: request.keepalive,
          referrerPolicy: request.referrerPolicy,
          integrity: request.integrity,
        },
      });
      return fake.fetch(request);
    };
    if (how === "platform fetch") vi.stubGlobal("fetch", recorder);
    const client = kit.make(how === "fetch option" ? { fetch: recorder } : {});
    const result = await kit.calls[id]!.call(client);
    return { seen, result };
  }

  // The calls that are not planned: Polyv's v2 form operation is signed by middleware, SOOP's getAuthCode is a
  // redirect with no credential step, and listBroadcasts may answer JSONP, which its own middleware reads.
  const NOT_PLANNED = new Set(["polyv updateChannelOauthCustom", "soop getAuthCode", "soop listBroadcasts"]);

  for (const kit of [flipflopKit, polyvKit, soopKit, arctosKit] as Kit[]) {
    for (const id of Object.keys(kit.calls)) {
      it(`${kit.name} ${id}`, async () => {
        const { seen: planned, result } = await requestsOf(kit, id, "platform fetch");
        vi.restoreAllMocks();
        const { seen: viaOpenapiFetch, result: expected } = await requestsOf(kit, id, "fetch option");
        expect(result).toStrictEqual(expected);
        expect(viaOpenapiFetch.every((r) => !r.planned)).toBe(true);
        // The kit names each filter it makes with a running number (soop1, soop2…): the one thing that may differ.
        const strip = (list: Seen[]) => list.map(({ planned: _, ...r }) => ({ ...r, body: r.body.replace(/\bsoop\d+\b/g, "soop#") }));
        expect(strip(planned)).toEqual(strip(viaOpenapiFetch));
        // The operation's own request went out planned when its provider builds it complete (`finish`).
        const own = planned.at(-1)!;
        expect(own.url).toContain(kit.calls[id]!.path.split("{")[0]!);
        expect(own.planned).toBe(!NOT_PLANNED.has(`${kit.name} ${id}`));
      });
    }
  }
});

/** The platform's fetch, recording what each call hands it; answered by a FlipFlop fake. */
function platform() {
  const fake = flipflopKit.fake();
  const seen: { url: string; planned: boolean }[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push({ url: request.url, planned: !(input instanceof Request) });
    return fake.fetch(request);
  };
  vi.stubGlobal("fetch", fetch);
  return { seen, fetch };
}

describe("openapi-fetch's own per-call options send a named call through openapi-fetch, which applies them", () => {
  afterEach(() => void vi.unstubAllGlobals());
  const body = { appUserId: "member42", appUserName: "Ann" };

  it("the plain call is planned (the cases below differ from it only by the option)", async () => {
    const { seen } = platform();
    await flipflopKit.make().loginMember({ body });
    expect(seen).toEqual([{ url: "https://api.flipflop.cloud/v2/apps/me/members/login", planned: true }]);
  });

  it("a planned call builds no Request before fetch; one with RequestInit keys of the caller's builds one, to check them", async () => {
    const Original = globalThis.Request;
    let built = 0;
    vi.stubGlobal(
      "Request",
      class extends Original {
        constructor(input: RequestInfo | URL, init?: RequestInit) {
          super(input, init);
          built++;
        }
      },
    );
    const fake = flipflopKit.fake();
    const atFetch: number[] = [];
    vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => (atFetch.push(built), fake.fetch(new Original(input, init))));
    const client = flipflopKit.make();
    built = 0;
    await client.loginMember({ body });
    built = 0;
    await client.loginMember({ body, cache: "no-store" } as never);
    expect(atFetch).toEqual([0, 1]);
  });

  it("baseUrl", async () => {
    const { seen } = platform();
    await flipflopKit.make().loginMember({ body, baseUrl: "https://other.example/base/" } as never).catch(() => undefined);
    expect(seen).toEqual([{ url: "https://other.example/base/v2/apps/me/members/login", planned: false }]);
  });

  it("pathSerializer", async () => {
    const { seen } = platform();
    const pathSerializer = (path: string) => path.replace("{appUserIds}", "by-serializer");
    await flipflopKit.make().deleteMembers({ params: { path: { appUserIds: ["m1"] } }, pathSerializer } as never).catch(() => undefined);
    expect(seen).toEqual([{ url: "https://api.flipflop.cloud/v2/apps/me/members/by-serializer", planned: false }]);
  });

  it("fetch", async () => {
    const { seen, fetch } = platform();
    const own: string[] = [];
    await flipflopKit.make().loginMember({ body, fetch: (input: Request, init?: RequestInit) => (own.push(input.url), fetch(input, init)) } as never);
    expect(own).toEqual(["https://api.flipflop.cloud/v2/apps/me/members/login"]);
    expect(seen).toEqual([{ url: "https://api.flipflop.cloud/v2/apps/me/members/login", planned: false }]);
  });

  it("Request", async () => {
    const { seen } = platform();
    const built: string[] = [];
    class Own extends Request {
      constructor(input: RequestInfo | URL, init?: RequestInit) {
        super(input, init);
        built.push(this.url);
      }
    }
    await flipflopKit.make().loginMember({ body, Request: Own } as never);
    expect(built).toEqual(["https://api.flipflop.cloud/v2/apps/me/members/login"]);
    expect(seen).toEqual([{ url: "https://api.flipflop.cloud/v2/apps/me/members/login", planned: false }]);
  });
});

describe("an init that Request refuses is refused as openapi-fetch refuses it: once, before any attempt", () => {
  afterEach(() => void vi.unstubAllGlobals());

  for (const how of ["planned", "through openapi-fetch"] as const) {
    it(how, async () => {
      const { seen, fetch } = platform();
      // The platform's fetch is planned; a fetch passed as an option (another function) goes through openapi-fetch.
      const own = (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init);
      // deleteMembers is retry-safe: a failed attempt would be tried again.
      const client = flipflopKit.make({ retry: { maxRetries: 2, baseDelayMs: 1 }, ...(how === "planned" ? {} : { fetch: own }) });
      const failure = await client.deleteMembers({ params: { path: { appUserIds: ["m1"] } }, credentials: "bogus" } as never).catch((e: unknown) => e);
      expect(failure).toMatchObject({ name: "TransportError", reason: "network", message: "flipflop.deleteMembers: the request failed" });
      expect((failure as Error).cause).toMatchObject({ name: "TypeError" }); // Request's own refusal
      expect(seen.length).toBe(0); // no attempt
    });
  }
});
