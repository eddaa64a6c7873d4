import type { ApiVersion, OnConflict, v1_2 } from "@resonantgenesis/schemas";
import type { SchemaName } from "../core/caller.js";
import { APIConnectionError, RequestValidationError, UnsupportedFeatureError } from "../core/errors.js";
import { parseNDJSON } from "../core/ndjson.js";
import type { RequestOptions } from "../core/options.js";
import { PARSE_OPTIONS, toIssues, validateResponse } from "../core/validate.js";
import { APIResource, type Out } from "./resource.js";
import { ARCHIVE_KINDS, archiveKindsFor, collectArchive, exportRecordsByKind, type ArchiveKind } from "./data-export.js";

/** The account archive of version `V` (PROTOCOL.md section 6). */
export type Archive<V extends ApiVersion = "1.2"> = Out<V, "Archive">;
/** One line of `exportStream()`: an object of some kind, or the closing `end` with the counts. */
export type ExportRecord = v1_2.ExportRecord;
/** Progress of `importAll`, after each batch. */
export interface ImportProgress {
  /** The kind of the batch just sent. */
  kind: ArchiveKind;
  /** Items of this kind sent so far. */
  done: number;
  /** Items of this kind in the archive. */
  total: number;
}
/** Options of `importAll`. */
export interface ImportAllOptions extends RequestOptions {
  /** What to do with an object whose id exists: skip it (default), overwrite it, or fail it. */
  onConflict?: OnConflict;
  /** Called after every batch. */
  onProgress?: (progress: ImportProgress) => void;
}
/** What `importAll` did, per kind. */
export interface ImportReport {
  /** How many items of each kind were imported. */
  imported: Partial<Record<ArchiveKind, number>>;
  /** How many items of each kind were skipped because their id exists. */
  skipped: Partial<Record<ArchiveKind, number>>;
  /** The items the server refused: kind, id and the server's error object. */
  failed: { kind: ArchiveKind; id: string; error: unknown }[];
}

const BATCH_SIZE = 1000;

/** A body read that fails mid-stream (a reset connection) means the export is incomplete: say so in our terms. */
function cutAsIncomplete(error: unknown): unknown {
  return error instanceof TypeError ? new APIConnectionError("The export stream was cut: the export is incomplete.", { cause: error }) : error;
}

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
   * 1.0 and 1.1 every page of every kind's export, assembled here.
   * @example `const archive = await client.data.exportAll();`
   */
  async exportAll(options?: RequestOptions): Promise<Archive<V>> {
    if (this.caller.apiVersion === "1.2") {
      return this.caller.request<Archive<V>>({ method: "GET", path: "data/export", options }, "Archive");
    }
    return (await collectArchive(this.caller, options)) as Archive<V>;
  }

  /**
   * The account as a stream of records, in constant memory whatever its size.
   * Ends with the `end` record; a stream cut before it throws, so a partial
   * export is never taken for a whole one.
   * @example `for await (const record of client.data.exportStream()) if (record.kind === "agent") {}`
   */
  async *exportStream(options?: RequestOptions): AsyncGenerator<ExportRecord, void, undefined> {
    if (this.caller.apiVersion !== "1.2") {
      yield* exportRecordsByKind(this.caller, options) as AsyncGenerator<ExportRecord>;
      return;
    }
    const { response, requestId } = await this.caller.transport.send({
      method: "GET",
      path: "data/export",
      accept: "application/x-ndjson",
      options,
    });
    if (!response.body) throw new APIConnectionError("The export answered with no body.");
    const recordSchema = this.caller.validate ? await this.caller.schema("ExportRecord" as SchemaName<V>) : undefined;
    const seen: Record<string, number> = {};
    // Stepped by hand rather than through a wrapping generator: one async hop
    // less per record, and only the body's own failures are read as a cut.
    const lines = parseNDJSON(response.body, { requestId, apiVersion: "1.2" });
    try {
      for (;;) {
        let step: IteratorResult<unknown, void>;
        try {
          step = await lines.next();
        } catch (error) {
          throw cutAsIncomplete(error);
        }
        if (step.done) break;
        const record = recordSchema
          ? (validateResponse(recordSchema, step.value, { requestId, apiVersion: "1.2" }) as ExportRecord)
          : (step.value as ExportRecord);
        if (record.kind === "end") {
          const counted = Object.values(seen).reduce((a, b) => a + b, 0);
          const promised = Object.values(record.counts).reduce<number>((a, b) => a + (b ?? 0), 0);
          if (counted !== promised) {
            throw new APIConnectionError(`The export stream is incomplete: ${counted} records arrived, its end line counts ${promised}.`);
          }
          yield record;
          return;
        }
        seen[record.kind] = (seen[record.kind] ?? 0) + 1;
        yield record;
      }
    } finally {
      // As for-await would on an early exit: cancels the body. A no-op once the lines ended or failed.
      await lines.return(undefined);
    }
    throw new APIConnectionError("The export stream was cut before its end line: the export is incomplete.");
  }

  /**
   * Import an archive: checked whole against the schemas first (nothing is
   * sent if any of it is bad), then sent kind by kind in dependency order, in
   * batches of at most 1,000. Ids are kept, so a re-run changes nothing.
   * @example `const report = await client.data.importAll(archive, { onConflict: "skip" });`
   */
  async importAll(archive: Archive<V>, options: ImportAllOptions = {}): Promise<ImportReport> {
    const { onConflict = "skip", onProgress, ...requestOptions } = options;
    const checked = await this.#check(archive);
    const report: ImportReport = { imported: {}, skipped: {}, failed: [] };
    for (const kind of ARCHIVE_KINDS) {
      const items = checked[kind];
      if (!items || items.length === 0) continue;
      report.imported[kind] = 0;
      report.skipped[kind] = 0;
      for (let start = 0; start < items.length; start += BATCH_SIZE) {
        const batch = items.slice(start, start + BATCH_SIZE);
        const result = await this.caller.request<Out<"1.2", "ImportResult">>(
          { method: "POST", path: `${kind}/import`, body: { [kind]: batch, on_conflict: onConflict }, options: requestOptions },
          "ImportResult",
        );
        report.imported[kind] += result.imported;
        report.skipped[kind] += result.skipped;
        for (const failure of result.failed) report.failed.push({ kind, ...failure });
        onProgress?.({ kind, done: Math.min(start + BATCH_SIZE, items.length), total: items.length });
      }
    }
    return report;
  }

  async #check(archive: unknown): Promise<Record<string, unknown[] | undefined>> {
    const version = this.caller.apiVersion;
    const declared = (archive as { api_version?: unknown } | null)?.api_version;
    if (declared !== version) {
      throw new RequestValidationError({
        issues: [{ path: "archive.api_version", message: `is ${JSON.stringify(declared)}; this client imports ${version} archives` }],
      });
    }
    const result = (await this.caller.schema("Archive")).safeParse(archive, PARSE_OPTIONS);
    if (!result.success) throw new RequestValidationError({ issues: toIssues(result.error.issues, "archive") });
    const data = result.data as unknown as Record<string, unknown[] | undefined>;
    // Before 1.2 only agents have an import endpoint: refuse up front rather than half-import.
    const importable = version === "1.2" ? archiveKindsFor(version) : (["agents"] as const);
    for (const kind of archiveKindsFor(version)) {
      if (!(importable as readonly string[]).includes(kind) && (data[kind]?.length ?? 0) > 0) {
        throw new UnsupportedFeatureError({ feature: `importing ${kind}`, apiVersion: version, requiredVersion: "1.2" });
      }
    }
    return data;
  }
}
