// listAllBroadcasts over a recorded fetch serving pages of broad/list.
import { describe, expect, it } from "vitest";
import { createSoopClient, type BroadListItem } from "../../src/soop/index.js";
import { ValidationError } from "../../src/index.js";
import { json, recordingFetch, type Recorded } from "../helpers/fetch.js";
import { caught } from "../helpers/secrets.js";

const item = (n: number): BroadListItem => ({ broad_no: String(n), user_id: `user${n}`, broad_title: `live ${n}` });

/** Serves `total` broadcasts, 60 a page, reporting `reported` as total_cnt. */
function pages(total: number, reported = total) {
  return (req: Recorded) => {
    const page = Number(req.url.searchParams.get("page_no") ?? 1);
    const from = (page - 1) * 60;
    const broad = Array.from({ length: Math.max(0, Math.min(60, total - from)) }, (_, i) => item(from + i + 1));
    return json({ total_cnt: reported, page_no: page, page_block: 60, broad, time: 1586326329 });
  };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const make = (respond: Parameters<typeof recordingFetch>[0]) => {
  const fetch = recordingFetch(respond);
  return { fetch, c: createSoopClient({ clientId: "cid-1", clientSecret: "secret-1", fetch }) };
};

describe("listAllBroadcasts", () => {
  it("yields every broadcast of three pages and stops at total_cnt", async () => {
    const { c, fetch } = make(pages(150));
    const all = await collect(c.listAllBroadcasts({ select_key: "cate", select_value: "00130000", order_type: "broad_start" }));
    expect(all.map((b) => b.broad_no)).toEqual(Array.from({ length: 150 }, (_, i) => String(i + 1)));
    expect(fetch.calls.map((r) => Object.fromEntries(r.url.searchParams))).toEqual(
      [1, 2, 3].map((p) => ({ select_key: "cate", select_value: "00130000", order_type: "broad_start", page_no: String(p), client_id: "cid-1" })),
    );
  });

  it("stops after a full last page without asking for an empty one", async () => {
    const { c, fetch } = make(pages(120));
    expect(await collect(c.listAllBroadcasts())).toHaveLength(120);
    expect(fetch.calls).toHaveLength(2);
  });

  it("starts at the given page", async () => {
    const { c, fetch } = make(pages(150));
    const all = await collect(c.listAllBroadcasts({ page_no: 2 }));
    expect(all[0]!.broad_no).toBe("61");
    expect(all).toHaveLength(90);
    expect(fetch.calls.map((r) => r.url.searchParams.get("page_no"))).toEqual(["2", "3"]);
  });

  it("stops on an empty page even when total_cnt promises more", async () => {
    const { c, fetch } = make(pages(70, 1000));
    expect(await collect(c.listAllBroadcasts())).toHaveLength(70);
    expect(fetch.calls.map((r) => r.url.searchParams.get("page_no"))).toEqual(["1", "2", "3"]);
  });

  it("sends no request beyond what the consumer reads", async () => {
    const { c, fetch } = make(pages(150));
    for await (const b of c.listAllBroadcasts()) if (b.broad_no === "3") break;
    expect(fetch.calls).toHaveLength(1);
  });

  it("refuses the language call and bad pages before any request", async () => {
    const { c, fetch } = make(pages(10));
    const lang = await caught(() => collect(c.listAllBroadcasts({ select_key: "lang" as never })));
    expect(lang).toBeInstanceOf(ValidationError);
    expect(lang).toMatchObject({ operation: "listBroadcasts" });
    expect(lang.issues).toEqual([
      { path: "query.select_key", rule: "enum", message: "must be cate for listAllBroadcasts (select_key=lang lists languages, not broadcasts)" },
    ]);
    const notANumber = await caught(() => collect(c.listAllBroadcasts({ page_no: "two" as never })));
    expect(notANumber).toBeInstanceOf(ValidationError);
    expect(notANumber.issues[0]).toMatchObject({ path: "query.page_no", rule: "type" });
    expect(fetch.calls).toHaveLength(0);
  });

  it("goes by the page size a page reports (page_block), not by 60", async () => {
    const { c, fetch } = make((req) => {
      const page = Number(req.url.searchParams.get("page_no"));
      return json({ total_cnt: 4, page_no: page, page_block: 2, broad: [item(2 * page - 1), item(2 * page)] });
    });
    expect((await collect(c.listAllBroadcasts())).map((b) => b.broad_no)).toEqual(["1", "2", "3", "4"]);
    expect(fetch.calls).toHaveLength(2);
  });

  it("a page without a broadcast array is a TransportError naming the page", async () => {
    const { c } = make((req, i) => (i === 0 ? pages(150)(req) : json({ total_cnt: 150, page_no: 2, page_block: 60 })));
    const seen: string[] = [];
    const err = await caught(async () => {
      for await (const b of c.listAllBroadcasts()) seen.push(b.broad_no!);
    });
    expect(seen).toHaveLength(60);
    expect(err).toMatchObject({ name: "TransportError", provider: "soop", operation: "listBroadcasts", reason: "invalid-body" });
    expect(err.message).toBe("soop.listBroadcasts: page 2 has no broadcast array");
  });

  it("surfaces a failure envelope on a later page", async () => {
    const { c } = make((req, i) => (i === 0 ? pages(150)(req) : json({ result: -1, msg: "busy" })));
    const seen: string[] = [];
    const err = await caught(async () => {
      for await (const b of c.listAllBroadcasts()) seen.push(b.broad_no!);
    });
    expect(seen).toHaveLength(60);
    expect(err).toMatchObject({ name: "ProviderError", operation: "listBroadcasts", code: -1 });
  });
});
