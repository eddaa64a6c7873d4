/**
 * Comparing two copies of an account for `migrate test`: object by object
 * and field by field, with the fields the server manages on every write left
 * out ({@link MANAGED_FIELDS}). Objects a migration created have new ids on
 * every run, so objects found on one side only are paired by content (less
 * `id` and `created_at`) before they count as missing or extra.
 * @module
 */
import { canonicalJson } from "../core/canonical.js";
import { ownField } from "../core/own-fields.js";
import { comparable, fieldDiff, type FieldChange } from "./plan.js";

/** A copy of an account: kind -> objects. */
export type Snapshot = Record<string, Record<string, unknown>[]>;

/** One difference. */
export interface Difference {
  kind: string;
  id: string;
  problem: "missing" | "extra" | "changed";
  fields: FieldChange[];
}

const contentKey = (o: Record<string, unknown>) => {
  const { id: _id, created_at: _c, ...rest } = comparable(o);
  return canonicalJson(rest);
};

/** The differences of `actual` from `expected`. */
export function compareSnapshots(expected: Snapshot, actual: Snapshot): Difference[] {
  const out: Difference[] = [];
  for (const kind of [...new Set([...Object.keys(expected), ...Object.keys(actual)])]) {
    // Own members: a kind named `__proto__` is not the prototype.
    const of = (snapshot: Snapshot) => (ownField(snapshot, kind) ?? []) as Record<string, unknown>[];
    const a = new Map(of(expected).map((o) => [String(o.id), o]));
    const b = new Map(of(actual).map((o) => [String(o.id), o]));
    const onlyA: Record<string, unknown>[] = [];
    const onlyB = new Map<string, Record<string, unknown>[]>();
    for (const [id, o] of b) if (!a.has(id)) onlyB.set(contentKey(o), [...(onlyB.get(contentKey(o)) ?? []), o]);
    for (const [id, o] of a) {
      const other = b.get(id);
      if (!other) {
        onlyA.push(o);
        continue;
      }
      const fields = fieldDiff(comparable(o), comparable(other));
      if (fields.length) out.push({ kind, id, problem: "changed", fields });
    }
    for (const o of onlyA) {
      const twins = onlyB.get(contentKey(o));
      if (twins?.length) twins.shift();
      else out.push({ kind, id: String(o.id), problem: "missing", fields: [] });
    }
    for (const twins of onlyB.values())
      for (const o of twins) out.push({ kind, id: String(o.id), problem: "extra", fields: [] });
  }
  return out;
}
