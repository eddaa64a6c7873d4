/**
 * `resonant export [--out FILE] [--format json|ndjson]`: the account as an
 * archive, streamed from the SDK's `exportStream` into the archive writer
 * record by record (default: standard output). The records of a kind this
 * resonant does not know are held aside until the export's end line names
 * that kind (core/held-kinds.ts), then written after the others under that
 * name, so JSON and NDJSON archives, compressed or not, files and standard
 * output alike, carry the server's name.
 * @module
 */
import type { Command } from "commander";
import { ArchiveWriter, unimportableWarning } from "../archive/writer.js";
import type { ArchiveLayout } from "../archive/format.js";
import type { KindTotals } from "../archive/checkpoint.js";
import { byKind, withEmptyKinds } from "../archive/format.js";
import { makeClient } from "../context.js";
import { putLiveRecords, type LiveRecord } from "../core/records.js";
import { CliError, EXIT, type ExitCode } from "../exit.js";
import { archiveOut, setup, summaryRows } from "./common.js";

/** Options of `export`. */
export interface ExportOptions {
  /** The file (default `-`, standard output). */
  out?: string;
  /** json (default, or by the file's extension) or ndjson. */
  format?: string;
}

/** The layout for `--format`, else the file's extension (.ndjson, .jsonl, with .gz or not), else JSON. */
export function layoutFor(format: string | undefined, file: string | undefined): ArchiveLayout {
  if (format !== undefined) {
    if (format !== "json" && format !== "ndjson") throw new CliError(`--format ${format}: must be json or ndjson`);
    return format;
  }
  return file && /\.(ndjson|jsonl)(\.gz)?$/i.test(file) ? "ndjson" : "json";
}

/** Runs `export`. */
export async function runExport(options: ExportOptions, command: Command): Promise<ExitCode> {
  const out = archiveOut(options.out, "export");
  const { globals, reporter } = setup(command, { stdoutTaken: out === "-" });
  const layout = layoutFor(options.format, out);
  const { client, endpoint } = makeClient(globals, reporter);
  const writer = await ArchiveWriter.open(out, layout, { apiVersion: endpoint.apiVersion });
  const totals: Record<string, KindTotals> = byKind();
  reporter.event("start", { command: "export", api_version: endpoint.apiVersion, format: layout, out });
  // A promise only when the writer must be waited for (once per 256 KiB): no await per record.
  const put = (live: LiveRecord): Promise<void> | undefined => {
    const { kind } = live;
    const flushing = writer.write(kind, live.data, live.text, live.recordKind, live.around);
    const t = (totals[kind] ??= { read: 0, created: 0, skipped: 0, failed: 0 });
    t.read++;
    reporter.progress(kind, t.read, undefined);
    return flushing;
  };
  try {
    // The records' own text goes into the archive as it came: nothing is serialised again.
    // An NDJSON archive writes a line's own members again around its data; a JSON archive has no place.
    const lost = layout === "json" ? "a JSON archive holds a record's data only, so they are not kept" : undefined;
    const counts = await putLiveRecords(client.data.exportStream({ withText: true }), put, reporter, lost);
    const written = await writer.finish(
      withEmptyKinds(Object.keys(writer.counts), counts, endpoint.apiVersion, layout),
    );
    const unimportable = unimportableWarning(written.unimportable);
    if (unimportable !== undefined) reporter.warn(unimportable);
    for (const [kind, n] of Object.entries(written.counts)) {
      totals[kind] ??= { read: n, created: 0, skipped: 0, failed: 0 };
      reporter.progress(kind, n, n, true);
    }
    reporter.summary(
      summaryRows(totals),
      {
        command: "export",
        out,
        format: layout,
        api_version: endpoint.apiVersion,
        counts: written.counts,
        checksum: written.checksum,
        bytes: written.bytes,
      },
      `exported API ${endpoint.apiVersion} archive to ${out === "-" ? "standard output" : out} (${layout}, ${written.checksum})`,
      [["exported", "read"]],
    );
    return EXIT.ok;
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
