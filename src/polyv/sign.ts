// Polyv's request signature, as its official Java SDK (LiveSignUtil) computes it:
// UPPERCASE(hash_hex(appSecret + k1v1k2v2... + appSecret)) over the non-blank parameters sorted by name.
import { md5Hex, sha256Hex } from "./digest.js";

export type PolyvSignatureMethod = "MD5" | "SHA256";

export type PolyvParamValue = string | number | boolean | null | undefined;

// Java's StringUtils.isBlank also counts U+001C-U+001F as whitespace; JS's \s covers the rest (and more).
// Dropping the union is safe: what is dropped is neither signed nor sent, so the two can not disagree.
const BLANK = /^[\s\u001c-\u001f]*$/u;

/** Null, undefined, empty and whitespace-only values take no part in a Polyv request. */
export function isBlank(value: PolyvParamValue): boolean {
  return value === null || value === undefined || (typeof value === "string" && BLANK.test(value));
}

/** The parameters with blank values removed and the rest as the text they travel as. */
export function nonBlank(params: Readonly<Record<string, PolyvParamValue>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) if (!isBlank(value)) out[key] = String(value);
  return out;
}


/**
 * The `sign` of a Polyv request: every parameter except `sign` itself, blank values left out, keys sorted by
 * code unit, `key + value` concatenated with raw (not URL-encoded) values, wrapped in the appSecret on both
 * ends, hashed over UTF-8 and written as uppercase hex (32 characters for MD5, 64 for SHA256).
 */
export function signPolyvParams(
  params: Readonly<Record<string, PolyvParamValue>>,
  appSecret: string,
  method: PolyvSignatureMethod = "MD5",
): string {
  if (method !== "MD5" && method !== "SHA256") throw new TypeError('method must be "MD5" or "SHA256"');
  const fields = nonBlank(params);
  delete fields.sign;
  // sort() with no comparator orders by UTF-16 code unit, as Java's TreeMap does: `Z` < `_` < `a` (localeCompare would not).
  const joined = Object.keys(fields)
    .sort()
    .map((key) => key + fields[key])
    .join("");
  const text = appSecret + joined + appSecret;
  return (method === "MD5" ? md5Hex(text) : sha256Hex(text)).toUpperCase();
}
