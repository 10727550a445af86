// signPolyvParams against Polyv's worked example and vectors computed independently in the shell, e.g.
//   printf '%s' "$SECRET""appId...timestamp...""$SECRET" | md5sum      (then uppercased)
import { describe, expect, it } from "vitest";
import { signPolyvParams } from "../../src/polyv/index.js";
import { isBlank } from "../../src/polyv/sign.js";

const appSecret = "fsq2k5weced1h8vui657xtdva66whf0g";
const base = { appId: "g4rqgmmjuo", timestamp: "1660270926732" };

describe("signPolyvParams", () => {
  it("reproduces the worked example of Polyv's documentation", () => {
    const sign = signPolyvParams(
      { ...base, channelIds: "2477096,2272655", startDay: "2022-05-20", endDay: "2022-06-18", page: null, size: null },
      appSecret,
    );
    expect(sign).toBe("0D2BDA2FD04D93A2B8832B91FD973C4D");
  });

  it("hashes non-ASCII values as UTF-8, raw (never URL-encoded)", () => {
    // "${S}appIdg4rqgmmjuocustomFieldValue已支付timestamp1660270926732titlecafé ☕ & 100%${S}"
    expect(signPolyvParams({ ...base, customFieldValue: "已支付", title: "café ☕ & 100%" }, appSecret)).toBe("A1C979E16A6862C21A25782093B8B37C");
  });

  it("leaves null, undefined, empty and whitespace-only values out", () => {
    // "${S}appIdg4rqgmmjuotimestamp1660270926732${S}"
    const expected = "0545CB7811874FB16247E9A0635B121F";
    expect(signPolyvParams(base, appSecret)).toBe(expected);
    expect(
      signPolyvParams({ ...base, channelId: "", desc: "   ", tab: "\t\n", nbsp: "\u00a0", fs: "\u001c", a: null, b: undefined }, appSecret),
    ).toBe(expected);
  });

  it("keeps values that only look empty: 0, false and text around spaces", () => {
    // "${S}appIdg4rqgmmjuopage0timestamp1660270926732${S}"
    expect(signPolyvParams({ ...base, page: 0 }, appSecret)).toBe("7F095DB229ACCBD8259F9B97D8B435CA");
    expect(signPolyvParams({ ...base, page: "0" }, appSecret)).toBe("7F095DB229ACCBD8259F9B97D8B435CA");
    expect(isBlank(false)).toBe(false);
    expect(isBlank(" x ")).toBe(false);
  });

  it("sorts keys by code unit, case-sensitively (Z < _ < a), not by locale", () => {
    // "${S}Betab1Zetaz1_under_1alphaa1appIdg4rqgmmjuotimestamp1660270926732${S}"
    const params = { alpha: "a1", _under: "_1", Zeta: "z1", ...base, Beta: "b1" };
    expect(signPolyvParams(params, appSecret)).toBe("5C280E9130ED254769C7333E0548EDE3");
    // localeCompare would put alpha before Beta: the order really matters.
    expect(Object.keys(params).sort((a, b) => a.localeCompare(b))[0]).toBe("_under");
  });

  it("never signs `sign` itself", () => {
    expect(signPolyvParams({ ...base, sign: "ABC" }, appSecret)).toBe("0545CB7811874FB16247E9A0635B121F");
  });

  it("hashes with SHA-256 (64 uppercase hex) when asked", () => {
    // printf '%s' "${S}appIdg4rqgmmjuosignatureMethodSHA256timestamp1660270926732${S}" | sha256sum
    expect(signPolyvParams({ ...base, signatureMethod: "SHA256" }, appSecret, "SHA256")).toBe(
      "5076B07CE48E7DC7B914D4C796F96B8670D9922DD5FFF9B946D85813FF96E89F",
    );
  });

  it("refuses an unknown hash method", () => {
    expect(() => signPolyvParams(base, appSecret, "SHA1" as never)).toThrow(new TypeError('method must be "MD5" or "SHA256"'));
  });
});
