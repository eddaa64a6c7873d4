/**
 * `resonant upgrade FILE [--to VERSION] [--out FILE] [--format json|ndjson]`:
 * an archive of an older API version in a newer one's format, offline,
 * record by record through the SDK's `upgradeRecord` (1.0 -> 1.1 -> 1.2,
 * each new field at its protocol default). Refuses a downgrade. The result
 * is a new archive with its own counts and checksum; unknown kinds, fields
 * and top-level members ride along.
 * @module
 */
import type { Command } from "commander";
import { openInput } from "../archive/input.js";
import { ArchiveReader } from "../archive/reader.js";
import { checkArchive } from "../archive/validate.js";
import { ArchiveWriter, unimportableWarning } from "../archive/writer.js";
import type { KindTotals } from "../archive/checkpoint.js";
import { byKind, lineExtrasNote } from "../archive/format.js";
import { CliError, EXIT, type ExitCode } from "../exit.js";
import { refuseSameFile } from "../fs/same-file.js";
import { exactUpgrader } from "../core/exact.js";
import { archiveOut, setup, summaryRows } from "./common.js";
import { layoutFor } from "./export.js";
import { versionAtLeast, type ApiVersion } from "@resonantgenesis/schemas/meta";

/** Options of `upgrade`. */
export interface UpgradeOptions {
  /** The version to upgrade to (checked by commander; default the current one). */
  to: ApiVersion;
  /** The output (default `-`). */
  out?: string;
  /** json or ndjson (default: as the input). */
  format?: string;
}

/** An output name that says its layout (layoutFor reads it): anything else gets the input's. */
const NAMES_LAYOUT = /\.(json|ndjson|jsonl)(\.gz)?$/i;

/** Runs `upgrade`. */
export async function runUpgrade(file: string, options: UpgradeOptions, command: Command): Promise<ExitCode> {
  const out = archiveOut(options.out, "upgrade");
  const { reporter } = setup(command, { stdoutTaken: out === "-" });
  const to = options.to;
  await refuseSameFile([{ flag: "--out", path: out }], [{ what: "the archive", path: file }]);
  const input = await openInput(file);
  try {
    const { info } = await checkArchive(input);
    if (!versionAtLeast(to, info.apiVersion)) {
      throw new CliError(
        `${input.name} is API ${info.apiVersion}: --to ${to} would be a downgrade, which would drop fields; an archive is only upgraded`,
      );
    }
    // --format, else what --out's name says (backup.ndjson.gz), else the input's: standard output named or not.
    const layout = layoutFor(options.format ?? (NAMES_LAYOUT.test(out) ? undefined : info.layout), out);
    // NDJSON to NDJSON writes each line's other members again around its upgraded data; a JSON archive has no place.
    const extras =
      layout === "json"
        ? lineExtrasNote(input.name, info.lineExtras, "a JSON archive holds a record's data only, so they are not kept")
        : undefined;
    if (extras) reporter.warn(extras);
    const upgrade = exactUpgrader(info.apiVersion, to);
    const writer = await ArchiveWriter.open(out, layout, {
      apiVersion: to,
      ...(info.exportedAt ? { exportedAt: info.exportedAt } : {}),
      extra: info.extra,
      kinds: info.kindOrder,
    });
    const totals: Record<string, KindTotals> = byKind();
    try {
      for await (const record of new ArchiveReader(input).records()) {
        const exact = upgrade(record);
        await writer.write(record.kind, exact.value, exact.text, record.recordKind, record.around);
        const t = (totals[record.kind] ??= { read: 0, created: 0, skipped: 0, failed: 0 });
        t.read++;
        reporter.progress(record.kind, t.read, info.counts[record.kind]);
      }
      const written = await writer.finish(info.kindOrder);
      const unimportable = unimportableWarning(written.unimportable);
      if (unimportable !== undefined) reporter.warn(unimportable);
      reporter.summary(
        summaryRows(totals),
        { command: "upgrade", from: info.apiVersion, to, out, checksum: written.checksum, counts: written.counts },
        `upgraded ${input.name} from API ${info.apiVersion} to ${to} (${written.checksum})`,
        [["records", "read"]],
      );
    } catch (error) {
      await writer.abort();
      throw error;
    }
    return EXIT.ok;
  } finally {
    await input.dispose();
  }
}
