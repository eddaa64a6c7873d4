import type { ApiVersion, OnConflict, v1_2 } from "@resonantgenesis/schemas";
import type { RequestOptions } from "../core/options.js";
import type { APIPromise } from "../core/api-promise.js";
import { APIResource, type Out } from "./resource.js";
import { collectArchive, pagedExportRecords, type ArchiveKind } from "./data-export.js";
import { later } from "./later.js";
import { checkArchive, importSpec, importOrder } from "./data-import.js";
import { RawJson } from "../core/lossless-json.js";
import { RequestValidationError } from "../core/errors.js";
import { BAD_HEADER_VALUE } from "../internal/option-checks.js";
import { MAX_ACCOUNT_ANSWER_BYTES } from "../internal/answer-cap.js";
import { MAX_BODY_BYTES, type RECORD_KIND } from "@resonantgenesis/schemas/meta";

/** The account archive of version `V` (docs/protocol.md section 6). A newer server's kinds and fields ride along untyped. */
export type Archive<V extends ApiVersion = "1.2"> = Out<V, "Archive">;
/**
 * A record whose kind this SDK does not know (a newer server's), handed on
 * whole: `raw` is the line as it came, `{ kind, data, ... }`.
 */
export interface UnknownExportRecord {
  /** Marks a record of a kind this SDK does not know. */
  kind: "unknown";
  /** The record as the server sent it. */
  raw: { kind: string; [key: string]: unknown };
}
// The kinds an archive of `V` holds, and one record of each as `V` types its objects (per version when `V` is a union).
type KindOf<V extends ApiVersion> = Extract<keyof Archive<V>, ArchiveKind>;
type KnownRecord<V extends ApiVersion> = V extends ApiVersion
  ? {
      [K in KindOf<V>]: { kind: (typeof RECORD_KIND)[K]; data: Archive<V>[K] extends (infer T)[] ? T : never };
    }[KindOf<V>]
  : never;
/**
 * One line of `exportStream()` on a client pinned to `V`: an object of a kind `V` has, typed as `V` exports it,
 * the closing `end` with the counts, or a kind this SDK does not know.
 */
export type ExportRecord<V extends ApiVersion = "1.2"> =
  | KnownRecord<V>
  | Extract<v1_2.ExportRecord, { kind: "end" }>
  | UnknownExportRecord;
/** Options of `exportStream`. */
export interface ExportStreamOptions extends RequestOptions {
  /** Give each record its line as the server sent it, as `text` (default false). */
  withText?: boolean | undefined;
}
/** What `exportStream({ withText: true })` adds to each record. */
export interface WithText {
  /**
   * The record's line as the server sent it. On 1.0 and 1.1, which build
   * records from pages, `{"kind":...,"data":...}` with the item's text cut
   * from its page (whitespace between tokens left out): every number in the
   * page's digits, where `data` (parsed, as on 1.2) rounds one a double cannot hold.
   * A newer server's own line member named `text` is shadowed on the record; this line holds it.
   */
  text: string;
}
/** What one `POST /<kind>/import` did (its failures carry the version's error form). */
export type ImportBatchResult<V extends ApiVersion = "1.2"> = Out<V, "ImportResult">;
/** Options of `importBatch`. */
export interface ImportBatchOptions extends RequestOptions {
  /** What to do with an object whose id exists: skip it (default), overwrite it, or fail it. */
  onConflict?: OnConflict | undefined;
}
/** Progress of `importAll`, after each batch. */
export interface ImportProgress {
  /** The kind of the batch just sent (a newer server's kind is named as it came). */
  kind: ArchiveKind | (string & {});
  /** Items of this kind sent so far. */
  done: number;
  /** Items of this kind in the archive. */
  total: number;
}
/** Options of `importAll`. */
export interface ImportAllOptions extends RequestOptions {
  /** What to do with an object whose id exists: skip it (default), overwrite it, or fail it. */
  onConflict?: OnConflict | undefined;
  /** Called after every batch. */
  onProgress?: ((progress: ImportProgress) => void) | undefined;
  /** Each batch is sent with its own key, `<key>:<kind>:<batch>`, so a re-run with the same key replays each batch. */
  idempotencyKey?: string | undefined;
}
/** What `importAll` did, per kind. */
export interface ImportReport {
  /** How many items of each kind were imported. */
  imported: Partial<Record<ArchiveKind | (string & {}), number>>;
  /** How many items of each kind were skipped because their id exists. */
  skipped: Partial<Record<ArchiveKind | (string & {}), number>>;
  /** The items the server refused: kind, id and the server's error object. */
  failed: { kind: ArchiveKind | (string & {}); id: string; error: unknown }[];
  /**
   * The signing secret of each webhook and trigger the import created, when
   * the server's answers carry it (an archive never holds one, so the target
   * makes new ones). Store them as you would a key; the SDK never logs them.
   */
  secrets: { kind: ArchiveKind | (string & {}); id: string; secret: string }[];
}

/** The new secrets an import answer carries: 1.2's `secrets`, read defensively since older versions and servers leave it out. */
function newSecretsOf(result: object): { id: string; secret: string }[] {
  const secrets = (result as { secrets?: unknown }).secrets;
  if (!Array.isArray(secrets)) return [];
  return secrets.filter(
    (s): s is { id: string; secret: string } => typeof s?.id === "string" && typeof s?.secret === "string",
  );
}

/** The most items one import call takes (docs/protocol.md section 6). */
export const IMPORT_BATCH_SIZE = 1000;

/**
 * The whole account at once: export it to an archive or a stream, and import an archive.
 *
 * @example
 * ```ts
 * const archive = await source.data.exportAll();
 * const report = await target.data.importAll(archive, { onProgress: (p) => console.log(p) });
 * ```
 */
