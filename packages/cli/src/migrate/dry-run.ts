/**
 * `up --dry-run` and `down --dry-run`: each revision planned against live reads (later ones on top of the earlier
 * ones' changes, through one overlay) and shown, nothing written. A revision whose plan fails part-way (its
 * migration throws, a write it plans would be refused) is refused whole by the real run before any of it is written,
 * after the revisions before it are applied: the dry run says so, and prints none of that revision's changes
 * (`--json`'s `change` events stream as planned, so its error names how many of them would not be applied).
 * @module
 */
import { CliError } from "../exit.js";
import { carriedPlan, remainingWrites } from "./carry-on.js";
import { Overlay, type PlanCounts, type PlanSink } from "./ctx.js";
import { refuseNotResumable } from "./cut.js";
import type { LoadedMigration } from "./loader.js";
import type { PlannedOp } from "./plan.js";
import { planTable, printingSink } from "./report.js";
import type { ReversalConflict } from "./reverse.js";
import type { Session } from "./session.js";
import { plan } from "./step.js";

const NOTHING = "nothing was written";

/** A revision's plan that failed after `planned` changes had been handed to the printer. */
class PlanFailed {
  constructor(
    readonly error: unknown,
    readonly planned: number,
  ) {}
}

const total = (counts: Record<string, PlanCounts>) =>
  Object.values(counts).reduce((n, c) => n + c.update + c.create + c.delete + c.restore, 0);

/** A dry run of one step: the plan printed once it is whole, nothing written. */
async function dryRunStep(
  session: Session,
  m: LoadedMigration,
  direction: "up" | "down",
  overlay: Overlay,
  force: boolean,
): Promise<{ changes: number; conflicts: ReversalConflict[] }> {
  const { reporter } = session;
  const carried = await carriedPlan(session, m, direction);
  // The real run carries out what is left of the plan on disk (retried or resumed), so that is what is shown;
  // unless an answer a resume gets again cut it: the real run is refused, and so is this one, with the same advice.
  if (carried) {
    const { path, state } = carried;
    refuseNotResumable({ revision: m.revision, direction, path, backup: state.planned!.backup }, state.cut);
    reporter.text(
      `${direction} ${m.revision} (${m.message}), dry run: the run carries on from ${path} (${state.done.size} of ${state.planned!.ops} writes done):`,
    );
  } else reporter.text(`${direction} ${m.revision} (${m.message}), dry run:`);
  // The lines wait for the plan to be whole: the real run writes nothing of a revision whose plan fails.
  const held: string[] = [];
  const printer = printingSink(reporter, m.revision, (line) => held.push(line));
  let planned = 0;
  const sink: PlanSink = (op: PlannedOp) => {
    planned++;
    return printer(op);
  };
  let counts: Record<string, PlanCounts>;
  let conflicts: ReversalConflict[];
  try {
    ({ counts, conflicts } = carried
      ? {
          counts: await remainingWrites(carried, sink, overlay),
          conflicts: carried.state.conflicts.map(({ kind, id, reason }) => ({ kind, id, reason })),
        }
      : await plan(session, m, direction, sink, { dryRun: true, force, overlay }));
  } catch (error) {
    // Said where the plan would be, for a reader of standard output alone; the error says why.
    reporter.text(
      `  failed${planned > 0 ? " part-way" : ""}: the real run would refuse it${planned > 0 ? " whole" : ""}, writing none of it`,
    );
    throw new PlanFailed(error, planned);
  }
  for (const line of held) reporter.text(line);
  for (const c of conflicts) reporter.warn(`conflict: ${c.kind} ${c.id} ${c.reason}`);
  reporter.event("plan", { revision: m.revision, direction, kinds: counts, conflicts });
  reporter.text(planTable(counts));
  return { changes: total(counts), conflicts };
}

/**
 * The error of a dry run whose revision `m` failed part-way, as the real run would end: that revision refused before
 * any of it is written, the revisions before it (`before`) applied.
 */
function failedDryRun(
  session: Session,
  failed: PlanFailed,
  m: LoadedMigration,
  direction: "up" | "down",
  before: string[],
): unknown {
  const { error, planned } = failed;
  if (!(error instanceof CliError)) return error;
  const cause = error.message.endsWith(NOTHING) ? error.message.slice(0, -NOTHING.length) : `${error.message}; `;
  // Under --json its change events went out as planned; otherwise none was printed.
  const none =
    planned === 0
      ? ""
      : `, so none of the ${planned} change(s) it planned before this${session.reporter.json ? ` (its "change" events above)` : ""} would be applied`;
  const earlier = before.length > 0 ? ` (before it, the real run would apply ${before.join(", ")})` : "";
  return new CliError(
    `${cause}dry run: ${direction} ${m.revision} failed, and the real run would refuse it before writing any of it${none}${earlier}; ${NOTHING}`,
    { exitCode: error.exitCode, cause: error.cause ?? error },
  );
}

/** Dry-runs `revisions` in order; answers the changes and conflicts they would make. */
export async function dryRunSteps(
  session: Session,
  revisions: readonly LoadedMigration[],
  direction: "up" | "down",
  force: boolean,
): Promise<{ changes: number; conflicts: number }> {
  const overlay = new Overlay();
  const before: string[] = [];
  let changes = 0;
  let conflicts = 0;
  for (const m of revisions) {
    const r = await dryRunStep(session, m, direction, overlay, force).catch((error: unknown) => {
      throw error instanceof PlanFailed ? failedDryRun(session, error, m, direction, before) : error;
    });
    changes += r.changes;
    conflicts += r.conflicts.length;
    before.push(`${direction} ${m.revision}: ${r.changes} change(s)`);
  }
  return { changes, conflicts };
}
