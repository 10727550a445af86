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
