/**
 * One revision, one direction: plan (the migration's `up` or `down`
 * through a planning ctx, or the up journal reversed), show, confirm, back
 * up, journal, apply, record in the ledger (a dry run, which plans and shows
 * only, is dry-run.ts). A run cut at any point carries on from its journal with `--resume`;
 * a revision left `partial` is retried from its journal by the next run.
 * @module
 */
import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import type { FailureLog } from "../archive/failures.js";
import { CliError } from "../exit.js";
import { integersBeyond253 } from "./beyond-2-53.js";
import { checkBackupTarget, defaultBackupPath, writeBackup } from "./backup.js";
import { type Overlay, PlanContext, type PlanCounts, type PlanSink } from "./ctx.js";
import { emptyJournalState, exists, journalPath, journalState, JournalWriter, type JournalState } from "./journal.js";
import { carriesOn, priorJournal } from "./carry-on.js";
import { unlessNeverSettled } from "./never-settled.js";
import { cutEntry, cutError, interruptNote, refuseNotResumable } from "./cut.js";
import type { LoadedMigration } from "./loader.js";
import { applyJournal, type ApplyTotals } from "./apply.js";
import { planReversal, refuseUnreversible, type ReversalConflict } from "./reverse.js";
import { planLine, planTable, reportNewSecrets, reportStep } from "./report.js";
import type { Session } from "./session.js";
import type { PlannedOp } from "./plan.js";
import { onInterrupt } from "../core/interrupt.js";
import { confirm, interactive } from "../ui/prompt.js";

/** The options of `up` and `down` that a step reads. */
export interface StepOptions {
  yes: boolean;
  backup?: string | undefined;
  noBackup: boolean;
  force: boolean;
  concurrency: number;
  failures: FailureLog;
  /** How many revisions this command runs (the backup file gets the revision in its name when more than one). */
  steps: number;
}

/** What a step did. */
export interface StepResult {
  revision: string;
  direction: "up" | "down";
  state: "applied" | "partial" | "reverted";
  counts: Record<string, PlanCounts>;
  totals: ApplyTotals;
  failed: number;
  conflicts: ReversalConflict[];
  /** The backup by its absolute path (null when none was taken). */
  backup: string | null;
  resumed: boolean;
}

/**
 * Runs the migration's `up` or `down` (or reverses the up journal) into
 * `sink`; answers the counts and any conflicts. A migration that throws is
 * named with its file and revision; nothing was written.
 */
export async function plan(
  session: Session,
  m: LoadedMigration,
  direction: "up" | "down",
  sink: PlanSink,
  options: { dryRun: boolean; force: boolean; overlay?: Overlay },
): Promise<{ counts: Record<string, PlanCounts>; conflicts: ReversalConflict[] }> {
  const conflicts: ReversalConflict[] = [];
  const fn = direction === "up" ? m.up : m.down;
  if (fn) {
    const refusals = refusalCheck(session, m, `${direction}()`, sink);
    const ctx = new PlanContext({
      account: session.account,
      sink: refusals.sink,
      revision: m.revision,
      file: m.file,
      dryRun: options.dryRun,
      log: (msg) => session.reporter.info(msg),
      overlay: options.overlay,
    });
    let threw: { error: unknown } | undefined;
    try {
      await unlessNeverSettled(Promise.resolve(fn.call(m, ctx)), `${m.file}: revision ${m.revision} ${direction}()`);
    } catch (error) {
      threw = { error };
    }
    // Waited for even when up() threw: a call left running would write into a journal already removed.
    const { unsettled, failed } = await ctx.close(`${direction}()`);
    if (!threw && unsettled.length > 0)
      throw new CliError(
        `${m.file}: revision ${m.revision} ${direction}() returned before ${unsettled.map((c) => `ctx.${c}`).join(", ")} had finished: await every ctx call (\`await ctx.update(...)\`); nothing was written`,
      );
    // A ctx call that failed refuses the revision even when the migration caught it or never awaited it.
    threw ??= failed === undefined ? undefined : { error: failed };
    if (threw) {
      if (threw.error instanceof CliError) throw threw.error;
      throw new CliError(
        `${m.file}: revision ${m.revision} ${direction}() threw: ${threw.error instanceof Error ? threw.error.message : String(threw.error)}; nothing was written`,
        { cause: threw.error },
      );
    }
    refusals.throwIfAny();
    return { counts: ctx.counts, conflicts };
  }
  const upPath = journalPath(session.journalDir, m.revision, "up");
  const upState = (await exists(upPath)) ? await journalState(upPath) : undefined;
  refuseUnreversible(m, upPath, upState, session.latest.get(m.revision)?.backup);
  // A journal of an older API version is read with its before-images upgraded: a refusal says so.
  const from = upState.begin?.api_version;
  const upgraded =
    from !== undefined && from !== session.account.apiVersion
      ? ` (planned with API ${from}, its before-images upgraded to ${session.account.apiVersion})`
      : "";
  const refusals = refusalCheck(session, m, `the reversal of its journal${upgraded}`, sink);
  const counts: Record<string, PlanCounts> = {};
  const counting: PlanSink = async (op: PlannedOp) => {
    const c = (counts[op.kind] ??= { update: 0, create: 0, delete: 0, restore: 0 });
    c[op.op]++;
    await refusals.sink(op);
  };
  await planReversal(session.account, upPath, upState, options.force, counting, (c) => conflicts.push(c));
  refusals.throwIfAny();
  return { counts, conflicts };
}

