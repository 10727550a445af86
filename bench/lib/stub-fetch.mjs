// A `fetch` that answers without any I/O, the way openapi-fetch's own benchmark does: it resolves a ready
// `Response` on the next tick. What is measured is then only what the client does around fetch.
//
// `routes` maps a pathname to the JSON text it answers with. While `fixed` is set (the measured operation) no
// URL is parsed, so every variant pays the same for the stub: building one Response. Request bodies are not
// read (a real fetch would stream them to the socket; section 2 measures that over loopback).

export function createStubFetch(routes) {
  // path → [JSON text, its Content-Length], computed once.
  const texts = Object.fromEntries(
    Object.entries(routes).map(([path, body]) => {
      const text = typeof body === "string" ? body : JSON.stringify(body);
      return [path, [text, String(Buffer.byteLength(text))]];
    }),
  );
  const respond = ([text, length]) =>
    new Response(text, { status: 200, headers: { "content-type": "application/json", "content-length": length } });
  const stub = {
    /** While set ([text, length]), the answer to every request; otherwise the route of the request's pathname. */
    fixed: undefined,
    calls: 0,
    fetch(input) {
      stub.calls++;
      let text = stub.fixed;
      if (text === undefined) {
        const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
        text = texts[url.pathname];
        if (text === undefined) return Promise.reject(new TypeError(`stub fetch: no route for ${url.pathname}`));
      }
      return new Promise((resolve) => process.nextTick(() => resolve(respond(text))));
    },
    /** From now on answer every request with the body of `path`. */
    fix(path) {
      if (!(path in texts)) throw new Error(`stub fetch: no route for ${path}`);
      stub.fixed = texts[path];
    },
  };
  stub.fetch = stub.fetch.bind(stub);
  return stub;
}
