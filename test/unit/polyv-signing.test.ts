// The Polyv signing middleware read against operation shapes the current spec does not (yet) have: it takes every
// placement from each operation's credentials, so these pin that it follows the spec rather than the two operations
// it happens to hold today (both put all four fields in one place). Driven directly, with a made-up index.
import { describe, expect, it } from "vitest";
import type { Credential, OperationIndex, OperationMeta } from "../../src/core/operation.js";
import { FORM } from "../../src/core/form.js";
import { signPolyvParams } from "../../src/polyv/sign.js";
import { polyvSigning, type SigningConfig } from "../../src/polyv/signing.js";

const appSecret = "fsq2k5weced1h8vui657xtdva66whf0g";
const cfg = (extra: Partial<SigningConfig> = {}): SigningConfig => ({
  provider: "polyv",
  appId: "frlr1zazn3",
  appSecret,
  method: "MD5",
  now: () => 1670550787318,
  ...extra,
});
const field = (name: string, where: string): Credential => ({ kind: "field", in: where, name });
const op = (path: string, credentials: Credential[], body?: OperationMeta["body"]): OperationMeta => ({
  method: "POST",
  path,
  retrySafe: false,
  credentials,
  params: {},
  ...(body ? { body } : {}),
  responses: { "200": ["application/json"] },
});
const formBody = { contentType: FORM, required: false, schema: { type: "object" } } as const;
const jsonBody = { contentType: "application/json", required: true, schema: { type: "object" } } as const;

async function run(ops: OperationIndex, request: Request, schemaPath: string, c = cfg()) {
  const mw = polyvSigning(ops, c).middleware;
  const out = await mw.onRequest!({ request, schemaPath, params: {}, options: {}, id: "t" } as never);
  return out as Request | undefined;
}
const post = (path: string, init: RequestInit = {}) => new Request(`https://api.polyv.net${path}`, { method: "POST", ...init });

describe("polyvSigning follows each operation's credentials in the spec", () => {
  it("leaves a request alone that matches no operation, or an operation without a sign", async () => {
    const ops = { unsigned: op("/u", [field("appId", "query")]) };
    expect(await run(ops, post("/nowhere?x=1"), "/nowhere")).toBeUndefined();
    expect(await run(ops, post("/u?x=1"), "/u")).toBeUndefined();
  });

  it("signs with MD5 and sends no signatureMethod where the operation declares none, even for a SHA256 client", async () => {
    const ops = { noMethod: op("/m", [field("appId", "query"), field("timestamp", "query"), field("sign", "query")]) };
    const out = await run(ops, post("/m"), "/m", cfg({ method: "SHA256" }));
    const q = Object.fromEntries(new URL(out!.url).searchParams);
    const unsigned = { appId: "frlr1zazn3", timestamp: "1670550787318" };
    expect(q).toEqual({ ...unsigned, sign: signPolyvParams(unsigned, appSecret, "MD5") });
  });

  it("puts each field where its operation says, and signs query and form together when the sign is in the form", async () => {
    const ops = { mixed: op("/x", [field("appId", "query"), field("timestamp", "body"), field("sign", "body")], formBody) };
    const body = new URLSearchParams({ channelId: "2191532" }).toString();
    const out = await run(ops, post("/x", { body, headers: { "content-type": FORM } }), "/x");
    const q = Object.fromEntries(new URL(out!.url).searchParams);
    const f = Object.fromEntries(new URLSearchParams(await out!.text()));
    expect(q).toEqual({ appId: "frlr1zazn3" });
    const signed = { appId: "frlr1zazn3", channelId: "2191532", timestamp: "1670550787318" };
    expect(f).toEqual({ channelId: "2191532", timestamp: "1670550787318", sign: signPolyvParams(signed, appSecret, "MD5") });
  });

  it("signs the query alone when the sign is in the query, whatever travels in a form body", async () => {
    const ops = { v4ish: op("/q", [field("appId", "query"), field("timestamp", "body"), field("sign", "query")], formBody) };
    const body = new URLSearchParams({ channelId: "2191532" }).toString();
    const out = await run(ops, post("/q", { body, headers: { "content-type": FORM } }), "/q");
    const q = Object.fromEntries(new URL(out!.url).searchParams);
    expect(q).toEqual({ appId: "frlr1zazn3", sign: signPolyvParams({ appId: "frlr1zazn3" }, appSecret, "MD5") });
  });

  it("sends only the signing fields for a form operation called without a body", async () => {
    const all = ["appId", "timestamp", "sign"].map((n) => field(n, "body"));
    const out = await run({ bare: op("/b", all, formBody) }, post("/b"), "/b");
    const f = Object.fromEntries(new URLSearchParams(await out!.text()));
    const unsigned = { appId: "frlr1zazn3", timestamp: "1670550787318" };
    expect(f).toEqual({ ...unsigned, sign: signPolyvParams(unsigned, appSecret, "MD5") });
    expect(out!.headers.get("content-type")).toBe(FORM);
  });

  it("refuses, when the client is made, a spec that puts a signing field where it can not be signed", () => {
    const inHeader = { h: op("/h", [field("sign", "header")]) };
    expect(() => polyvSigning(inHeader, cfg())).toThrow("polyv.h: `sign` in header can not be signed");
    const jsonForm = { j: op("/j", [field("sign", "body")], jsonBody) };
    expect(() => polyvSigning(jsonForm, cfg())).toThrow("polyv.j: `sign` needs a form body");
    const noBody = { n: op("/n", [field("appId", "query"), field("sign", "body")]) };
    expect(() => polyvSigning(noBody, cfg())).toThrow("polyv.n: `sign` needs a form body");
  });
});
