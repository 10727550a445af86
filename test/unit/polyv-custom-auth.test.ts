// verifyPolyvCustomAuth: the check a customer's server runs when Polyv calls its customUri.
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { verifyPolyvCustomAuth } from "../../src/polyv/index.js";

// printf '%s' "6mu6166v4l21915326mu6166v4l1621843813824" | md5sum
const secretKey = "6mu6166v4l";
const id = "2191532";
const ts = "1621843813824";
const sign = "464f804718b2081f4e82bccbd3db553a";
const at = (ms: number) => ({ now: () => ms });
const T = Number(ts);
/** The sign Polyv would send for exactly these texts (what a forger who knows the rule can compute too). */
const signOf = (key: string, idText: string, tsText: string) => createHash("md5").update(`${key}${idText}${key}${tsText}`).digest("hex");

describe("verifyPolyvCustomAuth", () => {
  it("accepts a genuine callback, with ts and id as text or numbers", () => {
    expect(verifyPolyvCustomAuth({ secretKey, id, ts, sign }, at(T))).toBe(true);
    expect(verifyPolyvCustomAuth({ secretKey, id: 2191532, ts: T, sign }, at(T + 1000))).toBe(true);
  });

  it("compares the sign case-insensitively", () => {
    expect(verifyPolyvCustomAuth({ secretKey, id, ts, sign: sign.toUpperCase() }, at(T))).toBe(true);
    expect(verifyPolyvCustomAuth({ secretKey, id, ts, sign: "464F804718b2081f4E82bccbd3db553A" }, at(T))).toBe(true);
  });

  it("rejects anything tampered with", () => {
    expect(verifyPolyvCustomAuth({ secretKey, id: "2191533", ts, sign }, at(T))).toBe(false);
    expect(verifyPolyvCustomAuth({ secretKey: "6mu6166v4m", id, ts, sign }, at(T))).toBe(false);
    expect(verifyPolyvCustomAuth({ secretKey, id, ts: String(T + 1), sign }, at(T))).toBe(false);
    expect(verifyPolyvCustomAuth({ secretKey, id, ts, sign: `${sign.slice(0, -1)}b` }, at(T))).toBe(false);
    expect(verifyPolyvCustomAuth({ secretKey, id, ts, sign: sign.slice(0, -1) }, at(T))).toBe(false);
  });

  it("rejects a stale or future ts beyond 3 minutes by default, and honours maxSkewMs", () => {
    const skew = 3 * 60 * 1000;
    expect(verifyPolyvCustomAuth({ secretKey, id, ts, sign }, at(T + skew))).toBe(true);
    expect(verifyPolyvCustomAuth({ secretKey, id, ts, sign }, at(T + skew + 1))).toBe(false);
    expect(verifyPolyvCustomAuth({ secretKey, id, ts, sign }, at(T - skew))).toBe(true);
    expect(verifyPolyvCustomAuth({ secretKey, id, ts, sign }, at(T - skew - 1))).toBe(false);
    expect(verifyPolyvCustomAuth({ secretKey, id, ts, sign }, { now: () => T + 5000, maxSkewMs: 4999 })).toBe(false);
    expect(verifyPolyvCustomAuth({ secretKey, id, ts, sign }, { now: () => T + 5000, maxSkewMs: 5000 })).toBe(true);
  });

  it("rejects a missing secret key even against a sign made with its text form (`undefined`)", () => {
    // An app whose secret is not configured must not accept what anyone can compute.
    const forged = signOf("undefined", id, ts);
    expect(verifyPolyvCustomAuth({ secretKey: undefined as never, id, ts, sign: forged }, at(T))).toBe(false);
    expect(verifyPolyvCustomAuth({ secretKey: 123 as never, id, ts, sign: signOf("123", id, ts) }, at(T))).toBe(false);
  });

  it("rejects a ts that is neither text nor a number, such as a query parser's one-element array", () => {
    expect(verifyPolyvCustomAuth({ secretKey, id, ts: [ts] as never, sign }, at(T))).toBe(false);
  });

  it("treats null options as none: defaults for the clock and the skew", () => {
    vi.useFakeTimers({ now: T + 1000 });
    try {
      expect(verifyPolyvCustomAuth({ secretKey, id, ts, sign }, null as never)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  describe("without options (the README's path)", () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it("uses Date.now in milliseconds: a genuine callback is accepted at its own time, and up to 3 minutes either side", () => {
      vi.useFakeTimers({ toFake: ["Date"], now: T });
      expect(verifyPolyvCustomAuth({ secretKey, id, ts, sign })).toBe(true);
      vi.setSystemTime(T + 3 * 60 * 1000);
      expect(verifyPolyvCustomAuth({ secretKey, id, ts, sign })).toBe(true);
      vi.setSystemTime(T - 3 * 60 * 1000);
      expect(verifyPolyvCustomAuth({ secretKey, id, ts, sign })).toBe(true);
    });

    it("rejects the same callback once the clock is past the 3-minute skew, either way", () => {
      vi.useFakeTimers({ toFake: ["Date"], now: T + 3 * 60 * 1000 + 1 });
      expect(verifyPolyvCustomAuth({ secretKey, id, ts, sign })).toBe(false);
      vi.setSystemTime(T - 3 * 60 * 1000 - 1);
      expect(verifyPolyvCustomAuth({ secretKey, id, ts, sign })).toBe(false);
    });
  });

  it.each([
    ["no params", undefined],
    ["empty secretKey", { secretKey: "", id, ts, sign }],
    ["secretKey not a string", { secretKey: 42, id, ts, sign }],
    ["missing id", { secretKey, ts, sign }],
    ["empty id", { secretKey, id: "", ts, sign }],
    ["ts not digits", { secretKey, id, ts: "16218438138x4", sign }],
    ["ts a fraction", { secretKey, id, ts: 1621843813824.5, sign }],
    ["ts missing", { secretKey, id, sign }],
    ["sign missing", { secretKey, id, ts }],
    ["sign not a string", { secretKey, id, ts, sign: 12 }],
    ["sign with non-ASCII of the same byte length", { secretKey, id, ts, sign: `${sign.slice(0, 30)}é` }],
  ])("returns false, without throwing, for malformed input: %s", (_, params) => {
    expect(verifyPolyvCustomAuth(params as never, at(T))).toBe(false);
  });

  // Each of these carries the sign of exactly what it sends, so only the rule named can turn it down.
  it.each([
    ["an empty secretKey (anyone can sign with it)", { secretKey: "", id, ts, sign: signOf("", id, ts) }],
    ["an empty id", { secretKey, id: "", ts, sign: signOf(secretKey, "", ts) }],
    ["an id number past 2^53 (its digits are no longer the ones Polyv sent)", { secretKey, id: 2 ** 53 + 2, ts, sign: signOf(secretKey, String(2 ** 53 + 2), ts) }],
    ["an id that is neither text nor a number", { secretKey, id: [id], ts, sign: signOf(secretKey, id, ts) }],
    ["a ts with a sign in front", { secretKey, id, ts: `+${ts}`, sign: signOf(secretKey, id, `+${ts}`) }],
    ["a ts with a space after it", { secretKey, id, ts: `${ts} `, sign: signOf(secretKey, id, `${ts} `) }],
    ["a ts in hex", { secretKey, id, ts: `0x${T.toString(16)}`, sign: signOf(secretKey, id, `0x${T.toString(16)}`) }],
    ["a ts of more than 16 digits", { secretKey, id, ts: `0000${ts}`, sign: signOf(secretKey, id, `0000${ts}`) }],
    ["a ts number that is not an integer", { secretKey, id, ts: T + 0.5, sign: signOf(secretKey, id, String(T + 0.5)) }],
  ])("returns false for %s, even with the matching sign", (_, params) => {
    expect(verifyPolyvCustomAuth(params as never, at(T))).toBe(false);
  });

  it("with maxSkewMs 0, accepts a callback stamped this very millisecond and no other", () => {
    expect(verifyPolyvCustomAuth({ secretKey, id, ts, sign }, { now: () => T, maxSkewMs: 0 })).toBe(true);
    expect(verifyPolyvCustomAuth({ secretKey, id, ts, sign }, { now: () => T + 1, maxSkewMs: 0 })).toBe(false);
  });

  it("returns false for a maxSkewMs that is not a number of milliseconds, rather than skipping or guessing the freshness check", () => {
    expect(verifyPolyvCustomAuth({ secretKey, id, ts, sign }, { now: () => T, maxSkewMs: Number.NaN })).toBe(false);
    expect(verifyPolyvCustomAuth({ secretKey, id, ts, sign }, { now: () => T, maxSkewMs: "60000" as never })).toBe(false);
  });

  it("returns false for unusable options instead of throwing", () => {
    expect(verifyPolyvCustomAuth({ secretKey, id, ts, sign }, { now: () => T, maxSkewMs: -1 })).toBe(false);
    expect(verifyPolyvCustomAuth({ secretKey, id, ts, sign }, { now: () => Number.NaN })).toBe(false);
    expect(
      verifyPolyvCustomAuth({ secretKey, id, ts, sign }, {
        now: () => {
          throw new Error("clock broke");
        },
      }),
    ).toBe(false);
  });
});
