// The transport itself (src/core/transport.ts) over FlipFlop's operation index and a recording fetch, for what only
// a direct caller can do: call it as fetch is called, hand it a limiter, or a Request marked as a named call's.
import { operations as flipflopOperations } from "../../generated/flipflop.operations.js";
import { Redactor } from "../../src/core/redact.js";
import { resolveRetryPolicy } from "../../src/core/retry.js";
import { createTransport, type TransportConfig } from "../../src/core/transport.js";
import { recordingFetch } from "./fetch.js";

export const BASE = "https://flipflop.test";
export const membersUrl = `${BASE}/v2/apps/me/members/1`;
/** Retries that are over in milliseconds. */
export const fast = { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 };

export function directTransport(respond: Parameters<typeof recordingFetch>[0], extra: Partial<TransportConfig> = {}) {
  const fetch = recordingFetch(respond);
  const transport = createTransport({
    provider: "flipflop",
    operations: flipflopOperations,
    baseUrl: BASE,
    fetch,
    timeoutMs: 10_000,
    deadlineMs: 30_000,
    retry: resolveRetryPolicy(fast),
    maxResponseBytes: 1 << 20,
    redactor: new Redactor(),
    ...extra,
  });
  return { transport, fetch };
}
