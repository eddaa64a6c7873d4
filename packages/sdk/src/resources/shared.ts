import type { ApiVersion, ExportParams as ExportParamsType, ListPage } from "@resonantgenesis/schemas";
import { ExportParams } from "@resonantgenesis/schemas";
import type * as z from "zod/mini";
import type { APIPromise } from "../core/api-promise.js";
import type { Caller } from "../core/caller.js";
import type { RequestOptions } from "../core/options.js";
import type { PagePromise } from "../core/pagination.js";
import { validateRequest } from "../core/validate.js";

/** Walk `GET /<kind>/export` with the list machinery: its pages become list pages. */
export function exportPages<V extends ApiVersion, T>(
  caller: Caller<V>,
  kind: string,
  schema: z.ZodMiniType,
  params: ExportParamsType,
  options: RequestOptions | undefined,
): PagePromise<T> {
  validateRequest(ExportParams, params, "params");
  return caller.list<T>(
    { method: "GET", path: `${kind}/export`, query: params, options },
    schema,
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
  schema: z.ZodMiniType,
  body: unknown,
  options: RequestOptions | undefined,
): APIPromise<R> {
  validateRequest(schema, body, "body");
  return caller.request<R>({ method: "POST", path: `${kind}/import`, body, options }, caller.schemas.ImportResult);
}
