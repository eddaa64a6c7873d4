/**
 * `resonant migrate ...`: versioned, reversible migrations of an account's
 * data. The sub-commands are registered here; the engine is in
 * `src/migrate/`. Every sub-command takes `--dir DIR` (default
 * `./migrations`); `up` and `down` also the run options below.
 * @module
 */
import { type Command, InvalidArgumentError, Option } from "commander";
import type { GlobalOptions } from "../context.js";
import { FAILURE_FIELDS, FailureLog } from "../archive/failures.js";
import { EXIT, type ExitCode } from "../exit.js";
import { DEFAULT_BACKUP_HELP } from "../migrate/backup.js";
import { refuseRunOutputs } from "../migrate/outputs.js";
import { MIGRATE_CONCURRENCY } from "../options.js";
import { acceptChecksum, down, up, stamp, type RunOptions, type RunOutcome } from "../migrate/runner.js";
import { consoleToStderr } from "../migrate/console.js";
import { stepFacts } from "../migrate/report.js";
import { openSession, type Session } from "../migrate/session.js";
import type { Reporter } from "../ui/reporter.js";
import { setup } from "./common.js";
import { runMigrateCurrent, runMigrateHistory, runMigrateNew } from "./migrate/info.js";
import { runMigrateTest } from "./migrate/test.js";

/** Options of `up` and `down` as commander hands them over. */
interface UpDownFlags {
  dir: string;
  dryRun?: boolean;
  yes?: boolean;
  resume?: boolean;
  backup?: string | boolean;
  failures?: string;
  force?: boolean;
}

function summarise(
  outcome: RunOutcome,
  direction: "up" | "down",
  reporter: Reporter,
  session: Session,
  failures: FailureLog,
): ExitCode {
  if (outcome.dryRun) {
    // A conflict alone changes no object, but the real run would record the revision partial (exit 2).
    const code = outcome.changes > 0 || outcome.conflicts > 0 ? EXIT.differences : EXIT.ok;
    reporter.summary(
      [],
      {
        command: `migrate ${direction}`,
        dry_run: true,
        changes: outcome.changes,
        conflicts: outcome.conflicts,
        exit_code: code,
      },
      outcome.changes > 0
        ? `dry run: ${outcome.changes} change(s) would be made; nothing was written`
        : outcome.conflicts > 0
          ? `dry run: nothing to change, but ${outcome.conflicts} conflict(s): the run would record the revision partial (exit 2); nothing was written`
          : "dry run: nothing to change",
    );
    return code;
  }
  const partial = outcome.steps.some((s) => s.state === "partial");
  const code = partial ? EXIT.partial : EXIT.ok;
  const steps = outcome.steps.map(stepFacts);
  // Each step said its outcome as it ended (reportStep).
  const title =
    outcome.steps.length === 0
      ? `nothing to do: the account is at ${session.chain[session.current]?.revision ?? "base"}`
      : undefined;
  reporter.summary(
    [],
    { command: `migrate ${direction}`, dry_run: false, steps, failures: failures.count, exit_code: code },
    title,
  );
  if (partial)
    reporter.text(
      `some writes failed or conflicted${failures.count ? "; see the failure log" : ""}: \`resonant migrate ${direction}\` again retries what failed`,
    );
  return code;
}

async function runUpDown(
  direction: "up" | "down",
  target: string | undefined,
  flags: UpDownFlags,
  command: Command,
): Promise<ExitCode> {
  const { globals, reporter } = setup(command);
  const session = await openSession(flags.dir, globals, reporter);
  const backup = typeof flags.backup === "string" ? flags.backup : undefined;
  await refuseRunOutputs(session, backup, flags.failures);
  const failures = await FailureLog.open(flags.failures, Boolean(flags.resume));
  const options: RunOptions = {
    dryRun: Boolean(flags.dryRun),
    yes: Boolean(flags.yes),
    resume: Boolean(flags.resume),
    backup,
    noBackup: flags.backup === false,
    force: Boolean(flags.force),
    changedFiles: "refuse",
    concurrency: globals.concurrency ?? MIGRATE_CONCURRENCY,
    failures,
  };
  try {
    const outcome = direction === "up" ? await up(session, target, options) : await down(session, target, options);
    return summarise(outcome, direction, reporter, session, failures);
  } finally {
    await failures.close();
  }
}

function runFlags(cmd: Command): Command {
  return cmd
    .option(
      "--dry-run",
      "plan against live reads and print the changes; write nothing (exit 3 if anything would change)",
    )
    .option("-y, --yes", "do not ask (needed when not at a terminal)")
    .option("--resume", "carry on an interrupted run from its journal")
    .option(
      "--backup <file>",
      `where to export the kinds the run touches before its first write (default ${DEFAULT_BACKUP_HELP})`,
    )
    .option("--no-backup", "take no backup")
    .option(
      "--failures <file>",
      `write each refused write to FILE (NDJSON: ${FAILURE_FIELDS.join(", ")}; never a key or secret)`,
    )
    .option(
      "--force",
      "let down overwrite objects changed since the migration (a conflict otherwise); a changed migration file is accepted with `migrate stamp <rev> --accept-checksum`, not --force",
    );
}

