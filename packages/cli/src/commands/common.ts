/**
 * What every command shares: the global options read from commander, the
 * reporter (on stdout, or on stderr when stdout carries an archive), the
 * summary rows, and the upgrade of a record to the target's version.
 * @module
 */
import { LOG_LEVELS, upgradeRecord, type ApiVersion } from "@resonantgenesis/sdk";
import { resolve } from "node:path";
import { importableIn, importOrder, importSinceOf, KINDS, versionAtLeast } from "@resonantgenesis/schemas/meta";
import type { Command } from "commander";
import { Checkpoint, type CheckpointState, type KindTotals, type RunInit } from "../archive/checkpoint.js";
import { FailureLog } from "../archive/failures.js";
import type { GlobalOptions } from "../context.js";
import { closeAfter, type Closable } from "../core/closing.js";
import { BATCH_SIZE, fatalToCliError, Importer, type ImporterOptions } from "../core/importer.js";
import { SecretsFile } from "../core/secrets.js";
import { CliError } from "../exit.js";
import { Reporter, type SummaryRow, useEventStream } from "../ui/reporter.js";

/** The global options and a reporter for `command`. */
export function setup(
  command: Command,
  options: { stdoutTaken?: boolean } = {},
): { globals: GlobalOptions; reporter: Reporter } {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const stream = options.stdoutTaken ? process.stderr : process.stdout;
  // The error event that may end the run (program.ts) goes where the other events went.
  useEventStream(stream);
  const reporter = new Reporter({ json: Boolean(globals.json), quiet: Boolean(globals.quiet), stream });
  // The SDK ignores a value that names no level; a run says so rather than report at its default in silence.
  const level = process.env.RESONANT_LOG?.trim().toLowerCase();
  if (level && !(LOG_LEVELS as readonly string[]).includes(level))
    reporter.warn(`RESONANT_LOG=${JSON.stringify(level)} names no level (${LOG_LEVELS.join(", ")}): it is ignored`);
  return { globals, reporter };
}

/**
 * The output of a command that writes an archive: `--out` as given, else standard output, which is
 * refused when it is a terminal (an account's archive would scroll past, and nothing would keep it).
 * An explicit `--out -` still writes there.
 */
export function archiveOut(out: string | undefined, command: string): string {
  if (out === undefined && process.stdout.isTTY)
    throw new CliError(
      `${command}: standard output is a terminal: name a file with --out (backup.json, or backup.json.gz to compress it) or pipe the archive into another program; --out - writes it to the terminal anyway`,
    );
  return out ?? "-";
}

/** Summary rows in dependency order. */
export function summaryRows(totals: Record<string, KindTotals>): SummaryRow[] {
  return importOrder(Object.keys(totals)).map((kind) => ({ kind, ...totals[kind]! }));
}

/** True when any row failed. */
export function anyFailed(totals: Record<string, KindTotals>): boolean {
  return Object.values(totals).some((t) => t.failed > 0);
}

/**
 * Refuses to take data of `from` to an older `to` (an upgrade only goes forward); `flag` sets the
 * target's version (copy's is `--to-api-version`).
 */
export function checkDirection(from: ApiVersion, to: ApiVersion, what: string, flag = "--api-version"): void {
  if (!versionAtLeast(to, from)) {
    throw new CliError(
      `${what} is API ${from}, newer than the target's ${to}: data is upgraded, never downgraded (use ${flag} ${from} or newer)`,
    );
  }
}

/** A function that upgrades a record of any kind from `from` to `to` (the identity when they are equal). */
export function upgrader(from: ApiVersion, to: ApiVersion): (kind: string, data: unknown) => unknown {
  if (from === to) return (_kind, data) => data;
  return (kind, data) => upgradeRecord(kind, data as Record<string, unknown>, from, to);
}

/** How a refusal of kinds names the data, the command, the target's version flag, and what was sent. */
export interface ImportableWording {
  /** What holds the kinds: `this data`, `the source account`. */
  holder: string;
  /** The command, as the advice says it: `import`, `copy`. */
  verb: string;
  /** The flag that sets the target's version. */
  flag: string;
  /** What the refusal leaves behind. */
  ending: string;
}

/** `import`'s and `restore`'s wording: an archive, refused whole. */
const ARCHIVE_WORDING: ImportableWording = {
  holder: "this data",
  verb: "import",
  flag: "--api-version",
  ending: "nothing was sent",
};

/**
 * Refuses up front, rather than half-import, data holding kinds the target's
 * version cannot import (`KIND_TABLE`'s `importSince`; a newer server's kind
 * needs the current version). A count of `"some"` is a kind seen but not counted.
 */
export function checkImportable(
  target: ApiVersion,
  counts: Record<string, number | "some">,
  wording: ImportableWording = ARCHIVE_WORDING,
): void {
  const blocked = Object.entries(counts).filter(([kind, n]) => n !== 0 && !importableIn(target, kind));
  if (blocked.length === 0) return;
  const importable = KINDS.filter((kind) => importableIn(target, kind)).join(", ");
  const needed = blocked.map(([kind]) => importSinceOf(kind)).reduce((a, b) => (versionAtLeast(a, b) ? a : b));
  const { holder, verb, flag, ending } = wording;
  throw new CliError(
    `API ${target} can import ${importable} only, and ${holder} holds ${blocked.map(([k, n]) => `${n} ${k}`).join(", ")}: ${verb} into a ${needed} account (${flag} ${needed}); ${ending}`,
  );
}

