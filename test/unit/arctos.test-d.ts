// Type assertions, run by vitest's typecheck (vitest.config.ts: typecheck.include) inside `npm test`.
import { describe, expectTypeOf, it } from "vitest";
import type { ArctosClient } from "../../src/arctos/index.js";

declare const c: ArctosClient;

describe("Arctos client types", () => {
  it("the methods resolve to the success envelope (a failure body is thrown, never returned)", () => {
    type Checked = Awaited<ReturnType<ArctosClient["checkAuthToken"]>>;
    expectTypeOf<Checked["status"]>().toEqualTypeOf<1 | 2>();
    expectTypeOf<Checked["info"]["role"]>().toEqualTypeOf<string>();
    expectTypeOf<Awaited<ReturnType<ArctosClient["getAuthTokenUseCode"]>>["info"]["access_token"]>().toEqualTypeOf<string>();
    expectTypeOf<Awaited<ReturnType<ArctosClient["getAuthCode"]>>["info"]["code"]>().toEqualTypeOf<string>();
  });

  it("login() resolves to the token", () => {
    expectTypeOf(c.login).toEqualTypeOf<() => Promise<string>>();
  });
});
