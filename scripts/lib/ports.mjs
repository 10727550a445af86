// Where `npm start` puts each provider's mock: fixed, documented ports so the docs can name them.
// STREAMSPEC_MOCK_PORT_BASE moves the whole range (default 4010: first provider 4010, next 4011, ...).
export const mockPortBase = Number(process.env.STREAMSPEC_MOCK_PORT_BASE ?? 4010);
export const docsPort = Number(process.env.STREAMSPEC_DOCS_PORT ?? 8080);

export function mockUrl(index) {
  return `http://127.0.0.1:${mockPortBase + index}`;
}
