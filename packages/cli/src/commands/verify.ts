/**
 * `resonant verify FILE`: does the account hold every object of the archive,
 * unchanged? Prints what is missing, changed (with the fields) or extra;
 * `--json` gives the diff as data. Exit 0 when nothing is missing or
 * changed, 3 otherwise (objects the archive lacks are reported, but the
 * account still holds all of the archive).
 * @module
 */
import { versionAtLeast } from "@resonantgenesis/schemas/meta";
import type { Command } from "commander";
import { migrateBackupOf } from "../archive/format.js";
import { openInput, type ArchiveInput } from "../archive/input.js";
import { refuseSameFile } from "../fs/same-file.js";
import { checkArchiveWith } from "../archive/validate.js";
import { apiVersionOf, makeClient, type GlobalOptions } from "../context.js";
import {
  ArchiveDigests,
  diffArchive,
  hasDifferences,
  recordDigest,
  type ArchiveDiff,
  type DiffOptions,
} from "../core/diff.js";
import { EXIT, type ExitCode } from "../exit.js";
import { isReserved } from "../migrate/account.js";
import { renderTable } from "../ui/table.js";
import type { Reporter } from "../ui/reporter.js";
import { checkDirection, setup, upgrader } from "./common.js";

const SHOWN = 20;

/** Prints a diff: the table, then the first ids of each list. */
export function printDiff(diff: ArchiveDiff, reporter: Reporter): void {
  reporter.text(
    renderTable(
      ["kind", "archive", "account", "missing", "changed", "extra"],
      diff.kinds.map((k) => [k.kind, k.archive, k.account, k.missing, k.changed, k.extra]),
    ),
  );
  const list = (title: string, items: { kind: string; id: string; fields?: string[] }[]) => {
    if (items.length === 0) return;
    const lines = items.slice(0, SHOWN).map((i) => `  ${i.kind} ${i.id}${i.fields ? ` (${i.fields.join(", ")})` : ""}`);
    if (items.length > SHOWN) lines.push(`  ... and ${items.length - SHOWN} more (--json lists all)`);
    reporter.text(`${title}:\n${lines.join("\n")}`);
  };
  list("missing from the account", diff.missing);
  list("changed in the account", diff.changed);
  list("in the account, not in the archive", diff.extra);
}

/**
 * The archive against the live account, as verify and restore both start:
 * the archive checked whole first, then compared kind by kind and object by
 * object, each record upgraded to the account's version on the way. Against
 * a migration's backup the tool's own memories (its ledger, its leases) are
 * left out: the backup leaves them out, and they are not the backup's to
 * report or prune.
 */
export async function compareWithAccount(
  input: ArchiveInput,
  globals: GlobalOptions,
  reporter: Reporter,
  options: DiffOptions & {
    /** Compare a migration's backup in the kinds it holds alone (`verify`; `restore` names the others it keeps). */
    heldOnly?: boolean;
  } = {},
) {
  // The archive's ids are noted, and its digests taken, in the read that checks it, which saves reading it again:
  // each digest as its record comes, once the version is known (a header after the records leaves them all to a later
  // read) and is one the account's can take (else the direction's refusal below follows).
  const target = apiVersionOf(globals);
  const archive = new ArchiveDigests();
  // `target` is the version makeClient pins, and `version` the one `info` reports: the digests are the comparison's.
  let asRead: ((kind: string, data: unknown) => unknown) | undefined;
  let digesting = true;
  const { info } = await checkArchiveWith(input, {
    ids: archive,
    onRecord: (record, version) => {
      if (!digesting) return;
      if (version === undefined || !versionAtLeast(target, version)) digesting = false;
      else {
        asRead ??= upgrader(version, target);
        try {
          archive.digestLast(recordDigest(record, asRead, options.ignore));
        } catch {
          // A record the check refuses may not upgrade: the check's own report follows. Should one it passes not, the
          // later read meets the same failure, where it is thrown.
          digesting = false;
        }
      }
    },
  });
  const { client, endpoint } = makeClient(globals, reporter);
  checkDirection(info.apiVersion, endpoint.apiVersion, input.name);
  const upgrade = upgrader(info.apiVersion, endpoint.apiVersion);
  const backup = migrateBackupOf(info, input.name);
  const leaveOut = backup ? isReserved : undefined;
  const kinds = backup && options.heldOnly ? new Set(backup.kinds) : undefined;
  if (kinds)
    reporter.info(
      `${input.name} is the backup taken before migrate ${backup!.direction} ${backup!.revision}: compared in the kinds it holds, ${backup!.kinds.join(", ") || "none"}`,
    );
  const diff = await diffArchive(input, info, archive, client, reporter, upgrade, { leaveOut, kinds, ...options });
  return { info, client, endpoint, upgrade, diff };
}

/** Options of `verify`. */
export interface VerifyOptions {
  /** Top-level fields left out of the comparison. */
  ignore?: ReadonlySet<string>;
}

/** Runs `verify`. */
export async function runVerify(file: string, options: VerifyOptions, command: Command): Promise<ExitCode> {
  const { globals, reporter } = setup(command);
  await refuseSameFile([], [{ what: "the archive", path: file }]);
  const input = await openInput(file);
  try {
    const { diff } = await compareWithAccount(input, globals, reporter, { ignore: options.ignore, heldOnly: true });
    const differs = hasDifferences(diff);
    printDiff(diff, reporter);
    const leftOut = options.ignore?.size ? ` (${[...options.ignore].join(", ")} left out)` : "";
    reporter.text(
      differs
        ? `${input.name}: the account differs from the archive${leftOut}`
        : `${input.name}: the account holds every object of the archive, unchanged${leftOut}`,
    );
    reporter.summary([], {
      command: "verify",
      file: input.name,
      identical: !differs,
      ignored: [...(options.ignore ?? [])],
      kinds: diff.kinds,
      missing: diff.missing,
      changed: diff.changed,
      extra: diff.extra,
    });
    return differs ? EXIT.differences : EXIT.ok;
  } finally {
    await input.dispose();
  }
}
