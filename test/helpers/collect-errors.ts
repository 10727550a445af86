// A collector for every error a test file produces, so one final test can check them all for secrets. Each
// vitest test file runs in its own module context, so the list is per file.
import { secretHits } from "./secrets.js";

export interface Collected {
  label: string;
  error: unknown;
}

const collected: Collected[] = [];

/** Keeps `error` (with a label saying where it came from) and returns it. */
export function collectError<T>(label: string, error: T): T {
  collected.push({ label, error });
  return error;
}

/** Runs `fn`; a rejection is collected and returned, a success returns undefined. */
export async function settleCollecting(label: string, fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
    return undefined;
  } catch (error) {
    return collectError(label, error);
  }
}

export function collectedErrors(): readonly Collected[] {
  return collected;
}

/** Every collected error that shows a secret, with the secret and the text around it. */
export function leaks(secrets: readonly string[]): { label: string; secret: string; text: string }[] {
  return collected.flatMap(({ label, error }) => secretHits(error, secrets).map((hit) => ({ label, ...hit })));
}
