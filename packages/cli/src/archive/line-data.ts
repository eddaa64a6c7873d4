/**
 * The `data` of an export line cut from the line's text, whatever else the line holds: docs/protocol.md section 8
 * lets a newer server add members to any object, a record's line too, and space it as it likes. The text is kept
 * as it came (numbers beyond a double, `-0`, escapes), and so are the line's own members around it.
 * @module
 */
import { jsonStringEnd } from "@resonantgenesis/sdk";

/** A record line's data as its text, and the line's own text before and after it. */
export interface CutLine {
  /** The data's JSON as the line holds it, without the spaces around it. */
  text: string;
  /** The line's text before and after the data (`{"kind":"agent","data":` and `,"x_seq":7}`, say). */
  around: readonly [before: string, after: string];
  /** A member the line names twice (`data`, `kind`), if any: JSON.parse keeps the last, this cut the first. */
  repeated?: string;
  /** The line's first member besides `kind` and `data`, if any. */
  extra?: string;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;

/**
 * Cuts `line`, the text of one JSON object (a record line JSON.parse has accepted), around the value of its
 * top-level member named `"data"` (escaped or not); undefined when it has none. The whole line is read, so a
 * member it names twice is told.
 */
export function cutLine(line: string): CutLine | undefined {
  let depth = 0;
  let key = "";
  let from = -1;
  let to = -1;
  let repeated: string | undefined;
  let extra: string | undefined;
  const names = new Set<string>();
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x22) {
      const end = jsonStringEnd(line, i + 1);
      // A key or a value; only a key is followed by ':', which is where it is read.
      if (depth === 1) key = line.slice(i, end);
      i = end - 1;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (--depth === 0) {
        if (to === -1) to = i;
        break;
      }
    } else if (c === 0x3a && depth === 1) {
      const name = keyName(key);
      if (names.has(name)) repeated ??= name;
      names.add(name);
      if (name === "data") {
        if (from === -1) from = i + 1;
      } else if (name !== "kind") extra ??= name;
    } else if (c === 0x2c && depth === 1 && from !== -1 && to === -1) to = i;
  }
  if (from === -1) return undefined;
  const cut = trimmed(line, from, to);
  if (repeated !== undefined) cut.repeated = repeated;
  if (extra !== undefined) cut.extra = extra;
  return cut;
}

/** The name a JSON string's text (its quotes included) spells, escapes read: `"d\u0061ta"` is `data`. */
function keyName(key: string): string {
  return key.includes("\\") ? (JSON.parse(key) as string) : key.slice(1, -1);
}

/**
 * Whether `key`, a JSON string's text (its quotes included), is the key "data", written plainly or with escapes
 * (`"d\u0061ta"`, the same key to any parser): the archive scanner's test, by the `keyName` the live cut reads.
 */
export function isDataKeyText(key: string): boolean {
  // Four characters escaped as \uXXXX at most: a longer string is another key.
  return key.length <= 26 && keyName(key) === "data";
}

function trimmed(line: string, from: number, to: number): CutLine {
  while (from < to && isSpace(line.charCodeAt(from))) from++;
  while (to > from && isSpace(line.charCodeAt(to - 1))) to--;
  return { text: line.slice(from, to), around: [line.slice(0, from), line.slice(to)] };
}
