// A fetch for tests that talk to a real local server (the fault server): Node's fetch underneath, plus
//
// - a byte count of what the client pulled from each response body (so a test can tell that the client
//   stopped reading an oversized body early instead of buffering it), and
// - a pin on every in-flight Request until its response body is done.
//
// Why the pin: Node's fetch (undici 6) links a Request's AbortSignal to the signal it follows through WeakRefs,
// so a Request nobody references can lose its timeout and abort to a garbage collection mid-flight.
// src/core/transport.ts now keeps its own Requests alive (test/reliability/src-fixes.test.ts proves it), so the
// pin is off and the fault matrix exercises the real behaviour; turn it on only to investigate such a hang.
export const PIN_IN_FLIGHT = false;

export interface BodyStats {
  url: string;
  status: number;
  /** Bytes the client pulled from the body. */
  pulled: number;
  /** The client cancelled the body before its end. */
  cancelled: boolean;
  /** The body was read to its end. */
  done: boolean;
}

export type ObservedFetch = typeof globalThis.fetch & { bodies: BodyStats[]; pinned: () => number };

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

export function observedFetch(inner: typeof globalThis.fetch = globalThis.fetch, options: { keepStats?: boolean } = {}): ObservedFetch {
  const pins = new Set<Request>();
  const bodies: BodyStats[] = [];
  const keepStats = options.keepStats ?? true;

  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request && !init ? input : new Request(input, init);
    if (PIN_IN_FLIGHT) pins.add(request);
    const release = () => pins.delete(request);
    let response: Response;
    try {
      response = await inner(request);
    } catch (error) {
      release();
      throw error;
    }
    if (!response.body || NULL_BODY.has(response.status)) {
      release();
      return response;
    }
    const stats: BodyStats = { url: request.url, status: response.status, pulled: 0, cancelled: false, done: false };
    if (keepStats) bodies.push(stats);
    const reader = response.body.getReader();
    // highWaterMark 0: nothing is pulled from the real body until the client asks for it.
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          try {
            const { done, value } = await reader.read();
            if (done) {
              stats.done = true;
              release();
              controller.close();
            } else {
              stats.pulled += value.byteLength;
              controller.enqueue(value);
            }
          } catch (error) {
            release();
            controller.error(error);
          }
        },
        async cancel(reason) {
          stats.cancelled = true;
          release();
          await reader.cancel(reason).catch(() => {});
        },
      },
      { highWaterMark: 0 },
    );
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  return Object.assign(fetch as typeof globalThis.fetch, { bodies, pinned: () => pins.size });
}
