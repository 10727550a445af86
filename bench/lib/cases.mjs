// One representative operation per provider, in four variants that do the same work:
//   sdk  — the named operation (validation, auth/signing, envelope check, transport policy)
//   wire — the same request through the client's openapi-fetch layer (client.POST), middleware and transport included
//   bare — openapi-fetch's createClient with no middleware: same path and body, no auth, no validation
//   raw  — fetch-style code doing the SDK's work by hand: URL, headers (auth/signature), body, fetch, JSON, envelope
// Every variant (bare included) checks the answer is the expected success and throws otherwise, so none can get
// away with less work.
//   axios — peer: what a hand-written SDK on axios does (the approach of Polyv's official TypeScript SDK,
//           polyv-live-api-sdk: an axios instance with a timeout, a request interceptor that adds the credentials,
//           Polyv's signature computed by hand with node:crypto, and an envelope check on the answer). Over a stub
//           `fetch` it runs axios' fetch adapter with that fetch; over loopback, axios' default (node:http) adapter.
//   ky    — peer: ky (the most-used fetch wrapper with retries and timeouts) with a beforeRequest hook for the
//           credentials, its per-request timeout, and retries limited to the methods the spec marks retry-safe.
import { createHash } from "node:crypto";
import axios from "axios";
import ky from "ky";
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

// The peers get the same per-attempt timeout as streamspec's default (30 s). streamspec retries only what the spec
// marks retry-safe; ky gets the same rule (none of the measured operations is retry-safe: all are POSTs).
const TIMEOUT_MS = 30_000;
const md5Upper = (text) => createHash("md5").update(text, "utf8").digest("hex").toUpperCase();

/** An axios instance as a hand-written SDK sets it up: base URL, timeout, over `fetch` when one is given (the stub). */
function axiosPeer({ fetch, baseUrl, loopback }) {
  return axios.create({ baseURL: baseUrl, timeout: TIMEOUT_MS, ...(loopback ? {} : { adapter: "fetch", env: { fetch } }) });
}

/** A ky instance: prefix URL, timeout, retries only for retry-safe methods (none of the measured calls). */
function kyPeer({ fetch, baseUrl }, beforeRequest) {
  return ky.create({ prefixUrl: baseUrl, fetch, timeout: TIMEOUT_MS, retry: { limit: 2, methods: ["get"] }, hooks: { beforeRequest: beforeRequest ? [beforeRequest] : [] } });
}

const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;

export const CASES = {
  flipflop: {
    operation: "loginMember",
    path: "/v2/apps/me/members/login",
    defaultBaseUrl: "https://api.flipflop.cloud",
    async create({ fetch, baseUrl, loopback = false }) {
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
      const ax = axiosPeer({ fetch, baseUrl, loopback });
      ax.interceptors.request.use((config) => {
        config.headers.set("Authorization", authorization);
        return config;
      });
      const k = kyPeer({ fetch, baseUrl }, (request) => request.headers.set("Authorization", authorization));
      return {
        sdk: async () => check(await client.loginMember({ body })),
        wire: async () => check(okWire(await client.POST(path, { body }))),
        bare: async () => check(okWire(await bare.POST(path, { body }))),
        raw: async () => {
          const res = await fetch(url, { method: "POST", headers: { authorization, "content-type": "application/json" }, body: JSON.stringify(body) });
          const data = await res.json();
          return res.ok ? check(data) : fail("raw", data);
        },
        axios: async () => check((await ax.post(path, body)).data),
        ky: async () => check(await k.post(path.slice(1), { json: body }).json()),
      };
    },
  },

  polyv: {
    operation: "saveViewerCustomFieldValues",
    path: "/live/v4/user/custom-field/viewer-value/save",
    defaultBaseUrl: "https://api.polyv.net",
    async create({ fetch, baseUrl, items = 1, loopback = false }) {
      const { createPolyvClient } = await load("polyv");
      const appId = "bench-app-id";
      const appSecret = "bench-app-secret";
      const client = createPolyvClient({ appId, appSecret, fetch, baseUrl, rateLimit: false });
      const bare = createClient({ baseUrl, fetch });
      const body = polyvItems(items);
      const path = this.path;
      const check = (data) => (data?.code === 200 && data.success !== false ? data : fail("saveViewerCustomFieldValues", data));
      // As polyv-live-api-sdk does it: a request interceptor signs appId + timestamp + the query parameters
      // (keys sorted, key+value concatenated, wrapped in the appSecret, MD5 upper-case hex) and adds them to the query.
      const signed = (params) => {
        const all = { appId, timestamp: Date.now(), ...params };
        const joined = Object.keys(all).sort().map((key) => key + all[key]).join("");
        return { ...all, sign: md5Upper(appSecret + joined + appSecret) };
      };
      const ax = axiosPeer({ fetch, baseUrl, loopback });
      ax.interceptors.request.use((config) => {
        config.params = signed(config.params);
        return config;
      });
      const k = kyPeer({ fetch, baseUrl });
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
        axios: async () => check((await ax.post(path, body)).data),
        ky: async () => check(await k.post(path.slice(1), { searchParams: signed({}), json: body }).json()),
      };
    },
  },

  soop: {
    operation: "updateBroadcastInfo",
    path: "/broad/info/update",
    defaultBaseUrl: "https://openapi.sooplive.co.kr",
    async create({ fetch, baseUrl, loopback = false }) {
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
      // SOOP takes the token as a form field: the peers add it where the body is built.
      const ax = axiosPeer({ fetch, baseUrl, loopback });
      const k = kyPeer({ fetch, baseUrl });
      const withToken = (b) => new URLSearchParams({ ...b, access_token: accessToken });
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
        axios: async () => check((await ax.post(path, withToken(body))).data),
        ky: async () => check(await k.post(path.slice(1), { body: withToken(body) }).json()),
      };
    },
  },

  arctos: {
    operation: "checkAuthToken",
    path: "/api/auth/check",
    defaultBaseUrl: "https://arctos.bench.example",
    async create({ fetch, baseUrl, loopback = false }) {
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
      const ax = axiosPeer({ fetch, baseUrl, loopback });
      ax.interceptors.request.use((config) => {
        config.headers.set("Authorization", authorization);
        return config;
      });
      const k = kyPeer({ fetch, baseUrl }, (request) => request.headers.set("Authorization", authorization));
      return {
        sdk: async () => check(await client.checkAuthToken()),
        wire: async () => check(okWire(await client.POST(path))),
        bare: async () => check(okWire(await bare.POST(path))),
        raw: async () => {
          const res = await fetch(url, { method: "POST", headers: { authorization } });
          const data = await res.json();
          return res.ok && data?.status !== 0 ? check(data) : fail("raw", data);
        },
        axios: async () => check((await ax.post(path)).data),
        ky: async () => check(await k.post(path.slice(1)).json()),
      };
    },
  },
};

export const PROVIDERS = Object.keys(CASES);