const SHOWN_REFUSALS = 20;

/**
 * Each planned write checked as the SDK will check it when it is sent, before it reaches `sink`: a write that
 * would be refused before going out (a name too long, a field the version lacks) is the migration's mistake, the
 * same on every object, so the whole plan is refused with each such write named, rather than applied around them.
 */
function refusalCheck(session: Session, m: LoadedMigration, what: string, sink: PlanSink) {
  const shown: string[] = [];
  let refused = 0;
  let rounded = 0;
  // Said, not refused: the value was read so, and the write keeps the object as it was read.
  const sayRounded = (op: PlannedOp) => {
    const found = integersBeyond253(session.account.sends(op));
    if (found.length > 0 && rounded++ < SHOWN_REFUSALS)
      session.reporter.warn(
        `${m.file}: revision ${m.revision} ${what}: ${op.op} ${op.kind} ${op.id} sends ${found.join(", ")}: an integer beyond 2^53 may have been rounded when read, and is written as read`,
      );
  };
  return {
    sink: async (op: PlannedOp) => {
      const why = await session.account.refusal(op).catch((error: unknown) => {
        // Every write of the kind would fail alike (sessions to update on 1.1, say): said once, where it came from.
        if (!(error instanceof CliError)) throw error;
        const where = `${m.file}: revision ${m.revision} ${what}: ${op.op} ${op.kind} ${op.id}`;
        // A migration that catches it cannot plan on without the write: the ctx keeps its calls' first failure (close).
        throw new CliError(`${where}: ${error.message}; nothing was written`);
      });
      if (why === undefined) {
        sayRounded(op);
        return sink(op);
      }
      if (refused++ < SHOWN_REFUSALS) shown.push(`${op.op} ${op.kind} ${op.id}: ${why}`);
    },
    throwIfAny() {
      if (rounded > SHOWN_REFUSALS)
        session.reporter.warn(`and ${rounded - SHOWN_REFUSALS} more writes send integers beyond 2^53`);
      if (refused === 0) return;
      const more = refused > shown.length ? `\n  and ${refused - shown.length} more` : "";
      throw new CliError(
        `${m.file}: revision ${m.revision} ${what} plans ${refused} write${refused === 1 ? "" : "s"} that would be refused before being sent; nothing was written:\n  ${shown.join("\n  ")}${more}`,
      );
    },
  };
}

function backupFile(options: StepOptions, m: LoadedMigration, direction: "up" | "down"): string {
  if (!options.backup) return defaultBackupPath(m.revision, direction);
  if (options.steps <= 1) return options.backup;
  const dot = options.backup.lastIndexOf(".");
  return dot > 0
    ? `${options.backup.slice(0, dot)}.${m.revision}${options.backup.slice(dot)}`
    : `${options.backup}.${m.revision}`;
}

