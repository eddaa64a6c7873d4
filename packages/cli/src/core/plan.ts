/**
 * What an import or a copy would do to a target, without writing: the
 * target's objects per kind and id (digest-index.ts: content digests, to tell
 * an overwrite that changes nothing), then, for each record: create, skip, overwrite or
 * conflict; and the plan as a dry run prints it.
 * @module
 */
import type { ApiVersion, ResonantClient } from "@resonantgenesis/sdk";
import { importOrder } from "@resonantgenesis/schemas/meta";
import { EXIT, type ExitCode } from "../exit.js";
import type { Reporter } from "../ui/reporter.js";
import { renderTable } from "../ui/table.js";
import { contentDigestBytes } from "./canonical.js";
import { exactData } from "./exact.js";
import { DigestIndex } from "./digest-index.js";
import { type ApartWarnings, liveRecords, repeatedLive } from "./records.js";

/** The plan for one kind. */
export interface KindPlan {
  /** The kind. */
  kind: string;
  /** Records in the archive. */
  read: number;
  /** New on the target. */
  create: number;
  /** Exist on the target, left as they are (`skip`, or an overwrite that changes nothing). */
  skip: number;
  /** Exist on the target and differ: replaced (`overwrite`). */
  overwrite: number;
  /** Exist on the target: refused (`fail`). */
  conflict: number;
}

/**
 * The target's objects, by kind and id, as content digests. An id its export sends twice in its kind stops the dry
 * run as it stops verify and restore: the plan would stand on whichever copy came last. `warnings`: see
 * {@link ApartWarnings}.
 */
export async function targetIndex(client: ResonantClient<ApiVersion>, warnings: ApartWarnings): Promise<DigestIndex> {
  const index = new DigestIndex();
  // Each object with its numbers as the server wrote them, as the archive's or the source's are: a plan that read
  // both rounded would call an overwrite that changes digits beyond a double no change.
  for await (const live of liveRecords(client, warnings, { withText: true })) {
    const { kind } = live;
    const id = String(live.data.id);
    if (!index.add(kind, id, contentDigestBytes(exactData(live)))) repeatedLive(kind, id, true);
  }
  return index;
}

/** A record to plan: `again` when the source sent its id before in its kind (a copy's source may: see copy-checks.ts). */
export interface PlanRecord {
  /** The kind. */
  kind: string;
  /** The object, in the target's version, its numbers exact ({@link exactData}). */
  data: unknown;
  /** The source sent this id before in this kind. */
  again?: boolean;
}

/**
 * The plan of carrying `records` into the target of `index` (which it updates as the run would change the target),
 * a row per kind in import order.
 */
export async function planOf(
  records: AsyncIterable<PlanRecord>,
  index: DigestIndex,
  onConflict: string,
): Promise<KindPlan[]> {
  const plans = new Map<string, KindPlan>();
  for await (const { kind, data, again } of records) {
    let plan = plans.get(kind);
    if (!plan) plans.set(kind, (plan = { kind, read: 0, create: 0, skip: 0, overwrite: 0, conflict: 0 }));
    plan.read++;
    const id = String((data as { id: unknown }).id);
    const existing = index.find(kind, id);
    // An id sent again that the target lacks was planned as created: the run sends the second onto the first, which
    // it skips, refuses, or writes over. Whether an overwrite changes it cannot be told: the plan keeps nothing of
    // what it creates (that would cost every created object a digest), so it counts as an overwrite.
    if (existing < 0 && !again) plan.create++;
    else if (onConflict === "skip") plan.skip++;
    else if (onConflict === "fail") plan.conflict++;
    else if (existing < 0) plan.overwrite++;
    else {
      const digest = contentDigestBytes(data);
      if (index.sameDigest(existing, digest)) plan.skip++;
      else {
        plan.overwrite++;
        // A second copy of this object is told against this one, which the run puts in the target's place.
        index.setDigest(existing, digest);
      }
    }
  }
  return importOrder(plans.keys()).map((kind) => plans.get(kind)!);
}

/** True when carrying out the plan would change the target (or refuse something). */
export function planChanges(plans: Iterable<KindPlan>): boolean {
  for (const p of plans) if (p.create + p.overwrite + p.conflict > 0) return true;
  return false;
}

/** Prints a dry run's plan (a `plan` event with --json) and answers its exit code: 3 when anything would change. */
export function reportPlan(reporter: Reporter, command: string, onConflict: string, rows: KindPlan[]): ExitCode {
  const changes = planChanges(rows);
  reporter.event("plan", { command, on_conflict: onConflict, kinds: rows, changes });
  reporter.text(
    `plan (dry run, on conflict: ${onConflict}; nothing was written):\n${renderTable(
      ["kind", "read", "create", "skip", "overwrite", "conflict"],
      rows.map((p) => [p.kind, p.read, p.create, p.skip, p.overwrite, p.conflict]),
    )}`,
  );
  reporter.summary([], { command, dry_run: true, changes });
  return changes ? EXIT.differences : EXIT.ok;
}
