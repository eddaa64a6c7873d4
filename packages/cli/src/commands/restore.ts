/**
 * `resonant restore FILE [--prune] [--dry-run] [--yes]`: roll back, making
 * the account match a backup. The difference of `verify` becomes a plan:
 * create what is missing, overwrite what changed, and with `--prune` delete
 * what the backup does not hold. The plan is printed first; on a terminal
 * the user is asked; with nobody to ask, pruning needs `--yes`.
 * @module
 */
import type { ApiVersion, ResonantClient } from "@resonantgenesis/sdk";
import { NotFoundError } from "@resonantgenesis/sdk";
import { importOrder, isKind } from "@resonantgenesis/schemas/meta";
import type { Command } from "commander";
import type { FailureLog } from "../archive/failures.js";
import { openInput } from "../archive/input.js";
import { ArchiveReader } from "../archive/reader.js";
import { exactUpgrader } from "../core/exact.js";
import type { ArchiveDiff } from "../core/diff.js";
import { isFatal, refusalFacts } from "../core/errors.js";
import { migrateBackupOf, objectKey, recordKey } from "../archive/format.js";
import { closeAfter } from "../core/closing.js";
import { fatalToCliError } from "../core/importer.js";
import { reportNewSecrets } from "../core/secrets.js";
import { CliError, EXIT, type ExitCode } from "../exit.js";
import { refuseSameFile } from "../fs/same-file.js";
import type { Reporter } from "../ui/reporter.js";
import { renderTable } from "../ui/table.js";
import { anyFailed, checkImportable, openImporter, setup, summaryRows } from "./common.js";
import { compareWithAccount, printDiff } from "./verify.js";
import { confirm, interactive } from "../ui/prompt.js";
import { byKind } from "../archive/format.js";

/** Options of `restore`. */
export interface RestoreOptions {
  /** Also delete what the backup does not hold. */
  prune?: boolean;
  /** Print the plan, change nothing. */
  dryRun?: boolean;
  /** Do not ask. */
  yes?: boolean;
  /** Where refused items go (NDJSON). */
  failures?: string;
  /** Where the report of new secrets goes. */
  secretsOut?: string;
}

/** Deletes one object through its resource (triggers, teams... each has `delete(id)`). */
async function deleteObject(client: ResonantClient<ApiVersion>, kind: string, id: string): Promise<void> {
  const resource = (client as unknown as Record<string, { delete?: (id: string) => Promise<unknown> } | undefined>)[
    kind
  ];
  if (!resource?.delete)
    throw new CliError(`cannot delete ${kind}: the SDK has no ${kind} resource on API ${client.apiVersion}`);
  await resource.delete(id);
}

/** Deletes `extra`, dependents first (reverse dependency order); an object already gone counts as deleted. */
async function prune(
  client: ResonantClient<ApiVersion>,
  extra: ArchiveDiff["extra"],
  reporter: Reporter,
  failures: FailureLog,
): Promise<Record<string, { deleted: number; failed: number }>> {
  const out: Record<string, { deleted: number; failed: number }> = byKind();
  const kinds = importOrder(extra.map((e) => e.kind)).reverse();
  for (const kind of kinds) {
    const items = extra.filter((e) => e.kind === kind);
    const t = (out[kind] = { deleted: 0, failed: 0 });
    if (!isKind(kind)) {
      reporter.warn(`${items.length} ${kind} not deleted: this resonant cannot delete a kind it does not know`);
      // Failed like any other object: each gets its line in the failure log, resonant's own code, no request made.
      const message = `not deleted: ${kind} is a kind this resonant does not know (a newer server's), which it cannot delete; delete it with a newer resonant or on the platform`;
      for (const { id } of items)
        failures.write(id, kind, { code: "unknown_kind", message, status: null, requestId: null });
      t.failed += items.length;
      continue;
    }
    for (const { id } of items) {
      try {
        await deleteObject(client, kind, id);
        t.deleted++;
      } catch (error) {
        if (error instanceof NotFoundError) {
          t.deleted++; // deleted with its parent (a session's agent), or by someone else: gone either way
        } else if (isFatal(error)) throw error;
        else {
          failures.write(id, kind, refusalFacts(error));
          t.failed++;
        }
      }
      reporter.progress(`delete ${kind}`, t.deleted + t.failed, items.length);
    }
  }
  return out;
}

