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
