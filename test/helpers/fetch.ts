// Injected fetch functions for tests (the openapi-fetch way: no global patching).

export interface Recorded {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

/** A fetch that records every request and answers with `respond`. */
export function recordingFetch(respond: (req: Recorded, index: number) => Response | Promise<Response>) {
  const calls: Recorded[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request && !init ? input : new Request(input, init);
    const rec: Recorded = {
      method: request.method,
      url: new URL(request.url),
      // A copy: middleware may change the same Request's headers when it re-sends it (a new token), and the
      // record must show what was sent at the time.
      headers: new Headers(request.headers),
      body: request.body ? await request.text() : "",
    };
    calls.push(rec);
    return respond(rec, calls.length - 1);
  };
  return Object.assign(fetch as typeof globalThis.fetch, { calls });
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

/** A fetch that passes through to the real one and keeps every Prism `sl-violations` header it sees. */
export function violationCheckingFetch() {
  const violations: { url: string; violations: string }[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request && !init ? input : new Request(input, init);
    const response = await globalThis.fetch(request);
    const v = response.headers.get("sl-violations");
    if (v) violations.push({ url: request.url, violations: v });
    return response;
  };
  return Object.assign(fetch as typeof globalThis.fetch, { violations });
}
