/**
 * What an import or a copy would do to a target, without writing: the
 * target's ids per kind (and content digests, to tell an overwrite that
 * changes nothing), then, for each record: create, skip, overwrite or
 * conflict; and the plan as a dry run prints it.
 * @module
 */
import type { ApiVersion, ResonantClient } from "@resonantgenesis/sdk";
import { importOrder } from "@resonantgenesis/schemas/meta";
import { EXIT, type ExitCode } from "../exit.js";
import type { Reporter } from "../ui/reporter.js";
import { renderTable } from "../ui/table.js";
import { contentDigest } from "./canonical.js";
import { liveRecords } from "./records.js";

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

/** The target's objects, by kind and id, as content digests. */
export async function targetIndex(client: ResonantClient<ApiVersion>): Promise<Map<string, Map<string, string>>> {
  const index = new Map<string, Map<string, string>>();
  for await (const { kind, data } of liveRecords(client)) {
    let ids = index.get(kind);
    if (!ids) index.set(kind, (ids = new Map()));
    ids.set(String(data.id), contentDigest(data));
  }
  return index;
}

/** The plan of carrying `records` (each in the target's version) into the target of `index`, a row per kind in import order. */
export async function planOf(
  records: AsyncIterable<{ kind: string; data: unknown }>,
  index: Map<string, Map<string, string>>,
  onConflict: string,
): Promise<KindPlan[]> {
  const plans = new Map<string, KindPlan>();
  for await (const { kind, data } of records) planRecord(plans, index, kind, data, onConflict);
  return importOrder(plans.keys()).map((kind) => plans.get(kind)!);
}

/** Adds one record to the plan. */
function planRecord(
  plans: Map<string, KindPlan>,
  index: Map<string, Map<string, string>>,
  kind: string,
  data: unknown,
  onConflict: string,
): void {
  let plan = plans.get(kind);
  if (!plan) plans.set(kind, (plan = { kind, read: 0, create: 0, skip: 0, overwrite: 0, conflict: 0 }));
  plan.read++;
  const existing = index.get(kind)?.get(String((data as { id: unknown }).id));
  if (existing === undefined) plan.create++;
  else if (onConflict === "skip") plan.skip++;
  else if (onConflict === "fail") plan.conflict++;
  else if (existing === contentDigest(data)) plan.skip++;
  else plan.overwrite++;
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
