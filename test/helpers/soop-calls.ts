// The smallest valid call of every SOOP operation, for the unit tests that go through all of them.
import type { SoopClient, operations } from "../../src/soop/index.js";

/** The smallest valid call of every operation. */
export const soopCalls: Record<keyof typeof operations, (c: SoopClient) => Promise<unknown>> = {
  getAuthCode: (c) => c.getAuthCode(),
  issueAuthCode: (c) => c.issueAuthCode({ body: { auth_type: "api", certification_number: 111111 } }),
  issueToken: (c) => c.issueToken({ body: { grant_type: "authorization_code", code: "code-1234" } }),
  getRtmpInfo: (c) => c.getRtmpInfo({ body: { platform_type: "SOOP" } }),
  updateBroadcastInfo: (c) => c.updateBroadcastInfo({ body: { title: "Late night" } }),
  resetStreamKey: (c) => c.resetStreamKey(),
  listBroadcasts: (c) => c.listBroadcasts(),
  getAquaComponent: (c) => c.getAquaComponent({ body: { platform_type: "pc", component_type: "chat" } }),
  upsertFilter: (c) => c.upsertFilter({ params: { path: { type: "keyword" } }, body: { keyword: "toto", reason: "spam" } }),
  deleteFilter: (c) => c.deleteFilter({ params: { path: { type: "streamer" } }, body: { black_id: "soop1" } }),
  listFilters: (c) => c.listFilters({ params: { path: { type: "category" } } }),
  listCategories: (c) => c.listCategories({ params: { query: { locale: "en_US" } } }),
  getEmbedInfo: (c) => c.getEmbedInfo({ params: { query: { vod_url: "https://vod.sooplive.co.kr/player/71021072" } } }),
  postEmbedInfo: (c) => c.postEmbedInfo({ body: { vod_url: "https://vod.sooplive.co.kr/player/71021072", width: 640 } }),
  getStationInfo: (c) => c.getStationInfo(),
};
