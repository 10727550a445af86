// The JSON-Schema formats the specs use, as ajv-formats defines them, in a form Ajv can inline into standalone
// code. ajv-formats' `uri` is a function over a private RFC 3986 regex; standalone code would then need the
// library's whole formats module at run time (≈2.4 kB gzipped, every format's grammar). A RegExp format is
// inlined instead, so the regex is taken from the library's own source and proven to answer like its function.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fullFormats } from "ajv-formats/dist/formats.js";

const require = createRequire(import.meta.url);

// Strings on both sides of every rule of the grammar: schemes, authority, IPv4/IPv6/IPvFuture, ports,
// percent-encoding, non-ASCII, spaces, relative references.
export const URI_PROBES = [
  "https://example.com/polyv/auth", "http://127.0.0.1:99999/x", "http://例え.jp/auth", "http://a/%zz", "http://a/%41",
  "mailto:a@b.c", "urn:isbn:0451450523", "http://[::1]:80/", "http://[v1.x]/", "http://[::zz]/", "//example.com/x",
  "/relative/path", "relative", "", " http://a", "http://a b", "http://a/b?c=d#e", "http://a/b?c=d#e#f", "a:", "1a:b",
  "http://user:pw@host/", "http://host:port/", "ftp://ftp.is.co.za/rfc/rfc1808.txt", "http://a/\u00e9", "HTTP://A/",
  "http:/a", "http:a", "tel:+1-816-555-1212", "http://a/b/../c", "http://a\\b", "http://a/{x}", "http://a/'quote'",
];

function extract(name) {
  const def = fullFormats[name];
  if (def instanceof RegExp) return def;
  if (name !== "uri" || typeof def !== "function") {
    throw new Error(`format "${name}" is not supported by the validator generator (scripts/lib/formats.mjs)`);
  }
  const source = readFileSync(require.resolve("ajv-formats/dist/formats.js"), "utf8");
  const match = /^const URI = (\/.+\/)([a-z]*);$/m.exec(source);
  if (!match) throw new Error("ajv-formats changed: its URI regex was not found; update scripts/lib/formats.mjs");
  const regex = new RegExp(match[1].slice(1, -1), match[2]);
  for (const probe of URI_PROBES) {
    if (regex.test(probe) !== def(probe)) {
      throw new Error(`ajv-formats changed: the extracted URI regex disagrees with its uri() on ${JSON.stringify(probe)}`);
    }
  }
  return regex;
}

/** name → RegExp, for `ajv.addFormat(name, regex)`. */
export function formatRegexes(names) {
  return Object.fromEntries([...names].sort().map((n) => [n, extract(n)]));
}
