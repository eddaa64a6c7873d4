/**
 * JSON without silent rounding. `JSON.parse` turns every number into a
 * double, so 9007199254740993 becomes 9007199254740992 and a 30-digit id
 * loses its tail; Node 20 has neither `JSON.rawJSON` nor the source text of
 * a parsed number to undo that. This module keeps, for each number a double
 * cannot hold exactly, its source text ({@link JsonNumber}); carries a
 * whole value as its own text ({@link RawJson}); and writes both back out
 * byte for byte ({@link stringifyLossless}).
 * @module
 */

/**
 * A JSON number a double cannot hold exactly (beyond 2^53, more than 17
 * significant digits, out of the double's range), kept as its source text.
 * `Number(n)` gives the nearest double; {@link stringifyLossless} writes the
 * text as it came. A plain `JSON.stringify` writes the nearest double (it
 * cannot do better), so send such values with `stringifyLossless`.
 */
export class JsonNumber {
  /** The number's JSON text, as the source wrote it. */
  readonly text: string;
  constructor(text: string) {
    if (!NUMBER.test(text)) throw new TypeError(`not a JSON number: ${JSON.stringify(text.slice(0, 40))}`);
    this.text = text;
  }
  /** The nearest double (rounded). */
  valueOf(): number {
    return Number(this.text);
  }
  /** The source text. */
  toString(): string {
    return this.text;
  }
  /** What a plain `JSON.stringify` writes: the nearest double (rounded); use {@link stringifyLossless} instead. */
  toJSON(): number {
    return Number(this.text);
  }
}

/**
 * A value given as its JSON text: checked by its parsed `value`, written by
 * {@link stringifyLossless} (and sent by `importBatch`) as `text`, byte for
 * byte, so nothing in it is re-serialised or rounded.
 */
export class RawJson {
  /** The value's JSON text, sent as it is. */
  readonly text: string;
  /** The parsed value, for checks and ids (its numbers may be rounded: `text` is what is sent). */
  readonly value: unknown;
  /** `value` defaults to `JSON.parse(text)`, which also proves `text` is JSON. */
  constructor(text: string, value: unknown = JSON.parse(text)) {
    this.text = text;
    this.value = value;
  }
  /** What a plain `JSON.stringify` writes: the parsed value (its numbers may be rounded). */
  toJSON(): unknown {
    return this.value;
  }
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Sign, significant digits and exponent of a decimal number's text: equal keys mean equal values. */
function decimalKey(text: string): string {
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) return `?${text}`;
  const [, sign, int = "", frac = "", exp = "0"] = match;
  let digits = int + frac;
  let exponent = Number(exp) + int.length;
  const lead = digits.search(/[1-9]/);
  if (lead === -1) return "0";
  digits = digits.slice(lead).replace(/0+$/, "");
  exponent -= lead;
  return `${sign}${digits}e${exponent}`;
}

/** True when the double nearest to the JSON number `text` has exactly its value. */
export function isExactNumber(text: string): boolean {
  // Up to 15 significant digits without an exponent always survive a double.
  if (text.length <= 15 && !/[eE]/.test(text)) return true;
  const double = Number(text);
  if (!Number.isFinite(double)) return false;
  return decimalKey(text) === decimalKey(String(double).replace("e+", "e"));
}

