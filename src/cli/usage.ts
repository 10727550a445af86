// Exit codes (README "Command line") and the one error the command line makes itself.
import { ConfigError, ProviderError, TransportError, ValidationError } from "../core/errors.js";

export const EXIT = { ok: 0, provider: 1, usage: 2, transport: 3 } as const;

/** Bad command-line usage: an unknown command or flag, a flag without its value, an unreadable file. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** 0 success, 1 ProviderError, 2 ValidationError / ConfigError / usage, 3 TransportError; anything else 1. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof ProviderError) return EXIT.provider;
  if (error instanceof ValidationError || error instanceof ConfigError || error instanceof UsageError) return EXIT.usage;
  if (error instanceof TransportError) return EXIT.transport;
  return 1;
}
