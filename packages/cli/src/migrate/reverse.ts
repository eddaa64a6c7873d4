/**
 * `down` without a `down()`: the run's journal reversed. Each write the
 * migration made is undone in the reverse order, and only when the object
 * is still what the migration left (its state hash): an updated object gets
 * its before-image's fields back, a created one is deleted, a deleted one is
 * put back with its id. An object changed since is a conflict, listed and
 * left alone, unless `force`.
 * @module
 */
import type { Kind } from "@resonantgenesis/schemas/meta";
import { objectKey } from "../archive/format.js";
import type { Account } from "./account.js";
import { CliError } from "../exit.js";
import type { JournalState, OpEntry, PlannedEntry } from "./journal.js";
import { journalOpsReversed } from "./journal-reverse.js";
import { versionBridge } from "./journal-version.js";
import { ownField, setOwn } from "../core/own-fields.js";
import { stateHash, type Obj } from "./plan.js";
import type { PlanSink } from "./ctx.js";

/** An object the reversal leaves alone. */
export interface ReversalConflict {
  kind: string;
  id: string;
  reason: string;
}

/**
 * Refuses to reverse the up journal at `path` (`state`, undefined when there is none) of revision `m` unless its
 * plan is whole and, when its run ended, every write's outcome is there: that run wrote each outcome before its
 * end, so a missing one was cut or edited away, and undoing the others alone would leave it migrated under a
 * ledger saying reverted. The refusal names the revision's backup, if it has one.
 */
export function refuseUnreversible(
  m: { revision: string; file: string },
  path: string,
  state: JournalState | undefined,
  backup: string | null | undefined,
): asserts state is JournalState & { planned: PlannedEntry } {
  const told = state ? state.done.size + state.failed.size : 0;
  const why = !state
    ? "is not on this machine"
    : !state.planned
      ? "holds no whole plan (it was cut or edited)"
      : state.end && told < state.planned.ops
        ? `tells how ${told} of its ${state.planned.ops} writes went, not all (it was cut or edited)`
        : undefined;
  if (why === undefined) return;
  throw new CliError(
    `revision ${m.revision} (${m.file}) is irreversible here: it has no down() and its journal (${path}) ${why}. ${backup ? `Roll back with \`resonant restore ${backup}\`` : "Roll back from a backup with `resonant restore FILE`"}; nothing was written`,
  );
}

/** Plans the undo of the up journal at `path` (its `state` read before); conflicts go to `onConflict`. */
export async function planReversal(
  account: Account,
  path: string,
  state: JournalState,
  force: boolean,
  sink: PlanSink,
  onConflict: (c: ReversalConflict) => void,
): Promise<void> {
  // A journal of an older API version: its before-images are upgraded, live objects compared on its fields.
  const bridge = versionBridge(path, state.begin?.api_version, account.apiVersion);
  // What the reversal has planned so far per object, so an object written twice is undone step by step.
  const planned = new Map<string, Obj | null>();
  const live = async (kind: Kind, id: string) =>
    planned.has(objectKey(kind, id)) ? (planned.get(objectKey(kind, id)) ?? undefined) : await account.get(kind, id);
  const remember = (kind: Kind, id: string, object: Obj | null) => {
    if (repeated.has(objectKey(kind, id))) planned.set(objectKey(kind, id), object);
  };
  const ids = new Map<string, string>();
  // Objects this run created, each with the state the run last left it in (null: the run deleted it too). Their
  // create's undo deletes them, if still so; their updates are not undone one by one (the before-image of an update
  // of an object not yet created is the planned body, which the server never held).
  const created = new Map<string, string | null | undefined>();
  // Only the ops that went through are undone; the real ids of creates are noted on the way, for the ops after them that name them.
  // Objects the migration wrote more than once: only theirs are kept in `planned` (keeping every undone object held them all).
  let seen: Set<string> | undefined = new Set<string>();
  const repeated = new Set<string>();
  const wentThrough = ({ seq, op }: OpEntry) => {
    const done = state.done.get(seq);
    if (!done) return false;
    if (op.op === "create" && done.id) ids.set(op.id, done.id);
    const k = objectKey(op.kind, ids.get(op.id) ?? op.id);
    if (op.op === "create" || created.has(k))
      created.set(k, op.op === "delete" ? null : (done.after ?? (op.op === "update" ? op.after : undefined)));
    if (seen!.has(k)) repeated.add(k);
    else seen!.add(k);
    return true;
  };
  for await (const { seq, op } of journalOpsReversed(path, wentThrough)) {
    seen = undefined;
    const done = state.done.get(seq)!;
    const kind = op.kind as Kind;
    const id = ids.get(op.id) ?? op.id;
    const now = await live(kind, id);
    const nowHash = now && bridge.hash(kind, now);
    const conflict = (reason: string) => onConflict({ kind, id, reason });
    const left = created.get(objectKey(kind, id));
    if (left !== undefined && op.op !== "create") continue; // undone by its create's undo, below
    switch (op.op) {
      case "update": {
        if (!now) {
          conflict("deleted since the migration; not re-created");
          break;
        }
        if (nowHash === stateHash(op.before)) break; // already as it was (a retried down)
        if (nowHash !== (done.after ?? op.after) && !force) {
          conflict("changed since the migration; not overwritten (--force to restore it anyway)");
          break;
        }
        const patch: Record<string, unknown> = {};
        for (const field of Object.keys(op.patch)) setOwn(patch, field, ownField(op.before, field) ?? null);
        // A kind without PATCH (a session, a memory) is written back whole by an import, and a get leaves out
        // what the export the migration read carried (a session's steps): those come from the before-image.
        const current = { ...bridge.image(kind, seq, op.before), ...now } as Obj;
        const next = { ...current, ...patch } as Obj;
        remember(kind, id, next);
        await sink({ op: "update", kind, id, before: current, patch, after: stateHash(next) });
        break;
      }
      case "create": {
        if (!now || left === null) break; // already gone, or the run deleted it itself
        // Still as the run last left it (created, then maybe updated by the run itself)?
        if (left && nowHash !== left && !force) {
          conflict("changed since the migration created it; not deleted (--force to delete it anyway)");
          break;
        }
        remember(kind, id, null);
        await sink({ op: "delete", kind, id, before: now });
        break;
      }
      case "delete": {
        if (now && nowHash === stateHash(op.before)) break; // already back
        if (now && !force) {
          conflict("exists again since the migration deleted it; not overwritten (--force to put the old copy back)");
          break;
        }
        const object = bridge.image(kind, seq, op.before);
        remember(kind, id, object);
        await sink({ op: "restore", kind, id, object, after: stateHash(object) });
        break;
      }
      case "restore":
        break;
    }
  }
}
