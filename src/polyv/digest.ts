// MD5 and SHA-256 over UTF-8 text, as lowercase hex, from @noble/hashes (audited, dependency-free, pure JS): the
// same code runs in Node, Deno, Bun, Workers, edge runtimes and browsers. WebCrypto would not do: it is async and
// has no MD5, which Polyv's signature needs.
import { md5 } from "@noble/hashes/legacy.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

export function md5Hex(text: string): string {
  return bytesToHex(md5(utf8ToBytes(text)));
}

export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/**
 * Whether two strings are equal, in time that depends only on their lengths (not on where they differ), for
 * comparing a signature a caller sent with the one computed. Written here because the runtimes share no
 * constant-time compare (Node's timingSafeEqual is Node-only; WebCrypto has none).
 */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
