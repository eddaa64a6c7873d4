/**
 * `migrate up`, `down` and `stamp`: which revisions to run, in which order,
 * under one lease, with the checks that come before any write (drift, an
 * interrupted run, a target that does not exist, nobody to confirm).
 * @module
 */
import type { FailureLog } from "../archive/failures.js";
import { CliError } from "../exit.js";
import { indexOf } from "./chain.js";
import { refuseNotResumable, type CutFacts } from "./cut.js";
import { exists, journalPath, journalState, JournalWriter, type BeginEntry, type CutEntry } from "./journal.js";
import { checkDrift, drifted, isApplied } from "./ledger.js";
import { Lease } from "./lease.js";
import { refresh, refuseUnknownRevisions, type Session } from "./session.js";
import { interactive } from "../ui/prompt.js";
import { dryRunSteps } from "./dry-run.js";
import { runStep, type StepResult } from "./step.js";
import type { LoadedMigration } from "./loader.js";

/** Options of `up` and `down`. */
export interface RunOptions {
  dryRun: boolean;
  yes: boolean;
  resume: boolean;
  backup?: string | undefined;
  noBackup: boolean;
  /** `--force`: `down` overwrites objects changed since the migration. Nothing else. */
  force: boolean;
  /** A file changed since its revision ran: refused (`up`, `down`), or only said (`migrate test`, on a copy). */
  changedFiles: "refuse" | "warn";
  concurrency: number;
  failures: FailureLog;
}

/** What a run did: each step, or for a dry run the number of changes it would make. */
export interface RunOutcome {
  steps: StepResult[];
  dryRun: boolean;
  changes: number;
  conflicts: number;
}

/** A run of one revision cut short: begun and planned in its journal, never ended. */
export interface CutRun {
  m: LoadedMigration;
  direction: "up" | "down";
  begin: BeginEntry;
  /** Its journal, its backup (null with --no-backup) and why it was cut (undefined for a kill): what to advise. */
  facts: CutFacts;
  cut: CutEntry | undefined;
  /** The ledger already holds its outcome (killed between the ledger and the journal's last line): it is over. */
  over: boolean;
}

/** The cut run of `m` in `direction`, if any; read only, so `history` and `current` can name it too. */
export async function cutRun(
  session: Session,
  m: LoadedMigration,
  direction: "up" | "down",
): Promise<CutRun | undefined> {
  const path = journalPath(session.journalDir, m.revision, direction);
  if (!(await exists(path))) return undefined;
  const state = await journalState(path);
  if (!state.begin || !state.planned || state.end) return undefined;
  return {
    m,
    direction,
    begin: state.begin,
    facts: { revision: m.revision, direction, path, backup: state.planned.backup },
    cut: state.cut,
    over: session.latest.get(m.revision)?.run === state.begin.run,
  };
}

/** The run cut short in the folder's journals, if any; closes the journals of runs that were in fact over. */
async function interrupted(session: Session): Promise<CutRun | undefined> {
  for (const m of session.chain) {
    for (const direction of ["up", "down"] as const) {
      const cut = await cutRun(session, m, direction);
      if (!cut) continue;
      if (!cut.over) return cut;
      const writer = await JournalWriter.open(journalPath(session.journalDir, m.revision, direction), true);
      writer.append({ t: "end", state: session.latest.get(m.revision)!.state });
      await writer.close();
    }
  }
  return undefined;
}

const warn = (session: Session) => (message: string) => session.reporter.warn(message);

/** Takes the account's lease for `command`; a signal gives it back once the ledger's appends under way have landed. */
const takeLease = (session: Session, command: string) =>
  Lease.acquire(session.ledgerClient, session.run, command, warn(session), () => session.ledger.idle());

