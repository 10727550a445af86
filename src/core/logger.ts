// Debug logging as middleware, registered last so it sees the request exactly as sent (credentials included)
// and masks them before the caller's logger does.
import type { Middleware } from "openapi-fetch";
import { isForm } from "./form.js";
import type { Redactor } from "./redact.js";

export type LogEvent =
  | { type: "request"; method: string; url: string; headers: Record<string, string>; body?: string }
  | { type: "response"; method: string; url: string; status: number; headers: Record<string, string> };

export function loggingMiddleware(log: (event: LogEvent) => void, redactor: Redactor): Middleware {
  return {
    async onRequest({ request }) {
      let body: string | undefined;
      if (request.body) {
        const text = await request.clone().text();
        body = isForm(request) ? redactor.form(text) : redactor.text(JSON.stringify(redactor.value(safeJson(text))));
      }
      log({ type: "request", method: request.method, url: redactor.url(request.url), headers: redactor.headers(request.headers), body });
      return undefined;
    },
    onResponse({ request, response }) {
      log({ type: "response", method: request.method, url: redactor.url(request.url), status: response.status, headers: redactor.headers(response.headers) });
      return undefined;
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
