/**
 * Comparing objects by content: a canonical JSON text (keys sorted at every
 * level, numbers exact) and its digest, so that verify, restore and the dry runs can hold one short
 * digest per object instead of the object.
 * @module
 */
import { hash } from "node:crypto";
import { JsonNumber, stringifyLossless } from "@resonantgenesis/sdk";
import { isPlainObject, setOwn } from "./own-fields.js";

/**
 * JSON text of `value` with object keys sorted at every level; a
 * `JsonNumber` (a number a double cannot hold, from `parseLossless`) as its
 * source text, so two numbers that differ only beyond 2^53 differ here too.
 * Top-level members named in `leaveOut` are left out. Written in one pass, with no intermediate arrays: migrate
 * hashes each object it plans and each the server answers. (Its state hashes are kept in journals: the text
 * must not change.)
 */
export function canonicalJson(value: unknown, leaveOut?: ReadonlySet<string>): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (value instanceof JsonNumber) return value.text;
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i ? "," : "") + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = "{";
  for (const key of Object.keys(record).sort()) {
    const v = record[key];
    if (v === undefined || leaveOut?.has(key)) continue;
    out += `${out.length > 1 ? "," : ""}${JSON.stringify(key)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}

/**
 * An object's content as `verify`, `restore` and the dry runs of `import` and
 * `copy` compare it: its top-level fields, by name, sorted.
 * A field that is null is left out, so null and absent are one value: a
 * server may leave out a field it has no value for (docs/protocol.md: a session
 * not started for a team leaves `team_id` out or sends null; section 8, a
 * field the page does not list may be absent), and writing the null again could
 * never make the field appear. Only the object's own fields: a null inside a
 * field (a `context`, a tool's `parameters`) is the user's data and compared as it is.
 * Fields in `ignore` are left out too.
 *
 * The one rule behind {@link contentDigestBytes} and {@link changedFields}: two objects
 * have the same digest exactly when no field is named changed.
 */
function keeps(value: unknown, key: string, ignore: ReadonlySet<string> | undefined): boolean {
  return value !== undefined && value !== null && !ignore?.has(key);
}

/** Each field {@link keeps} keeps, by name: its canonical text. */
function contentFields(object: Record<string, unknown>, ignore?: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const key of Object.keys(object)) if (keeps(object[key], key, ignore)) out.set(key, canonicalJson(object[key]));
  return out;
}

// The last record's keys and their sorted order: an account's objects of one kind mostly share their keys, and
// sorting them again was a tenth of a digest.
let lastKeys: string[] = [];
let lastSorted: string[] = [];

/** The keys of a record (a top-level object), sorted. */
function sortedKeys(record: object): string[] {
  const keys = Object.keys(record);
  let same = keys.length === lastKeys.length;
  for (let i = 0; same && i < keys.length; i++) same = keys[i] === lastKeys[i];
  if (same) return lastSorted;
  lastKeys = keys;
  lastSorted = keys.slice().sort();
  return lastSorted;
}

/** Set when {@link sortedCopy} meets a {@link JsonNumber}, which a plain `JSON.stringify` would round. */
let inexact = false;

/** `value` with the keys of every object inside it in sorted order (arrays kept in theirs). */
function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof JsonNumber) {
    inexact = true;
    return value;
  }
  if (Array.isArray(value)) return value.map(sortedCopy);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) setOwn(copy, key, sortedCopy((value as Record<string, unknown>)[key]));
  return copy;
}

/**
 * The text both content digests are taken of: the fields {@link keeps} keeps, with every object's keys sorted,
 * written by one `JSON.stringify` (a copy in sorted order costs half of writing each field's canonical text). One
 * content gives one text and another content another, which is all a digest needs. (Integer-like keys come first
 * in any object JavaScript builds, which changes the order, not what the text holds.)
 */
function contentText(object: unknown, ignore?: ReadonlySet<string>): string {
  // Never an archive record (they are checked to be objects), but compared whole all the same: its canonical text,
  // which no object's is (those start with "{").
  if (!isPlainObject(object)) return canonicalJson(object);
  inexact = false;
  const copy: Record<string, unknown> = {};
  for (const key of sortedKeys(object)) {
    const value = object[key];
    if (keeps(value, key, ignore)) setOwn(copy, key, sortedCopy(value));
  }
  return inexact ? stringifyLossless(copy) : JSON.stringify(copy);
}

/**
 * The digest of an object's content as {@link keeps} reads it (equal digests, no changed fields): the first
 * 16 bytes of its SHA-256, for an index that keeps one per object (digest-index.ts) in a typed array rather than as
 * a string on V8's heap. The one-shot hash (Node 20.12+, the floor is 20.19): no Hash object per object.
 */
export function contentDigestBytes(object: unknown, ignore?: ReadonlySet<string>): Uint8Array {
  return hash("sha256", contentText(object, ignore), "buffer").subarray(0, 16);
}

/**
 * The top-level fields whose values differ between `a` and `b`, as
 * {@link keeps} reads them (null and absent alike, `ignore` left out): empty
 * exactly when their {@link contentDigestBytes} are equal.
 */
export function changedFields(a: unknown, b: unknown, ignore?: ReadonlySet<string>): string[] {
  // A value that is no object is compared whole, as one field named "".
  if (!isPlainObject(a) || !isPlainObject(b)) return contentText(a, ignore) === contentText(b, ignore) ? [] : [""];
  const left = contentFields(a, ignore);
  const right = contentFields(b, ignore);
  const keys = new Set([...left.keys(), ...right.keys()]);
  return [...keys].filter((key) => left.get(key) !== right.get(key)).sort();
}
