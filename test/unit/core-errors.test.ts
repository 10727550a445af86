// Errors and redaction: secrets are masked in every rendering of every error class.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { ConfigError, ProviderError, TransportError, ValidationError } from "../../src/index.js";
import { Redactor } from "../../src/core/redact.js";
import { expectNoSecrets } from "../helpers/secrets.js";

const secret = "sk_live_secret+/=value";
const redactor = new Redactor().add(secret);

describe("errors", () => {
  it("ProviderError masks secrets in message and body, in every rendering", () => {
    const err = new ProviderError({ provider: "p", operation: "op", status: 400, code: "E", message: `bad ${secret}`, body: { echo: secret, nested: [encodeURIComponent(secret)], access_token: "tok-1234" }, redactor });
    expectNoSecrets(err, [secret, encodeURIComponent(secret), "tok-1234"]);
    expect(err.message).toBe("p.op: bad [REDACTED] (HTTP 400, code E)");
    expect(JSON.parse(JSON.stringify(err))).toMatchObject({ name: "ProviderError", status: 400, code: "E", provider: "p", operation: "op" });
  });

  it("TransportError keeps a redacted copy of its cause, not the original", () => {
    const cause = new Error(`connect to https://user:${secret}@host failed`);
    const err = new TransportError({ provider: "p", operation: "op", reason: "network", message: "the request failed", cause, redactor });
    expect(err.cause).not.toBe(cause);
    expect(err.cause?.message).toContain("[REDACTED]");
    expectNoSecrets(err, [secret]);
    expect(inspect(err, { depth: 10 })).toContain("TransportError");
  });

  it("ValidationError lists every issue in its message", () => {
    const err = new ValidationError("soop", "updateBroadcastInfo", [
      { path: "body.title", rule: "maxLength", message: "must be at most 75 characters, got 80" },
      { path: "body.waiting_time", rule: "maximum", message: "must be <= 10" },
    ]);
    expect(err.message).toBe("soop.updateBroadcastInfo: invalid input: body.title must be at most 75 characters, got 80 (maxLength); body.waiting_time must be <= 10 (maximum)");
    expect(err.issues).toHaveLength(2);
  });

  it("ConfigError names the option", () => {
    const err = new ConfigError("flipflop", "apiSecret", "is required");
    expect(err).toMatchObject({ option: "apiSecret", message: "flipflop: option `apiSecret` is required" });
  });
});

describe("Redactor", () => {
  it("masks URL query values by name and by value", () => {
    const r = new Redactor().add("abcd-secret");
    expect(r.url("https://x.test/a?access_token=t0k&client_id=id&q=abcd-secret")).toBe("https://x.test/a?access_token=[REDACTED]&client_id=id&q=[REDACTED]");
  });

  it("masks form fields by name and by value", () => {
    const r = new Redactor().add("my secret");
    expect(r.form("client_secret=cs&title=my+secret&x=1")).toBe("client_secret=[REDACTED]&title=[REDACTED]&x=1");
  });

  it("masks sensitive headers", () => {
    const r = new Redactor();
    expect(r.headers(new Headers({ authorization: "Basic abc", "arc-license-key": "lk", accept: "*/*" }))).toEqual({
      authorization: "[REDACTED]",
      "arc-license-key": "[REDACTED]",
      accept: "*/*",
    });
  });

  it("ignores values too short to mask safely", () => {
    expect(new Redactor().add("ab").text("about")).toBe("about");
  });
});

