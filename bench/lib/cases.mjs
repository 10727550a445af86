// One representative operation per provider, in four variants that do the same work:
//   sdk  — the named operation (validation, auth/signing, envelope check, transport policy)
//   wire — the same request through the client's openapi-fetch layer (client.POST), middleware and transport included
//   bare — openapi-fetch's createClient with no middleware: same path and body, no auth, no validation
//   raw  — fetch-style code doing the SDK's work by hand: URL, headers (auth/signature), body, fetch, JSON, envelope
// Every variant (bare included) checks the answer is the expected success and throws otherwise, so none can get
// away with less work.
import { createHash } from "node:crypto";
import createClient from "openapi-fetch";
import { ROUTES } from "./routes.mjs";

export { ROUTES };

const DIST = new URL("../../dist/src/", import.meta.url);
const load = (provider) => import(new URL(`${provider}/index.js`, DIST).href);

const fail = (what, value) => {
  throw new Error(`${what}: unexpected answer ${JSON.stringify(value)?.slice(0, 200)}`);
};
const okWire = ({ data, error, response }) => (error === undefined && response.ok ? data : fail("wire", error));

/** Polyv v4 body of `n` viewer custom-field values (also used by the scaling section). */
export function polyvItems(n) {
  return Array.from({ length: n }, (_, i) => ({ viewerId: `viewer-${i + 1}`, customFieldId: "PAY_ORDER", customFieldValue: "已支付" }));
}

const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;

export const CASES = {
  flipflop: {
    operation: "loginMember",
    path: "/v2/apps/me/members/login",
    defaultBaseUrl: "https://api.flipflop.cloud",
    async create({ fetch, baseUrl }) {
      const { createFlipFlopClient } = await load("flipflop");
      const apiKey = "bench-api-key";
      const apiSecret = "bench-api-secret";
      const client = createFlipFlopClient({ apiKey, apiSecret, fetch, baseUrl });
      const bare = createClient({ baseUrl, fetch });
      const body = { appUserId: "member42", appUserName: "Ann", customData: { plan: "gold" } };
      const path = this.path;
      const url = `${baseUrl}${path}`;
      const authorization = basic(apiKey, apiSecret);
      const check = (data) => (typeof data?.accessToken === "string" ? data : fail("loginMember", data));
      return {
        sdk: async () => check(await client.loginMember({ body })),
        wire: async () => check(okWire(await client.POST(path, { body }))),
        bare: async () => check(okWire(await bare.POST(path, { body }))),
        raw: async () => {
          const res = await fetch(url, { method: "POST", headers: { authorization, "content-type": "application/json" }, body: JSON.stringify(body) });
          const data = await res.json();
          return res.ok ? check(data) : fail("raw", data);
        },
      };
    },
  },

  polyv: {
    operation: "saveViewerCustomFieldValues",
    path: "/live/v4/user/custom-field/viewer-value/save",
    defaultBaseUrl: "https://api.polyv.net",
    async create({ fetch, baseUrl, items = 1 }) {
      const { createPolyvClient } = await load("polyv");
      const appId = "bench-app-id";
      const appSecret = "bench-app-secret";
      const client = createPolyvClient({ appId, appSecret, fetch, baseUrl, rateLimit: false });
      const bare = createClient({ baseUrl, fetch });
      const body = polyvItems(items);
      const path = this.path;
      const check = (data) => (data?.code === 200 && data.success !== false ? data : fail("saveViewerCustomFieldValues", data));
      return {
        sdk: async () => check(await client.saveViewerCustomFieldValues({ body })),
        wire: async () => check(okWire(await client.POST(path, { body }))),
        bare: async () => check(okWire(await bare.POST(path, { body }))),
        raw: async () => {
          // v4: appId, timestamp and sign in the query; sign = UPPER(MD5(secret + k1v1k2v2... + secret)), keys sorted.
          const timestamp = String(Date.now());
          const sign = createHash("md5").update(`${appSecret}appId${appId}timestamp${timestamp}${appSecret}`, "utf8").digest("hex").toUpperCase();
          const res = await fetch(`${baseUrl}${path}?appId=${encodeURIComponent(appId)}&timestamp=${timestamp}&sign=${sign}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(body),
          });
          const data = await res.json();
          return res.ok ? check(data) : fail("raw", data);
        },
      };
    },
  },

  soop: {
    operation: "updateBroadcastInfo",
    path: "/broad/info/update",
    defaultBaseUrl: "https://openapi.sooplive.co.kr",
    async create({ fetch, baseUrl }) {
      const { createSoopClient } = await load("soop");
      const accessToken = "bench-soop-access-token";
      const client = createSoopClient({
        clientId: "bench-client-id",
        clientSecret: "bench-client-secret",
        fetch,
        baseUrl,
        // A fresh token: no refresh happens while measuring.
        token: { accessToken, refreshToken: "bench-soop-refresh-token", expiresAt: Date.now() + 24 * 3600 * 1000 },
      });
      const form = "application/x-www-form-urlencoded";
      const bare = createClient({ baseUrl, fetch });
      const formSerializer = (b) => new URLSearchParams(b).toString();
      const body = { title: "Tonight: speedrun practice", category: "00130000", language: "ko_KR", hashtags: "game,speedrun" };
      const path = this.path;
      const url = `${baseUrl}${path}`;
      const check = (data) => (typeof data?.result === "number" && data.result > 0 ? data : fail("updateBroadcastInfo", data));
      return {
        sdk: async () => check(await client.updateBroadcastInfo({ body })),
        // The wire layer takes a plain object body for a form operation and encodes it (formBodyMiddleware).
        wire: async () => check(okWire(await client.POST(path, { body }))),
        bare: async () => check(okWire(await bare.POST(path, { body, bodySerializer: formSerializer, headers: { "Content-Type": form } }))),
        raw: async () => {
          const res = await fetch(url, {
            method: "POST",
            headers: { "content-type": form },
            body: new URLSearchParams({ ...body, access_token: accessToken }).toString(),
          });
          const data = await res.json();
          return res.ok ? check(data) : fail("raw", data);
        },
      };
    },
  },

  arctos: {
    operation: "checkAuthToken",
    path: "/api/auth/check",
    defaultBaseUrl: "https://arctos.bench.example",
    async create({ fetch, baseUrl }) {
      const { createArctosClient } = await load("arctos");
      const client = createArctosClient({
        licenseKey: "bench-license-key",
        baseUrl,
        clientId: "arctos-webapp",
        user: { user_id: "USER-12345678", name: "Ann", role: "MODERATOR" },
        fetch,
      });
      const token = await client.login(); // getAuthCode + getAuthTokenUseCode, answered by the stub or the server
      const bare = createClient({ baseUrl, fetch });
      const path = this.path;
      const url = `${baseUrl}${path}`;
      const authorization = `Bearer ${token}`;
      const check = (data) => (data?.status === 1 || data?.status === 2 ? data : fail("checkAuthToken", data));
      return {
        sdk: async () => check(await client.checkAuthToken()),
        wire: async () => check(okWire(await client.POST(path))),
        bare: async () => check(okWire(await bare.POST(path))),
        raw: async () => {
          const res = await fetch(url, { method: "POST", headers: { authorization } });
          const data = await res.json();
          return res.ok && data?.status !== 0 ? check(data) : fail("raw", data);
        },
      };
    },
  },
};

export const PROVIDERS = Object.keys(CASES);
