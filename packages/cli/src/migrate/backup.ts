/**
 * The backup taken before a run's first write: the kinds the run touches,
 * exported as an ordinary archive (`resonant restore FILE` rolls back to it;
 * without `--prune`, since the archive holds those kinds only).
 * @module
 */
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { KINDS, type Kind } from "@resonantgenesis/schemas/meta";
import { ArchiveWriter } from "../archive/writer.js";
import type { Account } from "./account.js";

/** The default backup file: `./backups/<time>-<revision>-<direction>.json`. */
export function defaultBackupPath(revision: string, direction: "up" | "down"): string {
  const time = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "");
  return join("backups", `${time}-${revision}-${direction}.json`);
}

/** Writes the backup of `kinds` to `file`; answers the records per kind. */
export async function writeBackup(
  account: Account,
  kinds: readonly string[],
  file: string,
): Promise<Record<string, number>> {
  await mkdir(dirname(file), { recursive: true });
  const writer = await ArchiveWriter.open(file, "json", { apiVersion: account.apiVersion });
  try {
    // Dependency order, the table's.
    for (const kind of KINDS.filter((k) => kinds.includes(k))) {
      for await (const object of account.list(kind as Kind)) {
        const flushing = writer.write(kind, object);
        if (flushing) await flushing;
      }
    }
    return (await writer.finish()).counts;
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
