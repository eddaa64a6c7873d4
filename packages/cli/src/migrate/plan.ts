/**
 * The writes a migration plans, and the pure pieces around them: applying
 * a `set`/`unset` to an object, the state hash that tells whether an object
 * is still what the migration left (fields the server manages on every
 * write left out), and the field-level diff a dry run prints.
 * @module
 */
import { hash } from "node:crypto";
import { canonicalJson } from "../core/canonical.js";
import { isPlainObject, ownField, setOwn } from "../core/own-fields.js";

/** An object as the API answers it. */
export type Obj = Record<string, unknown> & { id: string };

/** One planned write. */
export type PlannedOp =
  /** Change fields of an existing object: `patch` holds each changed top-level field's new value. */
  | { op: "update"; kind: string; id: string; before: Obj; patch: Record<string, unknown>; after: string }
  /** Create an object; `id` is a placeholder until the server answers (later ops naming it get the real id). */
  | { op: "create"; kind: string; id: string; body: Record<string, unknown> }
  /** Delete an object. */
  | { op: "delete"; kind: string; id: string; before: Obj }
  /** Put an object back with its id (the import endpoint keeps ids): the undo of a delete. */
  | { op: "restore"; kind: string; id: string; object: Obj; after: string };

/**
 * Fields the server changes on every write, left out of state hashes and of
 * `migrate test`'s comparisons: `updated_at` and an agent's `version`; a
 * session's `steps` are left out too (the export carries them, a get does not).
 */
export const MANAGED_FIELDS: readonly string[] = ["updated_at", "version", "steps"];

/** The object less the fields the server manages (a `__proto__` member kept: fromEntries defines own members). */
export function comparable(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([k]) => !MANAGED_FIELDS.includes(k) && k !== "secret"));
}

const LEFT_OUT = new Set([...MANAGED_FIELDS, "secret"]);

/** The hash of an object's state (managed fields left out): 16 bytes of SHA-256 of `canonicalJson(comparable(object))`, base64. */
export function stateHash(object: Record<string, unknown>): string {
  // The one-shot hash (Node 20.12+, the floor is 20.19): no Hash object per object.
  return hash("sha256", canonicalJson(object, LEFT_OUT), "base64").slice(0, 22);
}

/** The top-level fields a set/unset touches (`metadata.tier` touches `metadata`). */
export function touchedFields(set: Record<string, unknown> = {}, unset: readonly string[] = []): Set<string> {
  const out = new Set<string>();
  for (const path of [...Object.keys(set), ...unset]) out.add(path.split(".", 1)[0]!);
  return out;
}

/** Fields a migration may never set. */
const SERVER_FIELDS = new Set(["id", "object", "created_at", "updated_at", "version"]);

/**
 * `object` with `set` and `unset` applied: a dotted path (`metadata.tier`)
 * changes one key of a nested object; a top-level field in `unset` becomes null.
 * Throws on a field the server manages.
 */
export function applyChange(object: Obj, set: Record<string, unknown> = {}, unset: readonly string[] = []): Obj {
  const out: Record<string, unknown> = { ...object };
  const write = (path: string, value: unknown, remove: boolean) => {
    const [head, ...rest] = path.split(".");
    if (SERVER_FIELDS.has(head!))
      throw new TypeError(`${path}: the server manages this field; a migration cannot set it`);
    // Own members only, read and written: a `__proto__` key is a field like any other (setOwn).
    if (rest.length === 0) {
      setOwn(out, head!, remove ? null : value);
      return;
    }
    const root = isPlainObject(ownField(out, head!)) ? { ...(out[head!] as Record<string, unknown>) } : {};
    let at = root;
    for (const key of rest.slice(0, -1)) {
      setOwn(at, key, isPlainObject(ownField(at, key)) ? { ...(at[key] as Record<string, unknown>) } : {});
      at = at[key] as Record<string, unknown>;
    }
    const leaf = rest.at(-1)!;
    if (remove) delete at[leaf];
    else setOwn(at, leaf, value);
    setOwn(out, head!, root);
  };
  for (const [path, value] of Object.entries(set)) if (value !== undefined) write(path, value, false);
  for (const path of unset) write(path, undefined, true);
  return out as Obj;
}

/**
 * The top-level fields of `after` that differ from `before`, with their new
 * values (the body of a PATCH). With `keys`, only those are compared (the
 * fields a change touched: comparing every field of 100,000 objects was most
 * of a plan's time).
 */
export function patchBetween(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  keys?: Iterable<string>,
): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const key of keys ?? new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (MANAGED_FIELDS.includes(key)) continue;
    const is = ownField(after, key);
    if (canonicalJson(ownField(before, key)) !== canonicalJson(is)) setOwn(patch, key, is === undefined ? null : is);
  }
  return patch;
}

/** One changed field, by path. */
export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

/** The changed leaves between two objects (into nested plain objects; arrays compared whole). */
export function fieldDiff(before: unknown, after: unknown, prefix = ""): FieldChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const out: FieldChange[] = [];
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      if (prefix === "" && MANAGED_FIELDS.includes(key)) continue;
      out.push(...fieldDiff(ownField(before, key), ownField(after, key), prefix ? `${prefix}.${key}` : key));
    }
    return out;
  }
  return canonicalJson(before) === canonicalJson(after)
    ? []
    : [{ path: prefix, before: before ?? null, after: after ?? null }];
}

/** The field changes an op makes, for the dry run's output. */
export function opChanges(op: PlannedOp): FieldChange[] {
  switch (op.op) {
    case "update":
      return fieldDiff(op.before, { ...op.before, ...op.patch });
    case "create":
      return fieldDiff({}, op.body);
    case "delete":
      return fieldDiff(comparable(op.before), {});
    case "restore":
      return fieldDiff({}, comparable(op.object));
  }
}

/** Replaces every placeholder id (of a create not yet sent) found in `value` by the real one. */
export function substituteIds<T>(value: T, ids: ReadonlyMap<string, string>): T {
  if (ids.size === 0) return value;
  if (typeof value === "string") return (ids.get(value) ?? value) as T;
  if (Array.isArray(value)) return value.map((v) => substituteIds(v, ids)) as T;
  if (isPlainObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteIds(v, ids)])) as T;
  return value;
}