/**
 * The importer of an `import`, `copy` or `restore` run, with the failure log
 * and the secrets report it writes (appended to on `resume`, the secrets file
 * only when the interrupted run kept one); the caller closes both
 * (closeAfter), whatever the run's end.
 */
export async function openImporter(
  files: { failures?: string; secretsOut?: string; resume?: boolean },
  settings: Omit<ImporterOptions, "failures" | "secrets">,
): Promise<{ importer: Importer; failures: FailureLog; secrets: SecretsFile }> {
  // A --secrets-out added on resume is no log of the interrupted run's (its checkpoint says null): a new
  // file, refused if it holds anything, as a new run's is. An older checkpoint, which does not say, appends.
  const state = settings.checkpoint?.state;
  const added = files.resume === true && files.secretsOut !== undefined && state?.secrets_out === null;
  const secrets = await SecretsFile.open(files.secretsOut, Boolean(files.resume) && !added);
  // From its next save the checkpoint names it: a later resume appends to it, and to no other.
  if (added) state.secrets_out = resolve(files.secretsOut!);
  const failures = await FailureLog.open(files.failures, Boolean(files.resume)).catch(async (error: unknown) => {
    await secrets.close().catch(() => undefined);
    throw error;
  });
  return { importer: new Importer({ ...settings, failures, secrets }), failures, secrets };
}

/**
 * The checkpoint of a new run (no `--resume`) at `path`. What is there is read first
 * ({@link Checkpoint.read}: anything but a checkpoint this resonant wrote is refused, and nothing is
 * written). A checkpoint of this very run, interrupted (`otherRun` finds nothing against it), is
 * replaced with a warning that `--resume` would carry on from it; one of another run (another command,
 * account or archive, which a `--resume` would refuse) is replaced too, with a warning that says so. Either is put
 * back as it was if the new run ends with nothing sent ({@link Checkpoint.discard}).
 */
export async function startOver(
  path: string,
  init: RunInit,
  otherRun: (saved: CheckpointState) => string | undefined,
  reporter: Reporter,
): Promise<Checkpoint> {
  const previous = await Checkpoint.read(path);
  if (previous) {
    const other = otherRun(previous.state);
    reporter.warn(
      other === undefined
        ? `${path} exists (an interrupted ${init.command === "copy" ? "copy" : "run"}): starting over; use --resume to carry on instead`
        : `${path} is the checkpoint of another run (${other}): starting over replaces it`,
    );
  }
  return Checkpoint.fresh(path, init, previous);
}

/**
 * Runs `work` (the records into `importer`), then closes `files` ({@link closeAfter}). An error that ends
 * it says to `--resume` when the checkpoint holds something to resume from and running again can get past
 * it (core/importer.ts's fatalToCliError). A run whose every batch the target refused (a key refused at
 * the first batch) took nothing: its fresh checkpoint goes, or the one it replaced comes back.
 */
export async function importing(
  files: readonly Closable[],
  importer: Importer,
  checkpoint: Checkpoint | undefined,
  work: () => Promise<void>,
): Promise<void> {
  // Nothing taken: every call refused, and no batch acknowledged (a batch refused whole is, with its items logged).
  const empty = () => importer.untouched && (checkpoint?.state.batches ?? 0) === 0;
  try {
    await closeAfter(files, work, (error) =>
      fatalToCliError(error, checkpoint?.written && !empty() ? checkpoint.path : undefined),
    );
  } catch (error) {
    if (checkpoint && empty()) await checkpoint.discard().catch(() => undefined);
    throw error;
  }
}

/** The settings of a run that its checkpoint keeps, for {@link resumedSettings}. */
export function runSettings(options: {
  onConflict: string;
  batchSize?: number;
  secretsOut?: string;
  failures?: string;
}) {
  return {
    on_conflict: options.onConflict,
    batch_size: options.batchSize ?? BATCH_SIZE,
    // Absolute: a resume from another folder names the same files.
    secrets_out: options.secretsOut === undefined ? null : resolve(options.secretsOut),
    failures: options.failures === undefined ? null : resolve(options.failures),
  };
}

/**
 * Refuses a `--resume` whose settings would change what the interrupted run's batches are, before anything is
 * sent (where its logs and secrets go is `checkSameFiles`'); answers the batch size to send with (the
 * interrupted run's when none is given). A batch's idempotency key names its size, so the batch in flight at
 * the cut, sent again in another size, is not replayed but carried out anew (with `--on-conflict fail`, each of
 * its items that went in fails as a conflict).
 */
export function resumedSettings(
  saved: CheckpointState,
  options: { onConflict: string; batchSize?: number },
): number | undefined {
  if (saved.on_conflict !== options.onConflict)
    throw new CliError(`--resume: the interrupted run used --on-conflict ${saved.on_conflict}; resume with the same`);
  const size = saved.batch_size;
  if (size !== undefined && options.batchSize !== undefined && options.batchSize !== size)
    throw new CliError(
      `--resume: the interrupted run sent batches of ${size} (--batch-size ${size}); resume with the same, or without --batch-size: the batch on its way at the cut is known to the target by its size; nothing was sent`,
    );
  return options.batchSize ?? size;
}
