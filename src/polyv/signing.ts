// Signs every Polyv request as middleware, so the wire layer (client.POST) is signed like the named operations.
// Where appId, timestamp, signatureMethod and sign go comes from each operation's credentials in the spec:
// in the query (v4 JSON endpoints: only the query is signed) or in the form body (v2 form endpoints: every
// parameter except sign is signed).
import type { Middleware } from "openapi-fetch";
import { ConfigError } from "../core/errors.js";
import { FORM, operationLookup } from "../core/form.js";
import { rebuild } from "../core/request.js";
import type { OperationIndex, OperationMeta } from "../core/operation.js";
import { nonBlank, signPolyvParams, type PolyvSignatureMethod } from "./sign.js";

export interface SigningConfig {
  provider: string;
  appId: string;
  appSecret: string;
  method: PolyvSignatureMethod;
  now: () => number;
}

type Place = "query" | "body";

/** Where the spec puts each signing field of one operation; undefined when it is not signed at all. */
interface Plan {
  sign: Place;
  appId?: Place;
  timestamp?: Place;
  signatureMethod?: Place;
}

function planFor(provider: string, id: string, meta: OperationMeta): Plan | undefined {
  const place = (name: string): Place | undefined => {
    const c = meta.credentials.find((x) => x.kind === "field" && x.name === name);
    if (!c || !("in" in c)) return undefined;
    if (c.in !== "query" && c.in !== "body") throw new Error(`${provider}.${id}: \`${name}\` in ${c.in} can not be signed`);
    if (c.in === "body" && meta.body?.contentType !== FORM) throw new Error(`${provider}.${id}: \`${name}\` needs a form body`);
    return c.in;
  };
  const sign = place("sign");
  if (!sign) return undefined;
  return { sign, appId: place("appId"), timestamp: place("timestamp"), signatureMethod: place("signatureMethod") };
}

/** The signed query string and form text of one request, from the query and form text it was built with. */
function signed(plan: Plan, cfg: SigningConfig, search: string, formText: string | undefined): { search: string; form?: string } {
  // SHA256 only where the spec lets us say so; without signatureMethod the server assumes MD5.
  const method: PolyvSignatureMethod = plan.signatureMethod ? cfg.method : "MD5";
  const supplied: Record<string, string | undefined> = {
    appId: cfg.appId,
    timestamp: timestamp(cfg),
    signatureMethod: method === "MD5" ? undefined : method,
  };
  const query = nonBlank(Object.fromEntries(new URLSearchParams(search)));
  const form = formText === undefined ? undefined : nonBlank(Object.fromEntries(new URLSearchParams(formText)));
  const at = (place: Place) => (place === "query" ? query : form!);

  for (const name of ["appId", "timestamp", "signatureMethod", "sign"] as const) {
    const place = plan[name];
    if (!place) continue;
    delete at(place)[name]; // the caller never sets these; whatever came along is replaced
    if (supplied[name] !== undefined) at(place)[name] = supplied[name]!;
  }
  // v4: the query alone is signed; v2: every parameter of the request.
  const all = plan.sign === "query" ? query : { ...query, ...form };
  at(plan.sign).sign = signPolyvParams(all, cfg.appSecret, method);
  return { search: new URLSearchParams(query).toString(), form: form && new URLSearchParams(form).toString() };
}

export interface PolyvSigning {
  middleware: Middleware;
  /**
   * For a named operation whose signature goes only into the query (v4): a step that signs the query string as
   * openapi-fetch serialises it, so the Request is built signed instead of being rebuilt by the middleware.
   * The result is the same as the middleware's: both run `signed` above.
   */
  query(operationId: string): ((search: string) => string) | undefined;
}

export function polyvSigning(operations: OperationIndex, cfg: SigningConfig): PolyvSigning {
  const lookup = operationLookup(operations);
  const plans = new Map<string, Plan | undefined>();
  for (const [id, meta] of Object.entries(operations)) plans.set(id, planFor(cfg.provider, id, meta));

  const middleware: Middleware = {
    async onRequest({ request, schemaPath }) {
      const id = lookup(request.method, schemaPath)?.[0];
      const plan = id === undefined ? undefined : plans.get(id);
      if (!plan) return undefined;

      const url = new URL(request.url);
      const usesBody = Object.values(plan).includes("body");
      // The request is replaced below, so its form body is read, not cloned.
      const formText = usesBody ? (request.body ? await request.text() : "") : undefined;
      const done = signed(plan, cfg, url.search, formText);
      url.search = done.search;
      if (done.form === undefined) return rebuild(request, url, { method: request.method, headers: request.headers, body: request.body });
      const headers = new Headers(request.headers);
      headers.set("content-type", FORM);
      return rebuild(request, url, { method: request.method, headers, body: done.form });
    },
  };
  return {
    middleware,
    query(id) {
      const plan = plans.get(id);
      if (!plan || Object.values(plan).includes("body")) return undefined;
      return (search) => signed(plan, cfg, search, undefined).search;
    },
  };
}

/** A fresh 13-digit millisecond timestamp for every request (Polyv accepts it for 3 minutes). */
function timestamp(cfg: SigningConfig): string {
  const value = String(Math.trunc(cfg.now()));
  if (!/^\d{13}$/.test(value)) throw new ConfigError(cfg.provider, "now", "must return the current time in milliseconds (13 digits)");
  return value;
}
