// Tokens are secrets, so they are stored encrypted: AES-256-GCM through WebCrypto with the app's 32-byte key, a
// fresh 96-bit IV per write, and the Redis key as additional data (a value copied under another key does not open).
import { ConfigError } from "../core/errors.js";

export interface Sealer {
  seal(key: string, plaintext: string): Promise<string>;
  /** The plaintext, or undefined when the value does not open with this key (tampered, another key, garbage). */
  open(key: string, sealed: string): Promise<string | undefined>;
  readonly encrypted: boolean;
}

const utf8 = new TextEncoder();
const text = new TextDecoder();
const PREFIX = "aesgcm:";

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(value: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return undefined;
  try {
    return Uint8Array.from(atob(value), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** The key's 32 bytes: given as bytes, or as base64 text of 32 bytes (`openssl rand -base64 32`). */
export function keyBytes(value: unknown): Uint8Array<ArrayBuffer> {
  const bytes = typeof value === "string" ? fromBase64(value.trim()) : value instanceof Uint8Array ? value : value instanceof ArrayBuffer ? new Uint8Array(value) : undefined;
  if (!bytes || bytes.byteLength !== 32) {
    throw new ConfigError("redis", "encryptionKey", "must be 32 bytes (a Uint8Array, or their base64 text, e.g. from `openssl rand -base64 32`)");
  }
  return new Uint8Array(bytes);
}

export function aesGcmSealer(raw: Uint8Array<ArrayBuffer>): Sealer {
  let key: Promise<CryptoKey> | undefined;
  const cryptoKey = () => (key ??= crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]));
  return {
    encrypted: true,
    async seal(name, plaintext) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: utf8.encode(name) }, await cryptoKey(), utf8.encode(plaintext)));
      const out = new Uint8Array(iv.byteLength + sealed.byteLength);
      out.set(iv);
      out.set(sealed, iv.byteLength);
      return PREFIX + toBase64(out);
    },
    async open(name, value) {
      const bytes = value.startsWith(PREFIX) ? fromBase64(value.slice(PREFIX.length)) : undefined;
      if (!bytes || bytes.byteLength < 12 + 16) return undefined;
      try {
        const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes.subarray(0, 12), additionalData: utf8.encode(name) }, await cryptoKey(), bytes.subarray(12));
        return text.decode(plain);
      } catch {
        return undefined;
      }
    },
  };
}

/** Only when the app says so (`allowPlaintext: true`). */
export const plaintext: Sealer = {
  encrypted: false,
  seal: async (_name, value) => `plain:${value}`,
  open: async (_name, value) => (value.startsWith("plain:") ? value.slice("plain:".length) : undefined),
};
