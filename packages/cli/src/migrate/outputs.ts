/**
 * What `migrate up` and `down` refuse to write to, before they open anything: `--backup` and `--failures` never
 * name one file, a migration of the folder, or a name in its journal folder. A journal is written under a name
 * of its own while the run goes and renamed into place, so a backup or a failure log there would be replaced
 * by it (the run then recorded as done with nothing written), or replace it (a run that `down` cannot reverse).
 * @module
 */
import { readdir, realpath } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { CliError } from "../exit.js";
import { refuseSameFile, type OutputPath } from "../fs/same-file.js";
import type { Session } from "./session.js";

/** Refuses the run's named outputs (undefined: the flag was not given) that meet each other or what it reads. */
export async function refuseRunOutputs(
  session: Session,
  backup: string | undefined,
  failures: string | undefined,
): Promise<void> {
  const outputs: OutputPath[] = [
    { flag: "--backup", path: backup },
    { flag: "--failures", path: failures },
  ];
  const journals = join(session.journalDir, ".journal");
  const realJournals = await realpath(journals).catch(() => resolve(journals));
  for (const { flag, path } of outputs) {
    if (path === undefined || path === "-") continue;
    const folder = await realpath(dirname(path)).catch(() => resolve(dirname(path)));
    if (folder === realJournals)
      throw new CliError(
        `${flag} ${path} is in ${journals}, where resonant keeps the runs' journals: nothing was written, name a file elsewhere`,
      );
  }
  const kept = await readdir(journals).catch(() => []);
  await refuseSameFile(outputs, [
    ...session.chain.map((m) => ({ what: "the migration", path: m.file })),
    ...kept.map((name) => ({ what: "the journal", path: join(journals, name) })),
  ]);
}