/** Runs `restore`. */
export async function runRestore(file: string, options: RestoreOptions, command: Command): Promise<ExitCode> {
  const { globals, reporter } = setup(command);
  await refuseSameFile(
    [
      { flag: "--failures", path: options.failures },
      { flag: "--secrets-out", path: options.secretsOut },
    ],
    [{ what: "the backup", path: file }],
  );
  const input = await openInput(file);
  try {
    const { info, client, endpoint, diff } = await compareWithAccount(input, globals, reporter);
    // Only the kinds the backup holds are pruned: an older version's backup leaves out the kinds its version lacks
    // (an API 1.0 one has no teams), and a migration's backup names the kinds it holds. The others are kept.
    const backup = migrateBackupOf(info, input.name);
    const which = backup ? `of migrate ${backup.direction} ${backup.revision}` : `API ${info.apiVersion}`;
    const held = new Set(backup?.kinds ?? info.kindOrder);
    const doomed = options.prune ? diff.extra.filter((e) => held.has(e.kind)) : [];
    const toDelete = doomed.length;
    const plan = diff.kinds.map((k) => ({
      kind: k.kind,
      create: k.missing,
      overwrite: k.changed,
      delete: options.prune && held.has(k.kind) ? k.extra : 0,
      keep: options.prune && held.has(k.kind) ? 0 : k.extra,
    }));
    const changes = diff.missing.length + diff.changed.length + toDelete > 0;
    reporter.event("plan", {
      command: "restore",
      prune: Boolean(options.prune),
      kinds: plan,
      missing: diff.missing,
      changed: diff.changed,
      extra: diff.extra,
      changes,
    });
    printDiff(diff, reporter);
    reporter.text(
      `plan${options.dryRun ? " (dry run: nothing will be changed)" : ""}:\n${renderTable(
        ["kind", "create", "overwrite", "delete", "keep (extra)"],
        plan.map((p) => [p.kind, p.create, p.overwrite, p.delete, p.keep]),
      )}`,
    );
    if (!options.prune && diff.extra.length > 0)
      reporter.text(`${diff.extra.length} object(s) the backup does not hold are kept (--prune deletes them)`);
    const unheld = [...new Set(diff.extra.filter((e) => !held.has(e.kind)).map((e) => e.kind))];
    if (options.prune && unheld.length > 0)
      reporter.text(`kept, not pruned: ${unheld.join(", ")}, which the backup (${which}) does not hold at all`);
    if (options.dryRun || !changes) {
      reporter.summary([], { command: "restore", dry_run: Boolean(options.dryRun), changes });
      if (!changes) reporter.text("the account already matches the backup: nothing to do");
      return options.dryRun && changes ? EXIT.differences : EXIT.ok;
    }
    if (!options.yes) {
      if (interactive()) {
        reporter.stop();
        const ok = await confirm(
          `restore ${input.name}: create ${diff.missing.length}, overwrite ${diff.changed.length}, delete ${toDelete}. Go on? [y/N] `,
        );
        if (!ok) throw new CliError("restore: not confirmed; nothing was changed");
      } else if (options.prune) {
        throw new CliError(
          "restore --prune deletes objects and no one is at a terminal to confirm: add --yes; nothing was changed",
        );
      }
    }
    const counts: Record<string, number> = byKind();
    for (const k of diff.kinds) counts[k.kind] = k.missing + k.changed;
    checkImportable(endpoint.apiVersion, counts);
    const wanted = new Set([...diff.missing, ...diff.changed].map((e) => objectKey(e.kind, e.id)));
    const files = { failures: options.failures, secretsOut: options.secretsOut, resume: false };
    const { importer, failures, secrets } = await openImporter(files, {
      client,
      reporter,
      checkpoint: undefined,
      onConflict: "overwrite",
      concurrency: globals.concurrency,
      expected: (kind) => counts[kind],
    });
    const next: Record<string, number> = byKind();
    const exact = exactUpgrader(info.apiVersion, endpoint.apiVersion);
    const pruned = await closeAfter(
      [failures, secrets],
      async () => {
        if (wanted.size > 0) {
          for await (const record of new ArchiveReader(input).records()) {
            if (!wanted.has(recordKey(record))) continue;
            const index = (next[record.kind] = (next[record.kind] ?? -1) + 1);
            await importer.add(record.kind, index, exact(record));
          }
        }
        await importer.finish();
        return options.prune ? await prune(client, doomed, reporter, failures) : {};
      },
      (error) => fatalToCliError(error, undefined),
    );
    reportNewSecrets(importer.newSecrets, secrets, options.secretsOut, reporter);
    const rows = summaryRows(importer.totals);
    const deleteFailed = Object.values(pruned).some((p) => p.failed > 0);
    const failed = anyFailed(importer.totals) || deleteFailed;
    reporter.summary(
      rows,
      { command: "restore", file: input.name, deleted: pruned, exit_code: failed ? EXIT.partial : EXIT.ok },
      `restored ${input.name}`,
    );
    if (options.prune)
      reporter.text(
        `deleted: ${
          Object.entries(pruned)
            .map(([k, p]) => `${p.deleted} ${k}${p.failed ? ` (${p.failed} failed)` : ""}`)
            .join(", ") || "nothing"
        }`,
      );
    // The ledger is the account's record of which revisions ran; a restore does not rewrite it.
    if (backup)
      reporter.text(
        `the ledger still records migrate ${backup.direction} ${backup.revision}; if this restore undid it, record that with \`resonant migrate stamp ${backup.at}\``,
      );
    return failed ? EXIT.partial : EXIT.ok;
  } finally {
    await input.dispose();
  }
}
