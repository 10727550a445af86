// The shared auth strategies (src/core/auth.ts): a header credential named by the credential itself or with a
// value that has to be awaited, and the Basic header a named operation gets while its Request is built.
import createClient from "openapi-fetch";
import { describe, expect, it } from "vitest";
import { operations as flipflopOperations } from "../../generated/flipflop.operations.js";
import type { paths as FlipFlopPaths } from "../../generated/flipflop.js";
import { createArctosClient } from "../../src/arctos/index.js";
import { basicAuthFinish, basicCredentials, headerCredential } from "../../src/core/auth.js";
import type { OperationMeta } from "../../src/core/operation.js";
import { json, recordingFetch } from "../helpers/fetch.js";

const ok204 = () => new Response(null, { status: 204 });

describe("headerCredential", () => {
  it("names the header after the credential when given a function (Arctos' license key on the wire layer)", async () => {
    const licenseKey = "arc-license-0123456789abcdef";
    const fetch = recordingFetch(() => json({ status: 1, message: "", info: { code: "c" } }));
    const c = createArctosClient({ licenseKey, baseUrl: "https://arctos.example.test", clientId: "arctos-webapp", user: { user_id: "U-1", name: "Ann", role: "MODERATOR" }, fetch, retry: false });
    const { response } = await c.POST("/api/auth/code", { body: { user_id: "U-1", role: "MODERATOR" } });
    expect(response.status).toBe(200);
    expect(fetch.calls).toHaveLength(1);
    expect(fetch.calls[0]!.headers.get("arc-license-key")).toBe(licenseKey);
  });

  it("sets a value that has to be awaited once it is there, and one at hand at once", async () => {
    const sent: (string | null)[] = [];
    for (const value of [async () => "Token later", () => "Token now"]) {
      const fetch = recordingFetch(() => ok204());
      const client = createClient<FlipFlopPaths>({ baseUrl: "https://flipflop.test", fetch });
      client.use(headerCredential(flipflopOperations, (c) => c.kind === "basic", "Authorization", value));
      await client.DELETE("/v2/apps/me/members/{appUserIds}", { params: { path: { appUserIds: ["1"] } } });
      sent.push(fetch.calls[0]!.headers.get("authorization"));
    }
    expect(sent).toEqual(["Token later", "Token now"]);
  });
});

describe("basicAuthFinish", () => {
  const meta = (kinds: string[]) => ({ credentials: kinds.map((kind) => ({ kind })) }) as unknown as OperationMeta;
  const finish = basicAuthFinish("user", "pass");
  const basic = { headers: { Authorization: `Basic ${basicCredentials("user", "pass")}` } };

  it("gives an operation whose spec lists a Basic credential, among others too, the Basic header", () => {
    expect(finish("op", meta(["basic"]))).toEqual(basic);
    expect(finish("op", meta(["bearer", "basic"]))).toEqual(basic);
  });

  it("adds nothing to an operation without a Basic credential", () => {
    expect(finish("op", meta([]))).toEqual({});
    expect(finish("op", meta(["bearer"]))).toEqual({});
  });
});
