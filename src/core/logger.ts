// Debug logging, done by the transport for every attempt (retries and re-sends included) on the request exactly
// as sent, credentials included — so everything is masked here, before the caller's logger sees it.
import { isForm } from "./form.js";
import type { Redactor } from "./redact.js";

export type LogEvent =
  | { type: "request"; attempt: number; method: string; url: string; headers: Record<string, string>; body?: string }
  | { type: "response"; attempt: number; method: string; url: string; status: number; headers: Record<string, string> }
  | { type: "error"; attempt: number; method: string; url: string; error: string }
  /** A shared store's notice: a value it could not read, a fallback it switched to or from. */
  | { type: "store"; store: string; message: string };

export type Logger = (event: LogEvent) => void;

export async function logRequest(log: Logger, redactor: Redactor, request: Request, attempt: number): Promise<void> {
  let body: string | undefined;
  if (request.body) {
    const text = await request.clone().text();
    body = isForm(request) ? redactor.form(text) : redactor.text(JSON.stringify(redactor.value(safeJson(text))));
  }
  log({ type: "request", attempt, method: request.method, url: redactor.url(request.url), headers: redactor.headers(request.headers), body });
}

export function logResponse(log: Logger, redactor: Redactor, request: Pick<Request, "method" | "url">, response: Response, attempt: number): void {
  log({ type: "response", attempt, method: request.method, url: redactor.url(request.url), status: response.status, headers: redactor.headers(response.headers) });
}

export function logError(log: Logger, redactor: Redactor, request: Pick<Request, "method" | "url">, error: Error, attempt: number): void {
  log({ type: "error", attempt, method: request.method, url: redactor.url(request.url), error: redactor.text(`${error.name}: ${error.message}`) });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
