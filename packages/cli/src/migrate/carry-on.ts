/**
 * Which runs carry out a plan already on disk rather than plan again: a run
 * cut after its plan (resumed), and a `partial` one with refused writes
 * (retried). The real run carries it out; a dry run shows what is left of it,
 * which is what the real run would send, not a new plan.
 * @module
 */
import type { Overlay, PlanCounts, PlanSink } from "./ctx.js";
import { exists, journalOps, journalPath, journalState, type JournalState } from "./journal.js";
import type { LoadedMigration } from "./loader.js";
import type { Obj } from "./plan.js";
import type { Session } from "./session.js";

/** The journal of `m` in `direction` and what it says, when a run would carry it on. */
export interface CarriedPlan {
  path: string;
  state: JournalState;
}

/** The journal of `m` in `direction`, read, when there is one. */
export async function priorJournal(
  session: Session,
  m: LoadedMigration,
  direction: "up" | "down",
): Promise<{ path: string; prior: JournalState | undefined }> {
  const path = journalPath(session.journalDir, m.revision, direction);
  return { path, prior: (await exists(path)) ? await journalState(path) : undefined };
}

/** True when a run of `m` in `direction` carries out the plan of `prior` rather than planning again. */
export function carriesOn(
  session: Session,
  m: LoadedMigration,
  direction: "up" | "down",
  prior: JournalState | undefined,
): boolean {
  const last = session.latest.get(m.revision);
  // A partial run with refused writes is retried from its journal; one left partial by conflicts alone is planned again (--force may now apply).
  const retry =
    prior?.end?.state === "partial" &&
    prior.failed.size > 0 &&
    last?.state === "partial" &&
    last.direction === direction;
  return prior?.begin !== undefined && prior.planned !== undefined && (prior.end === undefined || retry);
}

/** The plan a run of `m` in `direction` would carry on, if any. */
export async function carriedPlan(
  session: Session,
  m: LoadedMigration,
  direction: "up" | "down",
): Promise<CarriedPlan | undefined> {
  const { path, prior } = await priorJournal(session, m, direction);
  return prior && carriesOn(session, m, direction, prior) ? { path, state: prior } : undefined;
}

/**
 * Hands each write of `plan` not yet done to `sink` (a dry run's printer), noting it in `overlay` so that the
 * revisions after it are planned on top; answers the counts.
 */
export async function remainingWrites(
  plan: CarriedPlan,
  sink: PlanSink,
  overlay: Overlay,
): Promise<Record<string, PlanCounts>> {
  const counts: Record<string, PlanCounts> = {};
  for await (const { seq, op } of journalOps(plan.path)) {
    if (plan.state.done.has(seq)) continue;
    (counts[op.kind] ??= { update: 0, create: 0, delete: 0, restore: 0 })[op.op]++;
    if (op.op === "update") overlay.patch(op.kind, op.id, op.patch);
    else if (op.op === "delete") overlay.delete(op.kind, op.id);
    else if (op.op === "create") {
      const list = overlay.created.get(op.kind) ?? [];
      list.push({ ...op.body, id: op.id } as Obj);
      overlay.created.set(op.kind, list);
    }
    await sink(op);
  }
  return counts;
}
