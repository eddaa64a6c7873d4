import {
  archiveHeader,
  KIND_TABLE,
  kindsOf,
  RECORD_KIND,
  versionAtLeast,
  type ApiVersion,
  type Kind,
} from "@resonantgenesis/schemas/meta";
import type { Caller, SchemaName } from "../internal/caller.js";
import type { RequestOptions } from "../core/options.js";
import type { Page, PagePromise } from "../core/pagination.js";
import { ResponseValidationError } from "../core/errors.js";
import type { ExportRecord } from "./data.js";
import { later } from "./later.js";
import { exportPages } from "./shared.js";

/** One kind of an archive. */
export type ArchiveKind = Kind;

/** Whether a version lists `kind` rather than exports it (webhooks before 1.2): its pages then hold the items under `data`. */
function listsKind(version: ApiVersion, kind: ArchiveKind): boolean {
  return !versionAtLeast(version, KIND_TABLE[kind].exportSince);
}

/**
 * Every object of one kind, page by page: its export where the version has
 * one, else its list. `keepText` is handed each page with its answer's text.
 */
function pagesOf<V extends ApiVersion>(
  caller: Caller<V>,
  kind: ArchiveKind,
  options?: RequestOptions,
  keepText?: (page: Page<unknown>, text: string) => void,
): PagePromise<unknown> {
  const { exportPage, list } = KIND_TABLE[kind];
  // A version without the kind's export (webhooks before 1.2) lists it: the same objects, without secrets.
  if (listsKind(caller.apiVersion, kind)) {
    const spec = { method: "GET", path: kind, query: { limit: 100 }, options } as const;
    return caller.list<SchemaName<V>, unknown>(spec, list as SchemaName<V>, {}, undefined, keepText);
  }
  return exportPages(caller, kind, exportPage as SchemaName<V>, {}, options, keepText);
}

/** Assemble the archive of a 1.0 or 1.1 account from every kind's pages (in exact-records.ts, loaded for it). */
export async function collectArchive<V extends ApiVersion>(
  caller: Caller<V>,
  options?: RequestOptions,
): Promise<unknown> {
  const header = archiveHeader(caller.apiVersion);
  return (await import("./exact-records.js")).collectArchive(pagedKinds(caller, options), header);
}

/** Every kind of the pinned version as paged-text.ts and exact-records.ts read it. */
function pagedKinds<V extends ApiVersion>(caller: Caller<V>, options: RequestOptions | undefined) {
  return kindsOf(caller.apiVersion).map((kind) => ({
    kind,
    name: RECORD_KIND[kind],
    key: listsKind(caller.apiVersion, kind) ? "data" : kind,
    pages: (keepText: (page: Page<unknown>, text: string) => void) => pagesOf(caller, kind, options, keepText),
  }));
}

/** The NDJSON records of a 1.0 or 1.1 account, page by page: memory holds one page at a time. */
export async function* exportRecordsByKind<V extends ApiVersion>(
  caller: Caller<V>,
  options?: RequestOptions,
): AsyncGenerator<unknown, void, undefined> {
  const counts: Record<string, number> = {};
  for (const kind of kindsOf(caller.apiVersion)) {
    counts[kind] = 0;
    for await (const data of pagesOf(caller, kind, options)) {
      counts[kind] += 1;
      yield { kind: RECORD_KIND[kind], data };
    }
  }
  yield { kind: "end", counts };
}

/**
 * The NDJSON records of a 1.0 or 1.1 account, as `exportStream` hands them:
 * built from pages (each page's call retried as any call is), with `text`,
 * each one's text cut from its page (the server's digits), when asked for.
 */
export function pagedExportRecords<V extends ApiVersion>(
  caller: Caller<V>,
  options: RequestOptions | undefined,
  withText: boolean,
): AsyncGenerator<ExportRecord, void, undefined> {
  if (!withText) return exportRecordsByKind(caller, options) as AsyncGenerator<ExportRecord, void, undefined>;
  // Cutting texts from pages is for those who ask for them: its code loads then, not in every app.
  const kinds = pagedKinds(caller, options);
  const refuse = (path: string, message: string) =>
    new ResponseValidationError(undefined, { issues: [{ path, message }] });
  return later(async () => (await import("./paged-text.js")).exactPagedRecords(kinds, refuse));
}
