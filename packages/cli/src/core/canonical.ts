/**
 * Comparing objects by content: a canonical JSON text (keys sorted at every
 * level, numbers exact) and its digest, so that verify, restore and the dry runs can hold one short
 * digest per object instead of the object.
 * @module
 */
import { hash } from "node:crypto";
import { JsonNumber } from "@resonantgenesis/sdk";

/**
 * JSON text of `value` with object keys sorted at every level; a
 * `JsonNumber` (a number a double cannot hold, from `parseLossless`) as its
 * source text, so two numbers that differ only beyond 2^53 differ here too.
 */
export function canonicalJson(value: unknown): string {
  if (value instanceof JsonNumber) return value.text;
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(",")}}`;
}

/**
 * An object's content as `verify`, `restore` and the dry runs of `import` and
 * `copy` compare it: each top-level field's canonical text, by name, sorted.
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
function eachField(
  object: unknown,
  ignore: ReadonlySet<string> | undefined,
  visit: (key: string, text: string) => void,
) {
  if (object === null || typeof object !== "object" || Array.isArray(object)) {
    // Never an archive record (they are checked to be objects), but compared whole all the same.
    visit("", canonicalJson(object));
    return;
  }
  const record = object as Record<string, unknown>;
  for (const key of Object.keys(record).sort()) {
    const value = record[key];
    if (value === undefined || value === null || ignore?.has(key)) continue;
    visit(key, canonicalJson(value));
  }
}

/** Each field {@link eachField} keeps, by name: its canonical text. */
function contentFields(object: unknown, ignore?: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  eachField(object, ignore, (key, text) => out.set(key, text));
  return out;
}

/** The text both content digests are taken of: every field {@link eachField} keeps, in order (no map: one per object). */
function contentText(object: unknown, ignore?: ReadonlySet<string>): string {
  let text = "";
  eachField(object, ignore, (key, value) => {
    text += `${JSON.stringify(key)}:${value},`;
  });
  return text;
}

/**
 * The digest of an object's content as {@link eachField} reads it (equal digests, no changed fields): the first
 * 16 bytes of its SHA-256, for an index that keeps one per object (digest-index.ts) in a typed array rather than as
 * a string on V8's heap. The one-shot hash (Node 20.12+, the floor is 20.19): no Hash object per object.
 */
export function contentDigestBytes(object: unknown, ignore?: ReadonlySet<string>): Uint8Array {
  return hash("sha256", contentText(object, ignore), "buffer").subarray(0, 16);
}

/**
 * The top-level fields whose values differ between `a` and `b`, as
 * {@link eachField} reads them (null and absent alike, `ignore` left out): empty
 * exactly when their {@link contentDigestBytes} are equal.
 */
export function changedFields(a: unknown, b: unknown, ignore?: ReadonlySet<string>): string[] {
  const left = contentFields(a, ignore);
  const right = contentFields(b, ignore);
  const keys = new Set([...left.keys(), ...right.keys()]);
  return [...keys].filter((key) => left.get(key) !== right.get(key)).sort();
}
