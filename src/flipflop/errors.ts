// FlipFlop answers every error as {errorCode, errorMessage}; a success has no envelope.
import type { Failure } from "../core/client.js";

export function flipflopFailure(body: unknown, status: number): Failure | undefined {
  if (status < 400) return undefined;
  const b = (body ?? {}) as { errorCode?: unknown; errorMessage?: unknown };
  return {
    code: typeof b.errorCode === "string" ? b.errorCode : undefined,
    message: typeof b.errorMessage === "string" ? b.errorMessage : `HTTP ${status}`,
  };
}
