// The default limiter end to end: two Polyv clients of one process share the spec's quota (1500 requests in
// 10 s). Kept in its own file so no other test has used the process-wide limiter's window before.
import { describe, expect, it } from "vitest";
import { info } from "../../generated/polyv.operations.js";
import { createPolyvClient } from "../../src/polyv/index.js";
import { sharedPolyvLimiter } from "../../src/polyv/rate-limit.js";
import { TransportError } from "../../src/index.js";
import { json, recordingFetch } from "../helpers/fetch.js";

const body = [{ viewerId: "v", customFieldId: "f", customFieldValue: "x" }];
const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

describe("Polyv's default rate limit", () => {
  it(`lets ${info.rateLimit.limit} requests from two clients through, then holds the next one in line`, async () => {
    const fetch = recordingFetch(() => json({ code: 200, status: "success", data: null, success: true }));
    const a = createPolyvClient({ appId: "app-a", appSecret: "secret-a-123", fetch });
    const b = createPolyvClient({ appId: "app-b", appSecret: "secret-b-456", fetch });
    const { limit } = info.rateLimit;
    await Promise.all(Array.from({ length: limit }, (_, i) => (i % 2 ? a : b).saveViewerCustomFieldValues({ body })));
    expect(fetch.calls).toHaveLength(limit);

    const timersBefore = timers();
    const controller = new AbortController();
    const next = a.saveViewerCustomFieldValues({ body, signal: controller.signal }).catch((e: unknown) => e);
    await new Promise((r) => setImmediate(r));
    expect(sharedPolyvLimiter().pending).toBe(1); // queued, not failed
    expect(fetch.calls).toHaveLength(limit);
    expect(timers()).toBe(timersBefore + 1); // the limiter's wake-up for when the window moves

    controller.abort();
    const err = await next;
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).reason).toBe("aborted");
    expect(sharedPolyvLimiter().pending).toBe(0);
    expect(timers()).toBe(timersBefore); // and its timer is gone
  });
});