/** Runs one step for real. */
export async function runStep(
  session: Session,
  m: LoadedMigration,
  direction: "up" | "down",
  options: StepOptions,
): Promise<StepResult> {
  const { reporter } = session;
  const { path, prior } = await priorJournal(session, m, direction);
  const carryOn = carriesOn(session, m, direction, prior);
  let writer: JournalWriter;
  let state: JournalState;
  let counts: Record<string, PlanCounts> = {};
  let conflicts: ReversalConflict[] = [];
  // The backup by its absolute path, as the ledger and the journal record it and every message names it: advice
  // said relative to this run's directory would point nowhere from another one (a --resume run elsewhere).
  let backup: string | null;
  let run = session.run;
  let key: string | undefined;
  if (carryOn) {
    // Resumed, or a partial run retried: the plan on disk is carried out, not made again.
    refuseNotResumable({ revision: m.revision, direction, path, backup: prior!.planned!.backup }, prior!.cut);
    state = prior!;
    run = prior!.begin!.run;
    key = prior!.begin!.key;
    backup = prior!.planned!.backup;
    conflicts = prior!.conflicts.map(({ kind, id, reason }) => ({ kind, id, reason }));
    writer = await JournalWriter.open(path, true);
    reporter.info(
      `${direction} ${m.revision}: carrying on from ${path} (${state.done.size} of ${prior!.planned!.ops} writes done)`,
    );
  } else {
    // A backup that could never be written (a link or a directory at its name) is refused before anything is planned.
    const backupTarget = options.noBackup ? undefined : backupFile(options, m, direction);
    if (backupTarget) await checkBackupTarget(backupTarget);
    writer = await JournalWriter.open(path, false);
    key = randomUUID();
    writer.append({
      t: "begin",
      run,
      revision: m.revision,
      direction,
      checksum: m.checksum,
      api_version: session.account.apiVersion,
      at: new Date().toISOString(),
      key,
    });
    let seq = 0;
    try {
      ({ counts, conflicts } = await plan(session, m, direction, (op) => writer.append({ t: "op", seq: seq++, op }), {
        dryRun: false,
        force: options.force,
      }));
    } catch (error) {
      // Nothing went out: the journal of a plan that never finished would only mislead a later --resume.
      await writer.close();
      await rm(path, { force: true });
      throw error;
    }
    reporter.event("plan", { revision: m.revision, direction, kinds: counts, conflicts });
    reporter.text(`${direction} ${m.revision} (${m.message}): ${planLine(counts)}\n${planTable(counts)}`);
    if (seq > 0 && !options.yes) {
      let ok = false;
      if (interactive()) {
        reporter.stop();
        ok = await confirm(`${direction} ${m.revision}: ${planLine(counts)}. Go on? [y/N] `);
      }
      if (!ok) {
        await writer.close();
        await rm(path, { force: true });
        throw new CliError(`${direction} ${m.revision}: not confirmed; nothing was written`);
      }
    }
    backup = null;
    const kinds = Object.keys(counts);
    const at = direction === "up" ? (m.downRevision ?? "base") : m.revision;
    if (seq > 0 && backupTarget) {
      const written = await writeBackup(
        session.account,
        { revision: m.revision, direction, at, kinds },
        backupTarget,
      ).catch(async (error: unknown) => {
        // Nothing went out yet: a journal without its plan would only mislead a later --resume.
        await writer.close();
        await rm(path, { force: true });
        throw error;
      });
      backup = written.path;
      reporter.info(
        `backup of ${kinds.join(", ")} (${Object.values(written.counts).reduce((a, b) => a + b, 0)} objects) written to ${backup}`,
      );
      const { objects, first } = written.rounded;
      if (objects > 0)
        reporter.warn(
          `the backup ${backup} holds ${objects} object(s) with an integer beyond 2^53, as read: rounded (first: ${first}); \`resonant restore\` from it would write them so, and \`resonant verify\` of it names them; \`resonant export\` keeps their exact digits`,
        );
    }
    for (const c of conflicts) writer.append({ t: "conflict", kind: c.kind, id: c.id, reason: c.reason });
    writer.append({ t: "planned", ops: seq, backup });
    await writer.sync();
    state = emptyJournalState();
  }
  // From here the journal holds the plan: an interrupted run is carried on, not started again (cut.ts).
  const forgetHint = onInterrupt(() => interruptNote(session, direction));
  let totals: ApplyTotals;
  const newSecrets: { kind: string; id: string }[] = [];
  try {
    totals = await applyJournal({
      account: session.account,
      path,
      writer,
      state,
      // Journals of older versions of this tool had no key: their run id stands in.
      keyPrefix: key ?? run,
      revision: m.revision,
      concurrency: options.concurrency,
      failures: options.failures,
      reporter,
      verify: carryOn,
      newSecrets,
    });
  } catch (error) {
    if (!session.onCopy) reportNewSecrets(reporter, m.revision, newSecrets);
    // Why, kept in the journal: what reads it later (history, current, the next run) advises as this message does.
    writer.append(cutEntry(error));
    await writer.close().catch(() => undefined);
    throw cutError(session, { revision: m.revision, direction, path, backup }, error);
  }
  for (const c of conflicts) {
    reporter.warn(`conflict: ${c.kind} ${c.id} ${c.reason}`);
    options.failures.write(c.id, c.kind, {
      code: "conflict",
      message: `revision ${m.revision}: ${c.reason}`,
      status: null,
      requestId: null,
    });
  }
  const failed = Object.values(totals).reduce((n, t) => n + t.failed, 0);
  const final = failed > 0 || conflicts.length > 0 ? "partial" : direction === "up" ? "applied" : "reverted";
  // The ledger first: a run killed between the two is seen as finished by the next one (same run id in both).
  await session.ledger.append({
    revision: m.revision,
    checksum: m.checksum,
    api_version: session.account.apiVersion,
    state: final,
    direction,
    message: m.message,
    run,
    backup,
  });
  writer.append({ t: "end", state: final });
  await writer.close();
  forgetHint();
  const result: StepResult = {
    revision: m.revision,
    direction,
    state: final,
    counts,
    totals,
    failed,
    conflicts,
    backup,
    resumed: carryOn,
  };
  // Said now, not in the run's summary: a later revision that fails must not hide that this one was written.
  reporter.stop();
  reportStep(reporter, result);
  // The copy `migrate test` runs on is thrown away with its secrets.
  if (!session.onCopy) reportNewSecrets(reporter, m.revision, newSecrets);
  return result;
}