/** The checks every writing run makes first. */
async function before(session: Session, direction: "up" | "down", options: RunOptions): Promise<void> {
  checkDrift(
    session.chain,
    session.latest,
    { refuse: options.changedFiles === "refuse", force: options.force },
    warn(session),
  );
  if (options.dryRun) return;
  const cut = await interrupted(session);
  // Cut by an answer a resume gets again: neither --resume nor another run (nor --api-version) gets past it.
  if (cut) refuseNotResumable(cut.facts, cut.cut);
  // A journal with no end may be a run still writing: one whose lease lives is named (the lease's refusal), not
  // advised to be resumed. A --resume in its direction meets that refusal under the lease it takes to run.
  if (cut && (!options.resume || cut.direction !== direction))
    await (await takeLease(session, `migrate ${direction}`)).release();
  if (cut && !options.resume)
    throw new CliError(
      `migrate ${cut.direction} ${cut.m.revision} was interrupted (run ${cut.begin.run}): carry on with \`resonant migrate ${cut.direction} --resume\`; nothing was written`,
    );
  if (cut && cut.direction !== direction)
    throw new CliError(
      `the interrupted run is a migrate ${cut.direction} of ${cut.m.revision}: resume it with \`resonant migrate ${cut.direction} --resume\` first`,
    );
  // The journal's writes and their expected states were planned for its version: sent under another they read as changed by someone else.
  if (cut && cut.begin.api_version !== session.account.apiVersion)
    throw new CliError(
      `${journalPath(session.journalDir, cut.m.revision, cut.direction)} was planned with API ${cut.begin.api_version}, this run uses ${session.account.apiVersion}: resume it with --api-version ${cut.begin.api_version}; nothing was written`,
    );
  if (!options.yes && !interactive())
    throw new CliError(
      `migrate ${direction} writes to the account and no one is at a terminal to confirm: add --yes (or --dry-run to see the plan); nothing was written`,
    );
  // A run killed before its plan was whole wrote nothing: --resume then simply runs.
  if (options.resume && !cut)
    session.reporter.info("--resume: no write of an interrupted run to carry on; running from the start");
}

/**
 * Runs the revisions `pick` chooses from the session's ledger. A writing run chooses again under its lease, from
 * the ledger read again: the one read at the start may predate a run that held the lease and has ended since, whose
 * revisions would otherwise run a second time over their own changes (and their journals be replaced).
 */
async function steps(
  session: Session,
  pick: () => LoadedMigration[],
  direction: "up" | "down",
  options: RunOptions,
): Promise<RunOutcome> {
  let revisions = pick();
  if (options.dryRun)
    return { steps: [], dryRun: true, ...(await dryRunSteps(session, revisions, direction, options.force)) };
  if (revisions.length === 0) return { steps: [], dryRun: false, changes: 0, conflicts: 0 };
  // The lease is taken before the journal is read again: a --resume whose run still lives is refused here.
  const lease = await takeLease(session, `migrate ${direction}`);
  const done: StepResult[] = [];
  try {
    await refresh(session);
    checkDrift(
      session.chain,
      session.latest,
      { refuse: options.changedFiles === "refuse", force: options.force },
      warn(session),
    );
    revisions = pick();
    for (const m of revisions) {
      const r = await runStep(session, m, direction, { ...options, steps: revisions.length }).catch(
        (error: unknown) => {
          throw afterSteps(error, done);
        },
      );
      done.push(r);
      session.latest.set(m.revision, {
        type: "resonant.migration",
        revision: m.revision,
        checksum: m.checksum,
        api_version: session.account.apiVersion,
        state: r.state,
        direction,
        at: "",
        message: m.message,
        run: session.run,
      });
      // A partial step leaves the next one's reads uncertain: stop there and say so.
      if (r.state === "partial") break;
    }
  } finally {
    await lease.release();
  }
  return {
    steps: done,
    dryRun: false,
    changes: done.length,
    conflicts: done.reduce((n, s) => n + s.conflicts.length, 0),
  };
}

/** The index in the chain of the first revision `up` runs: the current one when it is partial (retried), else the next. */
export function firstToRun(session: Session): number {
  const partial = session.latest.get(session.chain[session.current]?.revision ?? "")?.state === "partial";
  return Math.max(0, partial ? session.current : session.current + 1);
}

const NOTHING = "nothing was written";

/**
 * The error of a revision run after others: its "nothing was written" is said of it alone, so the revisions
 * already written before it (each said as it ended) are named, as "nothing more was written".
 */
function afterSteps(error: unknown, done: readonly StepResult[]): unknown {
  if (done.length === 0 || !(error instanceof CliError) || !error.message.endsWith(NOTHING)) return error;
  const before = done.map((s) => `${s.direction} ${s.revision} ${s.state}`).join(", ");
  return new CliError(`${error.message.slice(0, -NOTHING.length)}nothing more was written (before it: ${before})`, {
    exitCode: error.exitCode,
    cause: error.cause,
  });
}

/**
 * Refuses `up` over a revision a `down` left partial: planned again, its up would journal only the objects that down
 * did undo, and the next down would undo those alone, leaving the ones it failed on migrated under a ledger saying
 * reverted. Finishing the down first keeps every object's undo.
 */
function refuseHalfUndone(session: Session): void {
  const m = session.chain[session.current];
  const r = m && session.latest.get(m.revision);
  if (r?.state !== "partial" || r.direction !== "down") return;
  throw new CliError(
    `migrate up: revision ${m!.revision} was left partial by migrate down (some of its writes were not undone): run \`resonant migrate down\` again to finish undoing it (it retries what failed; \`--force\` for conflicts), then up; nothing was written`,
  );
}