/**
 * `action` as a sub-command runs it: under `--json`, with the console's standard output methods writing to standard
 * error while it runs (migrate/console.ts), so a migration's `console.log` cannot break the events. Commander hands
 * an action its command last.
 */
function guarded<A extends unknown[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return (...args) =>
    (args.at(-1) as Command).optsWithGlobals<GlobalOptions>().json
      ? consoleToStderr(() => action(...args))
      : action(...args);
}

/** Adds `migrate` and its sub-commands to the program. */
export function registerMigrate(program: Command, run: (code: ExitCode) => void): void {
  const migrate = program
    .command("migrate")
    .description(
      "versioned, reversible migrations of the account's data (up, down, current, history, new, stamp, test)",
    );
  const dir = () => new Option("--dir <dir>", "the migrations folder").default("migrations");

  migrate
    .command("new")
    .description("write a migration file from a template, after the current head")
    .argument("<message>", "what it does", (message: string) => {
      // It names the revision in history and the file: a blank one would leave both saying nothing.
      if (message.trim() === "") throw new InvalidArgumentError("must say what the migration does");
      return message.trim();
    })
    .addOption(dir())
    .addOption(new Option("--ext <ext>", "ts or mjs").choices(["ts", "mjs"]).default("ts"))
    .action(
      guarded(async (message: string, options, command: Command) =>
        run(await runMigrateNew(message, options, command)),
      ),
    );

  for (const [direction, description, targets] of [
    ["up", "apply revisions up to the target (default the head)", "a revision, or head"],
    ["down", "undo revisions down to the target (default one step; base undoes all)", "a revision, or base"],
  ] as const)
    runFlags(migrate.command(direction).description(description).argument("[target]", targets).addOption(dir())).action(
      guarded(async (target: string | undefined, options: UpDownFlags, command: Command) =>
        run(await runUpDown(direction, target, options, command)),
      ),
    );

  migrate
    .command("current")
    .description("the revision the account is at, per its ledger")
    .addOption(dir())
    .action(
      guarded(async (options: { dir: string }, command: Command) => run(await runMigrateCurrent(options, command))),
    );

  migrate
    .command("history")
    .description("every revision, oldest first, with its state; the current one and the head marked")
    .addOption(dir())
    .action(
      guarded(async (options: { dir: string }, command: Command) => run(await runMigrateHistory(options, command))),
    );

  migrate
    .command("stamp")
    .description(
      "record the account as being at a revision, without running anything; with --accept-checksum, accept an applied revision's changed file instead",
    )
    .argument("<revision>", "a revision, head or base")
    .addOption(dir())
    .option(
      "--accept-checksum",
      "record the revision's file as it is now (a cosmetic change: a comment, formatting), so runs are no longer refused for it; the account's position does not move",
    )
    .action(
      guarded(async (revision: string, options: { dir: string; acceptChecksum?: boolean }, command: Command) => {
        const { globals, reporter } = setup(command);
        const session = await openSession(options.dir, globals, reporter);
        if (options.acceptChecksum) {
          const accepted = await acceptChecksum(session, revision);
          const m = session.chain.find((c) => c.revision === accepted);
          reporter.summary(
            [],
            { command: "migrate stamp", accepted: accepted ?? null },
            m
              ? `accepted ${m.file} as it is now for revision ${m.revision} (${m.checksum.slice(0, 19)}...); nothing was run`
              : `nothing to accept: the file of ${revision} is as it was applied`,
          );
          return run(EXIT.ok);
        }
        const out = await stamp(session, revision);
        const unknown = out.unknown.length > 0 ? ` (${out.unknown.join(", ")}, not in ${options.dir}, among them)` : "";
        reporter.summary(
          [],
          { command: "migrate stamp", current: revision === "base" ? null : revision, ...out },
          `stamped ${revision}: recorded ${out.applied.length} applied, ${out.reverted.length + out.unknown.length} reverted${unknown}; nothing was run`,
        );
        run(EXIT.ok);
      }),
    );

  migrate
    .command("test")
    .description(
      "up, down, up again on a copy of the account in the embedded mock; never writes to the account (exit 0 or 3)",
    )
    .addOption(dir())
    .option("--from <file>", "an archive to test on (default: a read-only export of the account)")
    .action(
      guarded(async (options: { dir: string; from?: string }, command: Command) =>
        run(await runMigrateTest(options, command)),
      ),
    );
}
