// Type assertions for the pinned public API (shared/design.md), run by vitest's typecheck inside `npm test`.
import { describe, expectTypeOf, it } from "vitest";
import type { FlipFlopClient } from "../../src/flipflop/index.js";
import type { PolyvClient } from "../../src/polyv/index.js";
import type { SoopClient } from "../../src/soop/index.js";

declare const flipflop: FlipFlopClient;
declare const polyv: PolyvClient;
declare const soop: SoopClient;

describe("named operations resolve to the typed success body", () => {
  it("FlipFlop", () => {
    expectTypeOf(flipflop.loginMember).returns.resolves.toMatchObjectType<{ accessToken: string; streamingToken: string }>();
    expectTypeOf(flipflop.deleteMembers).returns.resolves.toEqualTypeOf<undefined>();
  });
});

describe("credentials the middleware supplies are never asked of the caller", () => {
  it("FlipFlop: a call takes only its own input; appUserIds is an array", () => {
    expectTypeOf(flipflop.loginMember).toBeCallableWith({ body: { appUserId: "member42" } });
    expectTypeOf(flipflop.deleteMembers).toBeCallableWith({ params: { path: { appUserIds: ["1", "2"] } } });
  });

  it("Polyv: appId, timestamp, signatureMethod and sign are neither needed nor offered", () => {
    expectTypeOf(polyv.saveViewerCustomFieldValues).toBeCallableWith({ body: [{ viewerId: "v", customFieldId: "PAY_ORDER", customFieldValue: "x" }] });
    expectTypeOf(polyv.updateChannelOauthCustom).toBeCallableWith({ body: { customUri: "https://example.com/auth" } });
    type FormBody = NonNullable<Parameters<PolyvClient["updateChannelOauthCustom"]>[0]>["body"];
    expectTypeOf<Extract<keyof FormBody, "appId" | "timestamp" | "sign" | "signatureMethod">>().toEqualTypeOf<never>();
  });

  it("SOOP: access_token, client_id and client_secret are neither needed nor offered", () => {
    expectTypeOf(soop.resetStreamKey).toBeCallableWith();
    expectTypeOf(soop.updateBroadcastInfo).toBeCallableWith({ body: { title: "Late night" } });
    type Body = NonNullable<NonNullable<Parameters<SoopClient["updateBroadcastInfo"]>[0]>["body"]>;
    expectTypeOf<Extract<keyof Body, "access_token" | "client_id" | "client_secret">>().toEqualTypeOf<never>();
  });
});
