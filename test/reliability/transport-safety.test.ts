// Transport safety: every factory refuses a base URL that would send credentials in clear text (http to anything
// but a loopback address) unless the caller says allowInsecureHttp: true, and refuses what is not an http(s) URL.
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/index.js";
import { KITS } from "../helpers/providers.js";

const refused = [
  "http://api.example.com",
  "http://10.0.0.8:8080",
  "http://192.168.1.20",
  "http://127.0.0.1.nip.io", // a public name that only starts like a loopback address
  "http://localhost.example.com",
  "http://127.0.0.1@api.example.com", // user info: the host is api.example.com
  "http://[::2]:4010",
  "http://[::ffff:10.0.0.1]",
  "http://0.0.0.0:4010",
];
const loopback = [
  "http://127.0.0.1:4010",
  "http://127.1.2.3:4010",
  "http://127.255.255.254",
  "http://localhost:4010",
  "http://LOCALHOST:4010",
  "http://[::1]:4010",
  "http://[0:0:0:0:0:0:0:1]:4010", // the same address, normalised to [::1]
];
const notHttp = ["ftp://api.example.com", "ws://127.0.0.1:4010", "file:///etc/passwd", "api.example.com", "//api.example.com", "https://api.example.com?x=1"];

function configError(fn: () => unknown): ConfigError | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  return undefined;
}

describe.each(KITS.map((k) => [k.name, k] as const))("%s factory: base URL", (_name, kit) => {
  it.each(refused)("refuses %s with ConfigError (option baseUrl), naming allowInsecureHttp", (baseUrl) => {
    const err = configError(() => kit.make({ baseUrl }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.option).toBe("baseUrl");
    expect(err!.message).toMatch(/https/);
    expect(err!.message).toContain("allowInsecureHttp");
  });

  it.each(refused)("accepts %s with allowInsecureHttp: true", (baseUrl) => {
    expect(configError(() => kit.make({ baseUrl, allowInsecureHttp: true }))).toBeUndefined();
  });

  it.each(loopback)("accepts the loopback address %s without allowInsecureHttp", (baseUrl) => {
    expect(configError(() => kit.make({ baseUrl }))).toBeUndefined();
  });

  it("accepts https anywhere", () => {
    expect(configError(() => kit.make({ baseUrl: "https://api.example.com/base/" }))).toBeUndefined();
  });

  it.each(notHttp)("refuses %s even with allowInsecureHttp", (baseUrl) => {
    const err = configError(() => kit.make({ baseUrl, allowInsecureHttp: true }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.option).toBe("baseUrl");
  });
});
