// The success bodies the stub fetch and the loopback server answer with (the specs' own success examples),
// by pathname. They are valid success envelopes, so every SDK call does its full work.
export const ROUTES = {
  "/v2/apps/me/members/login": { accessToken: "eyJhbGciOiJIUzI1NiJ9.member-access-token", streamingToken: "member-streaming-token" },
  "/live/v4/user/custom-field/viewer-value/save": {
    code: 200,
    status: "success",
    requestId: "78de516b69364aeabe7d080e7228cc5c.77.16705507903976231",
    data: null,
    success: true,
  },
  "/broad/info/update": { result: 1, msg: "Broadcast information change processed successfully." },
  "/api/auth/code": { status: 1, message: "", info: { code: "XXXXXXXXXXXXXXXXXXXX" } },
  "/api/auth/login": { status: 1, message: "", info: { user_id: 1010000010, access_token: "eyJ0eXAiOiJKV1QiLCXXXXXXXXX" } },
  "/api/auth/check": { status: 1, message: "", info: { client_id: "arctos-switch", user_id: 1010000006, role: "SWITCH" } },
};

