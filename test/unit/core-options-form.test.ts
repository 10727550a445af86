// The shared option checks (baseUrl, fetch, positive milliseconds), form encoding, and the debug log's bodies:
// each rule with its exact wording, since a ConfigError must name the field and the rule.
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigError } from "../../src/index.js";
import { checkBaseUrl, checkPositive, resolveFetch } from "../../src/core/options.js";
import { FORM, isForm, toForm, withQueryFields } from "../../src/core/form.js";
import { logRequest, type LogEvent } from "../../src/core/logger.js";
import { Redactor } from "../../src/core/redact.js";

const configError = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError");
};

describe("checkBaseUrl", () => {
  it.each([
    [undefined, "is required: pass the API's base URL"],
    ["", "is required: pass the API's base URL"],
    ["  ", "is required: pass the API's base URL"],
    ["api.example.test", "must be an absolute http(s) URL"],
    ["ftp://api.example.test", "must be an absolute http(s) URL"],
    ["https://api.example.test/?v=1", "must not carry a query string or fragment"],
    ["https://api.example.test/#top", "must not carry a query string or fragment"],
    ["http://api.example.test", "must use https (credentials would travel in clear text); pass allowInsecureHttp: true to override"],
    ["http://notlocalhost", "must use https (credentials would travel in clear text); pass allowInsecureHttp: true to override"],
  ])("refuses %j: %s", (value, rule) => {
    expect(configError(() => checkBaseUrl("p", value, false))).toMatchObject({ option: "baseUrl", message: `p: option \`baseUrl\` ${rule}` });
  });

  it("takes https, loopback http, and http when allowed; trailing slashes go", () => {
    expect(checkBaseUrl("p", "https://api.example.test/v1//", false)).toBe("https://api.example.test/v1");
    expect(checkBaseUrl("p", "http://127.0.0.1:8080/", false)).toBe("http://127.0.0.1:8080");
    expect(checkBaseUrl("p", "http://localhost", false)).toBe("http://localhost");
    expect(checkBaseUrl("p", "http://[::1]:9/", false)).toBe("http://[::1]:9");
    expect(checkBaseUrl("p", "http://api.example.test", true)).toBe("http://api.example.test");
  });
});

describe("resolveFetch and checkPositive", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("refuses a fetch that is no function, and a runtime without one, saying what to pass", () => {
    expect(configError(() => resolveFetch("p", "fetch"))).toMatchObject({ option: "fetch", message: "p: option `fetch` must be a function (input, init) => Promise<Response>" });
    vi.stubGlobal("fetch", undefined);
    expect(configError(() => resolveFetch("p", undefined))).toMatchObject({ option: "fetch", message: "p: option `fetch` is required: this runtime has no global fetch, so pass one" });
  });

  it.each([["5"], [Number.NaN], [Number.POSITIVE_INFINITY], [0], [-1]])("refuses %j milliseconds", (value) => {
    expect(configError(() => checkPositive("p", "timeoutMs", value, 1))).toMatchObject({ option: "timeoutMs", message: "p: option `timeoutMs` must be a positive number of milliseconds" });
  });

  it("takes a positive number, and the fallback for none", () => {
    expect(checkPositive("p", "timeoutMs", 0.5, 1)).toBe(0.5);
    expect(checkPositive("p", "timeoutMs", undefined, 7)).toBe(7);
  });
});

describe("form encoding", () => {
  it("leaves out null and undefined, repeats arrays, writes objects as JSON, and encodes no body at all for a non-object", () => {
    expect(toForm({ a: null, b: undefined, c: [1, "x", null], d: { e: 1 }, f: false }).toString()).toBe("c=1&c=x&d=%7B%22e%22%3A1%7D&f=false");
    expect(toForm(null).toString()).toBe("");
    expect(toForm("abc").toString()).toBe("");
  });

  it("knows a form by its media type, parameters and spaces aside, and a request without one is none", () => {
    const post = (type?: string) => new Request("https://h.test/", { method: "POST", body: "a=1", headers: type ? { "content-type": type } : {} });
    expect(isForm(post(`${FORM} ; charset=utf-8`))).toBe(true);
    expect(isForm(post("Application/X-WWW-Form-Urlencoded"))).toBe(true);
    expect(isForm(post("application/json"))).toBe(false);
    expect(isForm(new Request("https://h.test/"))).toBe(false);
  });

  it("adding query fields keeps the method, headers and body", async () => {
    const before = new Request("https://h.test/x?a=1", { method: "POST", body: "b=2", headers: { "content-type": FORM, "x-trace": "t" } });
    const after = withQueryFields(before, { client_id: "id" });
    expect(after.url).toBe("https://h.test/x?a=1&client_id=id");
    expect([after.method, after.headers.get("x-trace"), await after.text()]).toEqual(["POST", "t", "b=2"]);
  });
});

describe("the debug log's request body", () => {
  const logged = async (request: Request) => {
    const events: LogEvent[] = [];
    await logRequest((e) => events.push(e), new Redactor().add("sekrit-1"), request, 1);
    return events[0] as Extract<LogEvent, { type: "request" }>;
  };

  it("is absent for a request without one", async () => {
    expect((await logged(new Request("https://h.test/"))).body).toBeUndefined();
  });

  it("is a text body that is no JSON, masked, as a JSON string", async () => {
    expect((await logged(new Request("https://h.test/", { method: "POST", body: "plain sekrit-1" }))).body).toBe('"plain [REDACTED]"');
  });
});