export class Data<V extends ApiVersion> extends APIResource<V> {
  /**
   * The whole account as one archive. On 1.2 one call to `/data/export`; on
   * 1.0 and 1.1 every page of every kind's export, assembled here. A number
   * a JavaScript number cannot hold is rounded in the objects, as `JSON.parse`
   * rounds it, but its digits are kept for `importAll` of this same archive.
   * @example `const archive = await client.data.exportAll();`
   */
  async exportAll(options?: RequestOptions): Promise<Archive<V>> {
    if (this.caller.apiVersion !== "1.2") return (await collectArchive(this.caller, options)) as Archive<V>;
    // The archive is as large as the account: the 64 MiB cap of other answers does not apply, 512 MiB does.
    const spec = { method: "GET", path: "data/export", options, maxBytes: MAX_ACCOUNT_ANSWER_BYTES } as const;
    const send = (keepText: (text: string) => void) => this.caller.request(spec, "Archive", {}, keepText);
    return (await import("./exact-records.js")).withExactTexts(send);
  }

  /**
   * The account as a stream of records, in constant memory whatever its size.
   * Ends with the `end` record; a stream cut before it throws, so a partial
   * export is never taken for a whole one. With `withText`, each record also
   * holds `text`, its line as the server sent it, for tools that write records
   * on (a backup, a pipe) without serialising them again.
   * @example `for await (const record of client.data.exportStream()) if (record.kind === "agent") {}`
   */
  exportStream(
    options: ExportStreamOptions & { withText: true },
  ): AsyncGenerator<ExportRecord<V> & WithText, void, undefined>;
  exportStream(options?: ExportStreamOptions): AsyncGenerator<ExportRecord<V>, void, undefined>;
  exportStream(options: ExportStreamOptions = {}): AsyncGenerator<ExportRecord<V>, void, undefined> {
    const { withText = false, ...requestOptions } = options;
    // 1.0 and 1.1 have no NDJSON export: the records are built from pages.
    const records =
      this.caller.apiVersion !== "1.2"
        ? pagedExportRecords(this.caller, requestOptions, withText)
        : later(async () => (await import("./export-stream.js")).streamExport(this.caller, requestOptions, withText));
    return records as AsyncGenerator<ExportRecord<V>, void, undefined>;
  }

  /**
   * Import an archive: checked whole first (nothing is sent if any of it is
   * bad), then sent kind by kind in dependency order, in batches of at most
   * 1,000 items and 10 MiB (a record over that alone is refused with the check), and a newer server's kinds last. Ids are kept, so a re-run changes
   * nothing. Fields and kinds this SDK does not know go over as they came.
   * @example `const report = await client.data.importAll(archive, { onConflict: "skip" });`
   */
  async importAll(archive: Archive<V>, options: ImportAllOptions = {}): Promise<ImportReport> {
    const { onConflict = "skip", onProgress, ...callOptions } = options;
    const checked = await checkArchive(this.caller, archive);
    const report: ImportReport = { imported: {}, skipped: {}, failed: [], secrets: [] };
    const kinds = importOrder(this.caller.apiVersion, checked).filter((kind) => checked[kind]!.length > 0);
    // Loaded by an import alone (it imports nothing, so a bundle's first call does without it).
    const { importPlan, batchKeyBase } = await import("./import-batches.js");
    const [idempotencyKey, requestOptions] = batchKeyBase(callOptions);
    const { logger } = this.caller;
    const limits = [IMPORT_BATCH_SIZE, MAX_BODY_BYTES] as const;
    const inputs = { raw: RawJson, bad: BAD_HEADER_VALUE, logger, limits, idempotencyKey, onProgress };
    const { plan, issues } = importPlan(kinds, checked, inputs);
    // One key on every batch would be a reuse with another body (409): each batch's is derived from it.
    const keyOf = (kind: string, batch: number) => idempotencyKey && `${idempotencyKey}:${kind}:${batch}`;
    // Checked before the first batch is sent (a refusal mid-way would leave half an import).
    if (issues.length > 0) throw new RequestValidationError(undefined, { issues });
    for (const [kind, batches] of plan) {
      report.imported[kind] = 0;
      report.skipped[kind] = 0;
      let done = 0;
      for (const [n, batch] of batches.entries()) {
        const key = keyOf(kind, n);
        const result = await this.importBatch(kind, batch, { ...requestOptions, onConflict, idempotencyKey: key });
        report.imported[kind] += result.imported;
        report.skipped[kind] += result.skipped;
        for (const failure of result.failed) report.failed.push({ kind, ...failure });
        for (const entry of newSecretsOf(result)) report.secrets.push({ kind, ...entry });
        onProgress?.({ kind, done: (done += batch.length), total: checked[kind]!.length });
      }
    }
    return report;
  }

  /**
   * One `POST /<kind>/import` of at most 1,000 objects (`kind` is plural:
   * `agents`, or a kind of a newer server, sent to its `/<kind>/import`). The
   * envelope is checked strictly, the items compatibly, before sending. The
   * building block of `importAll`, for tools that checkpoint batch by batch.
   * @example `const { imported, failed } = await client.data.importBatch("agents", batch, { onConflict: "skip" });`
   */
  importBatch(
    kind: ArchiveKind | (string & {}),
    items: readonly unknown[],
    options: ImportBatchOptions = {},
  ): APIPromise<ImportBatchResult<V>> {
    const { onConflict = "skip", ...requestOptions } = options;
    const body = { [kind]: items, on_conflict: onConflict };
    const { spec, input } = importSpec(this.caller, kind, body, requestOptions);
    return this.caller.request(spec, "ImportResult", input);
  }
}
