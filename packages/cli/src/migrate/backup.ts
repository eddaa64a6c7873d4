/**
 * The backup taken before a run's first write: the kinds the run touches,
 * exported as an ordinary archive that names them in its `migrate_backup`
 * member, so `resonant restore FILE --prune` prunes those kinds alone.
 * @module
 */
import { mkdir, realpath, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { KINDS, type Kind } from "@resonantgenesis/schemas/meta";
import { MIGRATE_BACKUP, type MigrateBackupFacts } from "../archive/format.js";
import { ArchiveWriter } from "../archive/writer.js";
import { CliError } from "../exit.js";
import { classifyTarget } from "../fs/target.js";
import type { Account } from "./account.js";
import { integersBeyond253 } from "./beyond-2-53.js";

/** How messages name the backup: the flag that sets it. */
const FLAG = "--backup";

/**
 * Refuses a backup target the run could never write (a symbolic link, a directory), or one that exists: a backup
 * never replaces a file, which may be an earlier run's backup. Before the run plans anything.
 */
export async function checkBackupTarget(file: string): Promise<void> {
  // A folder that does not exist yet is made when the backup is written; nothing can be planted in it before then.
  const folder = await stat(dirname(file)).catch(() => undefined);
  const kind = folder && (await classifyTarget(FLAG, file));
  if (kind === "regular")
    throw new CliError(
      `${FLAG} ${file} exists: a backup never replaces a file (it may hold an earlier run's backup); name another file or move it away; nothing was written`,
    );
  // The ledger names the backup for `resonant restore`: a device or a FIFO holds nothing to restore from.
  if (kind === "special")
    throw new CliError(
      `${FLAG} ${file} is not a file (a device, a FIFO or a socket): a backup is kept to be restored from; name a file that does not exist yet; nothing was written`,
    );
}

/** The default backup file as `--backup`'s help shows it (what {@link defaultBackupPath} makes). */
export const DEFAULT_BACKUP_HELP = "./backups/<time>-<revision>-<up or down>.json";

/** The default backup file: `./backups/<time>-<revision>-<direction>.json`, the time to the millisecond so two runs do not meet. */
export function defaultBackupPath(revision: string, direction: "up" | "down"): string {
  const time = new Date().toISOString().replace(/[-:.Z]/g, "");
  return join("backups", `${time}-${revision}-${direction}.json`);
}

/**
 * Writes the backup of `facts.kinds` to `file`; answers the records per kind and the file's absolute path (the real
 * path of its folder, then its name), which the ledger and the journal record: a path relative to this run's
 * directory would point nowhere from another one.
 */
export async function writeBackup(
  account: Account,
  facts: MigrateBackupFacts,
  file: string,
): Promise<{ counts: Record<string, number>; path: string; rounded: { objects: number; first?: string } }> {
  await mkdir(dirname(file), { recursive: true });
  const path = join(await realpath(dirname(file)), basename(file));
  const header = { apiVersion: account.apiVersion, extra: { [MIGRATE_BACKUP]: facts } };
  const writer = await ArchiveWriter.open(path, "json", header, FLAG);
  try {
    // Dependency order, the table's. The tool's own memories are left out: `account` never lists them.
    // The objects are read as the SDK parses them: an integer beyond 2^53 is held rounded, and so would a restore
    // write it back. Counted, so the run says so where the backup is named.
    const rounded: { objects: number; first?: string } = { objects: 0 };
    for (const kind of KINDS.filter((k) => facts.kinds.includes(k))) {
      for await (const object of account.list(kind as Kind)) {
        const found = integersBeyond253(object);
        if (found.length > 0 && rounded.objects++ === 0) rounded.first = `${kind} ${String(object.id)} ${found[0]}`;
        const flushing = writer.write(kind, object);
        if (flushing) await flushing;
      }
    }
    return { counts: (await writer.finish()).counts, path, rounded };
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
