// Secrets must never reach an error message, a log line or a serialised error. A Redactor knows the secret
// values of one client (they change as tokens are refreshed) and masks them wherever they appear.

const MASK = "[REDACTED]";
const ENCODED_MASK = encodeURIComponent(MASK);
/** Headers whose value is a URL: its query may carry a credential (SOOP's auth/code redirect: `?code=`). */
const URL_HEADER = /^(location|content-location)$/i;
/** Field and header names whose values are always masked, whatever they hold. */
const SENSITIVE_NAME = /^(authorization|proxy-authorization|cookie|set-cookie|arc-license-key|access_token|refresh_token|client_secret|sign|code|apisecret|appsecret|secret|secretkey|password|broad_pwd|token|accesstoken|streamingtoken|streamkey|stream_key)$/i;

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Remember a secret value, and the forms it travels in (URL-encoded, Base64 of a Basic pair is added by its owner). */
  add(...values: (string | undefined | null)[]): this {
    for (const v of values) {
      if (typeof v !== "string" || v.length < 4) continue; // masking 1-3 characters would mangle every message
      this.secrets.add(v);
      const encoded = encodeURIComponent(v);
      if (encoded !== v) this.secrets.add(encoded);
      const form = new URLSearchParams({ v }).toString().slice(2);
      if (form !== v) this.secrets.add(form);
    }
    return this;
  }

  text(input: string): string {
    let out = input;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join(MASK);
    return out;
  }

  /** A deep copy of a JSON-like value with secret values and sensitive fields masked. */
  value<T>(input: T): T {
    return this.walk(input, 0) as T;
  }

  private walk(input: unknown, depth: number): unknown {
    if (typeof input === "string") return this.text(input);
    if (depth > 20 || input === null || typeof input !== "object") return input;
    if (Array.isArray(input)) return input.map((v) => this.walk(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(input)) {
      // Only strings can be credentials: a numeric `code` is an error code, a string `code` an OAuth code.
      out[k] = SENSITIVE_NAME.test(k) && typeof v === "string" && v !== "" ? MASK : this.walk(v, depth + 1);
    }
    return out;
  }

  /** Remembers the string values of sensitive fields in a JSON-like value (e.g. a refresh_token the caller passes). */
  learn(input: unknown, depth = 0): this {
    if (depth > 20 || input === null || typeof input !== "object") return this;
    for (const [k, v] of Object.entries(input)) {
      if (typeof v === "string" && SENSITIVE_NAME.test(k)) this.add(v);
      else this.learn(v, depth + 1);
    }
    return this;
  }

  /** A URL (absolute or relative) with sensitive query values and known secrets masked. */
  url(input: string): string {
    let url: URL;
    let relative = false;
    try {
      url = new URL(input);
    } catch {
      try {
        url = new URL(input, "http://relative.invalid");
        relative = true;
      } catch {
        return this.text(input);
      }
    }
    for (const key of [...url.searchParams.keys()]) if (SENSITIVE_NAME.test(key)) url.searchParams.set(key, MASK);
    const out = relative ? `${url.pathname}${url.search}${url.hash}` : url.toString();
    return this.text(out).replaceAll(ENCODED_MASK, MASK);
  }

  /** A form body (a=1&b=2) with sensitive fields and known secrets masked. */
  form(input: string): string {
    const params = new URLSearchParams(input);
    for (const key of [...params.keys()]) if (SENSITIVE_NAME.test(key)) params.set(key, MASK);
    return this.text(params.toString()).replaceAll(ENCODED_MASK, MASK);
  }

  headers(input: Headers): Record<string, string> {
    const out: Record<string, string> = {};
    input.forEach((v, k) => (out[k] = SENSITIVE_NAME.test(k) ? MASK : URL_HEADER.test(k) ? this.url(v) : this.text(v)));
    return out;
  }
}
