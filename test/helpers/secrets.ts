// Asserts that no secret shows up anywhere an error can be printed or serialised.
import { inspect } from "node:util";
import { expect } from "vitest";

export function renderings(err: unknown): string[] {
  const e = err as Error;
  return [String(e), e?.stack ?? "", JSON.stringify(e), inspect(e, { depth: 10 })];
}

export function expectNoSecrets(err: unknown, secrets: string[]): void {
  expect(err).toBeInstanceOf(Error);
  for (const text of renderings(err)) {
    for (const secret of secrets) expect(text, `secret leaked in: ${text.slice(0, 200)}`).not.toContain(secret);
  }
}

/** Runs `fn`, expecting it to reject, and returns the error. */
export async function caught(fn: () => Promise<unknown>): Promise<any> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** The forms a secret travels in: as is, URL-encoded, form-encoded (and the same for its base64 Basic pair). */
export function secretVariants(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret), new URLSearchParams({ v: secret }).toString().slice(2)]);
  return [...forms];
}

/** Every secret (in any of its travelling forms) found in any of the texts, with where it was found. */
export function findSecrets(texts: readonly string[], secrets: readonly string[]): { secret: string; text: string }[] {
  const hits: { secret: string; text: string }[] = [];
  for (const secret of secrets) {
    for (const form of secretVariants(secret)) {
      for (const text of texts) if (text.includes(form)) hits.push({ secret: form, text: text.slice(Math.max(0, text.indexOf(form) - 120), text.indexOf(form) + form.length + 40) });
    }
  }
  return hits;
}

/** The secrets an error shows in String(err), err.stack, JSON.stringify(err) or util.inspect(err, { depth: 10 }). */
export function secretHits(err: unknown, secrets: readonly string[]): { secret: string; text: string }[] {
  return findSecrets(renderings(err), secrets);
}