/** `migrate up [target]`: every revision after the current one up to the target (default the head); a partial current one is retried first. */
export async function up(session: Session, target: string | undefined, options: RunOptions): Promise<RunOutcome> {
  const pick = () => {
    refuseUnknownRevisions(session, "migrate up");
    refuseHalfUndone(session);
    const to = indexOf(session.chain, target ?? "head", "migrate up");
    if (to < session.current)
      throw new CliError(
        `migrate up ${target}: the account is at ${session.chain[session.current]!.revision}, after ${target}: use migrate down ${target}`,
      );
    return session.chain.slice(firstToRun(session), to + 1);
  };
  pick();
  await before(session, "up", options);
  return steps(session, pick, "up", options);
}

/** `migrate down [target]`: undoes revisions down to the target (default one step; `base` undoes all). */
export async function down(session: Session, target: string | undefined, options: RunOptions): Promise<RunOutcome> {
  refuseUnknownRevisions(session, "migrate down");
  if (session.current < 0 && !options.resume) return { steps: [], dryRun: options.dryRun, changes: 0, conflicts: 0 };
  const pick = () => {
    refuseUnknownRevisions(session, "migrate down");
    const to = target === undefined ? session.current - 1 : indexOf(session.chain, target, "migrate down");
    if (to > session.current)
      throw new CliError(
        `migrate down ${target}: the account is at ${session.chain[session.current]?.revision ?? "base"}, before ${target}: use migrate up ${target}`,
      );
    return session.chain
      .slice(to + 1, session.current + 1)
      .filter((m) => isApplied(session.latest.get(m.revision)))
      .reverse();
  };
  pick();
  await before(session, "down", options);
  return steps(session, pick, "down", options);
}

/**
 * `migrate stamp <rev>`: records the account as being at `rev` without running anything. Revisions the ledger records
 * as applied that the folder lacks are recorded reverted (in `unknown`): the account is at `rev` of this folder.
 */
export async function stamp(
  session: Session,
  target: string,
): Promise<{ applied: string[]; reverted: string[]; unknown: string[] }> {
  const to = indexOf(session.chain, target, "migrate stamp");
  const lease = await takeLease(session, "migrate stamp");
  const out = { applied: [] as string[], reverted: [] as string[], unknown: [] as string[] };
  try {
    // As for up and down: a run that held the lease while this one waited may have moved the ledger since it was read.
    await refresh(session);
    for (const r of session.unknown) {
      await session.ledger.append({
        revision: r.revision,
        checksum: r.checksum,
        api_version: session.account.apiVersion,
        state: "reverted",
        direction: "stamp",
        message: r.message,
        run: session.run,
        backup: null,
      });
      out.unknown.push(r.revision);
    }
    for (const [i, m] of session.chain.entries()) {
      const applied = isApplied(session.latest.get(m.revision));
      const want = i <= to;
      if (applied === want) continue;
      const state = want ? "applied" : "reverted";
      await session.ledger.append({
        revision: m.revision,
        checksum: m.checksum,
        api_version: session.account.apiVersion,
        state,
        direction: "stamp",
        message: m.message,
        run: session.run,
        backup: null,
      });
      (want ? out.applied : out.reverted).push(m.revision);
    }
  } finally {
    await lease.release();
  }
  return out;
}

/**
 * `migrate stamp <rev> --accept-checksum`: records the file of an applied revision as it is now, when a change to it
 * is only cosmetic, so later runs are not refused for it. The record is the run's own again (state, direction, run,
 * backup), its checksum the file's now and `accepted_from` the one that ran; the account's position does not move.
 * Answers the file's revision, or undefined when the file is as it ran (nothing to accept).
 */
export async function acceptChecksum(session: Session, target: string): Promise<string | undefined> {
  const what = `migrate stamp ${target} --accept-checksum`;
  const i = indexOf(session.chain, target, "migrate stamp");
  const m = session.chain[i];
  if (!m) throw new CliError(`${what}: base has no file; name the revision whose file changed`);
  const r = session.latest.get(m.revision);
  if (!isApplied(r))
    throw new CliError(
      `${what}: revision ${m.revision} is ${r?.state ?? "pending"}: a file's checksum is recorded when it runs, so there is nothing to accept; nothing was written`,
    );
  if (!drifted(m, r)) return undefined;
  const lease = await takeLease(session, "migrate stamp");
  try {
    await session.ledger.append({
      revision: m.revision,
      checksum: m.checksum,
      api_version: r!.api_version,
      state: r!.state,
      direction: r!.direction,
      message: m.message,
      run: r!.run,
      backup: r!.backup ?? null,
      accepted_from: r!.checksum,
    });
  } finally {
    await lease.release();
  }
  return m.revision;
}
