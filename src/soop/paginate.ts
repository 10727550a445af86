// Every page of broad/list, one broadcast at a time.
import type { components, operations as Operations } from "../../generated/soop.js";
import { provider } from "../../generated/soop.operations.js";
import { TransportError, ValidationError } from "../core/errors.js";

export type BroadListItem = components["schemas"]["BroadListItem"];
export type BroadListResponse = components["schemas"]["BroadListResponse"];
type ListQuery = NonNullable<Operations["listBroadcasts"]["parameters"]["query"]>;

/** broad/list's query without `callback` (answers are unwrapped anyway) and without the language call. */
export type ListAllBroadcastsQuery = Omit<ListQuery, "callback" | "select_key"> & { select_key?: "cate" };

export interface ListAllInit {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** SOOP's documented page size, used when a page does not say (`page_block`). */
const PAGE_SIZE = 60;

type ListPage = (init: { params: { query: ListQuery }; signal?: AbortSignal; headers?: Record<string, string> }) => Promise<BroadListResponse>;

/**
 * Yields every broadcast from page `query.page_no` (default 1) on. Stops after the page that reaches `total_cnt`
 * (as reported by the latest page), and on an empty page, so a list that shifts while it is read can not make it
 * loop forever.
 */
export async function* paginateBroadcasts(list: ListPage, query: ListAllBroadcastsQuery = {}, init: ListAllInit = {}): AsyncGenerator<BroadListItem, void, undefined> {
  if ((query as ListQuery).select_key === "lang") {
    throw new ValidationError(provider, "listBroadcasts", [
      { path: "query.select_key", rule: "enum", message: "must be cate for listAllBroadcasts (select_key=lang lists languages, not broadcasts)" },
    ]);
  }
  const { callback: _ignored, ...rest } = query as ListQuery;
  for (let page = query.page_no ?? 1; ; page++) {
    const data = await list({ ...init, params: { query: { ...rest, page_no: page } } });
    if (!Array.isArray(data.broad)) {
      throw new TransportError({ provider, operation: "listBroadcasts", reason: "invalid-body", message: `page ${page} has no broadcast array` });
    }
    if (data.broad.length === 0) return;
    yield* data.broad;
    if (page * (data.page_block || PAGE_SIZE) >= data.total_cnt) return;
  }
}