const isNumberChar = (c: number) =>
  (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x45 || c === 0x65;

/**
 * In the JSON text `text`, the index just past the string whose opening quote
 * stands just before `from` (the closing quote is the first one not escaped
 * by an odd run of backslashes); `text.length` when the string is not closed.
 * For scanners that walk JSON text and must step over strings whole.
 */
export function jsonStringEnd(text: string, from: number): number {
  let q = text.indexOf('"', from);
  for (;;) {
    if (q === -1) return text.length;
    let slashes = 0;
    for (let k = q - 1; k >= from && text.charCodeAt(k) === 0x5c; k--) slashes++;
    if (slashes % 2 === 0) return q + 1;
    q = text.indexOf('"', q + 1);
  }
}

// An integer a double holds exactly but JavaScript writes otherwise (from 1e21 up: 1e+21) keeps its text
// too, so an integer goes back out with the digits it came with; so does a negative zero written any way
// (-0.0), which JSON.stringify writes as 0, without its sign.
const keepsItsText = (token: string): boolean =>
  isExactNumber(token) && (/[.eE]/.test(token) ? !Object.is(Number(token), -0) : String(Number(token)) === token);

/**
 * The `[start, end)` of every number token in `text` (outside strings) that a double cannot hold exactly,
 * or an integer a double holds but would write in other digits.
 */
export function inexactNumbers(text: string): [number, number][] {
  const found: [number, number][] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = jsonStringEnd(text, i + 1);
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1;
      while (j < n && isNumberChar(text.charCodeAt(j))) j++;
      if (!keepsItsText(text.slice(i, j))) found.push([i, j]);
      i = j;
    } else i++;
  }
  return found;
}

/**
 * `JSON.parse` without loss: every number a double cannot hold exactly
 * comes back as a {@link JsonNumber} holding its source text; the rest is
 * exactly `JSON.parse(text)` (and costs one extra pass over the text when
 * nothing needs keeping). Throws a `SyntaxError` for text that is not JSON.
 *
 * @param parsed - `JSON.parse(text)`, when the caller has it already (a record read from a stream): answered as it
 *   is when no number needs keeping, so the text is not parsed twice.
 */
export function parseLossless(text: string, parsed?: unknown): unknown {
  const inexact = inexactNumbers(text);
  // JSON.parse never answers undefined, so undefined means none was given.
  if (inexact.length === 0) return parsed === undefined ? JSON.parse(text) : parsed;
  // Each such number becomes a marked string, swapped back by the reviver. A
  // parsed string can hold U+0000 only through a \u0000 escape; when the text
  // has one, a random tag makes a clash with real data beyond reach.
  const tag = /\\u0000/i.test(text)
    ? `\u0000${Math.random().toString(36).slice(2)}${Date.now().toString(36)}:`
    : "\u0000:";
  const numbers: JsonNumber[] = [];
  let marked = "";
  let from = 0;
  for (const [start, end] of inexact) {
    marked += `${text.slice(from, start)}"${tag.replace("\u0000", "\\u0000")}${numbers.length}"`;
    numbers.push(new JsonNumber(text.slice(start, end)));
    from = end;
  }
  marked += text.slice(from);
  return JSON.parse(marked, (_key, value: unknown) =>
    typeof value === "string" && value.startsWith(tag) ? numbers[Number(value.slice(tag.length))] : value,
  );
}

/**
 * `JSON.stringify` that writes a {@link JsonNumber} as its source text, a
 * {@link RawJson} as its text and a `bigint` as its digits; otherwise as
 * `JSON.stringify` does (`toJSON` honoured, `undefined` and functions left
 * out of objects and written `null` in arrays), without indentation.
 */
export function stringifyLossless(value: unknown): string {
  return write(value, "") ?? "null";
}

function write(value: unknown, key: string): string | undefined {
  if (value instanceof JsonNumber || value instanceof RawJson) return value.text;
  if (typeof value === "bigint") return value.toString();
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    return write((value as { toJSON(key: string): unknown }).toJSON(key), key);
  }
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += `${i > 0 ? "," : ""}${write(value[i], String(i)) ?? "null"}`;
    return `${out}]`;
  }
  let out = "{";
  let first = true;
  for (const k of Object.keys(value)) {
    const item = write((value as Record<string, unknown>)[k], k);
    if (item === undefined) continue;
    out += `${first ? "" : ","}${JSON.stringify(k)}:${item}`;
    first = false;
  }
  return `${out}}`;
}
