import type { ApiVersion, ExportParams, ListPage } from "@resonantgenesis/schemas";
import type { APIPromise } from "../core/api-promise.js";
import type { Caller, SchemaName } from "../core/caller.js";
import type { RequestOptions } from "../core/options.js";
import type { PagePromise } from "../core/pagination.js";

/** Walk `GET /<kind>/export` with the list machinery: its pages become list pages. */
export function exportPages<V extends ApiVersion, T>(
  caller: Caller<V>,
  kind: string,
  answer: SchemaName<V>,
  params: ExportParams,
  options: RequestOptions | undefined,
): PagePromise<T> {
  return caller.list<T>(
    { method: "GET", path: `${kind}/export`, query: params, options },
    answer,
    { query: "ExportParams" as SchemaName<V> },
    (body: Record<string, unknown>): ListPage<T> => {
      const nextCursor = (body.next_cursor as string | null) ?? null;
      return { object: "list", data: body[kind] as T[], has_more: nextCursor !== null, next_cursor: nextCursor };
    },
  );
}

/** `POST /<kind>/import` with the body checked first. */
export function importBatch<V extends ApiVersion, R>(
  caller: Caller<V>,
  kind: string,
  request: SchemaName<V>,
  body: unknown,
  options: RequestOptions | undefined,
): APIPromise<R> {
  const spec = { method: "POST", path: `${kind}/import`, body, options } as const;
  return caller.request<R>(spec, "ImportResult" as SchemaName<V>, { body: request, carried: true });
}