describe("errors: what every rendering keeps", () => {
  it("a ProviderError without an operation names the provider alone; a text code is redacted, a numeric one kept", () => {
    const plain = new ProviderError({ provider: "p", status: 500, message: "down" });
    expect(plain.message).toBe("p: down (HTTP 500)");
    const text = new ProviderError({ provider: "p", operation: "op", status: 400, code: `E-${secret}`, message: "no", redactor });
    expect(text.code).toBe("E-[REDACTED]");
    expect(new ProviderError({ provider: "p", status: 400, code: 1404, message: "no", redactor }).code).toBe(1404);
  });

  it("JSON keeps the name and the message", () => {
    const err = new ConfigError("flipflop", "apiKey", "is required");
    expect(JSON.parse(JSON.stringify(err))).toMatchObject({ name: "ConfigError", message: "flipflop: option `apiKey` is required", option: "apiKey" });
  });

  it("a TransportError without a cause has none", () => {
    const err = new TransportError({ provider: "p", reason: "timeout", message: "too slow", redactor });
    expect(err.cause).toBeUndefined();
    expect(JSON.parse(JSON.stringify(err))).not.toHaveProperty("cause");
  });

  it("the copied cause keeps name, code and its own cause (all redacted), with a stack that quotes nothing else", () => {
    const root = Object.assign(new Error(`socket said ${secret}`), { code: "ECONNRESET" });
    const cause = Object.assign(new TypeError("fetch failed", { cause: root }), {});
    const err = new TransportError({ provider: "p", operation: "op", reason: "network", message: "the request failed", cause, redactor });
    expect(err.cause).toMatchObject({ name: "TypeError", message: "fetch failed" });
    expect("code" in err.cause!).toBe(false);
    expect(err.cause!.stack).toBe("TypeError: fetch failed");
    const inner = err.cause!.cause as Error & { code?: string };
    expect(inner).not.toBe(root);
    expect(inner).toMatchObject({ name: "Error", message: "socket said [REDACTED]", code: "ECONNRESET" });
    expect(inner.stack).toBe("Error: socket said [REDACTED]");
    expect(JSON.parse(JSON.stringify(err)).cause).toEqual({ name: "TypeError", message: "fetch failed" });
    const coded = new TransportError({ provider: "p", reason: "network", message: "x", cause: root, redactor });
    expect(JSON.parse(JSON.stringify(coded)).cause).toEqual({ name: "Error", message: "socket said [REDACTED]", code: "ECONNRESET" });
    expectNoSecrets(err, [secret]);
  });

  it("a streamspec error as the cause is kept as it is (it is redacted already)", () => {
    const own = new ConfigError("arctos", "getCode", "must resolve to a one-time code");
    const err = new TransportError({ provider: "arctos", reason: "network", message: "x", cause: own, redactor });
    expect(err.cause).toBe(own);
  });
});

describe("Redactor: every form a secret takes", () => {
  it("masks a secret of 4 characters, not one of 3", () => {
    expect(new Redactor().add("abcd").text("xabcdx")).toBe("x[REDACTED]x");
    expect(new Redactor().add("abc").text("xabcx")).toBe("xabcx");
  });

  it("masks the URL-encoded and the form-encoded form where they differ", () => {
    const r = new Redactor().add("ab cd~ef");
    expect(r.text("q=ab%20cd~ef")).toBe("q=[REDACTED]");
    expect(r.text("q=ab+cd%7Eef")).toBe("q=[REDACTED]");
  });

  it("copies a value keeping numbers, booleans, null, arrays and empty or numeric sensitive fields as they are", () => {
    const r = new Redactor().add("sekrit-1");
    const input = { n: 1, b: true, nil: null, list: [1, "sekrit-1", { token: "t-0" }], code: 1404, token: "", nested: { code: "oauth-code" } };
    expect(r.value(input)).toEqual({ n: 1, b: true, nil: null, list: [1, "[REDACTED]", { token: "[REDACTED]" }], code: 1404, token: "", nested: { code: "[REDACTED]" } });
  });

  /** `{ a: { a: … { <leaf> } } }` with the leaf object at `depth`. */
  const nest = (depth: number, leaf: object): object => (depth === 0 ? leaf : { a: nest(depth - 1, leaf) });
  const at = (value: unknown, depth: number): unknown => (depth === 0 ? value : at((value as { a: unknown }).a, depth - 1));

  it("masks sensitive fields down to 20 levels, and a cyclic value ends there instead of overflowing", () => {
    const r = new Redactor();
    expect(at(r.value(nest(20, { access_token: "tok-deep" })), 20)).toEqual({ access_token: "[REDACTED]" });
    const cyclic: Record<string, unknown> = { token: "tok-top" };
    cyclic.self = cyclic;
    cyclic.list = [cyclic];
    const copy = r.value(cyclic) as Record<string, unknown>;
    expect(copy.token).toBe("[REDACTED]");
    expect((copy.self as Record<string, unknown>).token).toBe("[REDACTED]");
  });

  it("learns sensitive values down to 20 levels, passes over null, and ends on a cyclic value", () => {
    const r = new Redactor().learn(nest(20, { refresh_token: "refresh-deep" }));
    expect(r.text("sent refresh-deep")).toBe("sent [REDACTED]");
    const cyclic: Record<string, unknown> = { nothing: null, inner: { client_secret: "cs-cyclic" } };
    cyclic.self = cyclic;
    expect(new Redactor().learn(cyclic).text("cs-cyclic")).toBe("[REDACTED]");
  });

  it("masks a relative URL's query by name and value, and an unreadable URL as text", () => {
    const r = new Redactor().add("sekrit-1");
    expect(r.url("/cb?code=abc&state=sekrit-1&x=1#frag")).toBe("/cb?code=[REDACTED]&state=[REDACTED]&x=1#frag");
    expect(r.url("http://[sekrit-1")).toBe("http://[[REDACTED]");
  });
});
