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
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;

/**
 * Cuts `line`, the text of one JSON object (a record line JSON.parse has accepted), around the value of its
 * top-level member named `"data"` (escaped or not); undefined when it has none.
 */
export function cutLine(line: string): CutLine | undefined {
  let depth = 0;
  let lastKeyIsData = false;
  let from = -1;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x22) {
      const end = jsonStringEnd(line, i + 1);
      // A key or a value; only a key is followed by ':', which is where the flag is read.
      if (depth === 1) lastKeyIsData = isDataKey(line, i, end);
      i = end - 1;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (--depth === 0 && from !== -1) return cut(line, from, i);
    } else if (c === 0x3a && depth === 1 && lastKeyIsData) from = i + 1;
    else if (c === 0x2c && depth === 1 && from !== -1) return cut(line, from, i);
  }
  return undefined;
}

/**
 * Whether `key`, a JSON string's text (its quotes included), is the key "data", written plainly or with escapes
 * (`"d\u0061ta"`, the same key to any parser): the one rule of the archive scanner and the live cut.
 */
export function isDataKeyText(key: string): boolean {
  // Four characters escaped as \uXXXX at most: a longer string is another key.
  return key === '"data"' || (key.length <= 26 && key.includes("\\") && JSON.parse(key) === "data");
}

/** {@link isDataKeyText} of `line[from, end)`, the plain spelling told without cutting the string out. */
function isDataKey(line: string, from: number, end: number): boolean {
  if (end - from === 6) return line.startsWith('"data"', from);
  return end - from <= 26 && isDataKeyText(line.slice(from, end));
}

function cut(line: string, from: number, to: number): CutLine {
  while (from < to && isSpace(line.charCodeAt(from))) from++;
  while (to > from && isSpace(line.charCodeAt(to - 1))) to--;
  return { text: line.slice(from, to), around: [line.slice(0, from), line.slice(to)] };
}
