import type { ApiVersion, ExportParams, ListPage } from "@resonantgenesis/schemas";
import type { APIPromise } from "../core/api-promise.js";
import type { Caller, Out, SchemaName } from "../internal/caller.js";
import type { RequestOptions } from "../core/options.js";
import type { Page, PagePromise } from "../core/pagination.js";

/** Walk `GET /<kind>/export` with the list machinery: its pages become list pages. */
export function exportPages<V extends ApiVersion, T>(
  caller: Caller<V>,
  kind: string,
  answer: SchemaName<V>,
  params: ExportParams,
  options: RequestOptions | undefined,
  keepText?: (page: Page<T>, text: string) => void,
  maxBytes?: number,
): PagePromise<T> {
  return caller.list<SchemaName<V>, T>(
    { method: "GET", path: `${kind}/export`, query: params, options, maxBytes },
    answer,
    { query: "ExportParams" },
    (body): ListPage<T> => {
      // An export page keys its items by the kind, which the schema name alone cannot say to the compiler.
      const page = body as Record<string, unknown>;
      const nextCursor = (page.next_cursor as string | null) ?? null;
      return { object: "list", data: page[kind] as T[], has_more: nextCursor !== null, next_cursor: nextCursor };
    },
    keepText,
  );
}

/** `POST /<kind>/import` with the body checked first. */
export function importBatch<V extends ApiVersion>(
  caller: Caller<V>,
  kind: string,
  request: SchemaName<V>,
  body: unknown,
  options: RequestOptions | undefined,
): APIPromise<Out<V, "ImportResult">> {
  const spec = { method: "POST", path: `${kind}/import`, body, options } as const;
  return caller.request(spec, "ImportResult", { body: request, carried: true });
}
