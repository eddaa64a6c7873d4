/**
 * The checks that make a hostile archive fail at a byte offset instead of
 * costing memory, a stack or silent damage: bytes that are not UTF-8, a
 * record larger than the SDK reads, nesting deeper than any record needs,
 * and a key written twice in one object. Both scanners use them.
 * @module
 */
import { isUtf8 } from "node:buffer";
import { jsonStringEnd } from "@resonantgenesis/sdk";
import { ScanError } from "./scan-error.js";

/**
 * The largest record (or top-level member, or NDJSON line) read or written, in bytes of JSON text: 64 MiB, the most
 * the SDK takes as one answer or one streamed line, so any object the API hands over fits. An object larger than the
 * API's 10 MiB body limit (a session's steps grow past it) is kept all the same: a backup that left it out, or that
 * could not be made, would lose it; its import fails alone (413, in the failure log). Refusing a larger record as
 * soon as the scanner has read this much keeps memory bounded whatever the file holds.
 */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/**
 * The most top-level members an archive may have (its header members and its kinds, or the members of an NDJSON
 * archive's end line and its kinds), and the most bytes its header members may hold together ({@link
 * MAX_RECORD_BYTES}): an archive has a handful of each, a newer server's additions included. Each is kept to be
 * written again, so without a bound a file of a million tiny members took a gigabyte before anything was refused.
 */
export const MAX_ARCHIVE_MEMBERS = 10_000;

/** An archive's top-level members counted as they come: past either bound of {@link MAX_ARCHIVE_MEMBERS}, refused. */
export class MemberBudget {
  #members = 0;
  #bytes = 0;

  /** One more member (a kind, or a header member of `bytes` bytes of text) at `offset`. */
  take(offset: number, bytes = 0): void {
    const past =
      ++this.#members > MAX_ARCHIVE_MEMBERS
        ? `more than ${MAX_ARCHIVE_MEMBERS} top-level members (header members and kinds)`
        : (this.#bytes += bytes) > MAX_RECORD_BYTES
          ? `header members (everything but the records) of more than ${MAX_RECORD_BYTES} bytes (64 MiB)`
          : undefined;
    if (past) throw new ScanError(offset, `${past}: an archive has a few of each; nothing was sent`);
  }
}

/**
 * The deepest nesting of arrays and objects inside one record. Far more than
 * any object of the API needs, and far less than what would exhaust the
 * stack of the code that checks, upgrades, compares and sends a record.
 */
export const MAX_DEPTH = 256;

// The walk's stack, reused from record to record: a node and its depth side by side, not a pair per node. Each slot
// is emptied as it is taken, so no record's objects are held once the walk is over.
const nodes: (object | undefined)[] = [];
const depths: number[] = [];
/** A walk is under way: one that a getter of a value starts (a migration's object may have one) takes its own stack. */
let walking = false;

/**
 * Keys in `value` and every object inside it (as `for...in` names them), or -1 when arrays and objects nest more than
 * `limit` levels deep (`value` itself the first level): the key count and the depth in one walk. Walked without
 * recursion, so any depth is measured without a stack overflow, and a cycle is found too deep rather than walked
 * forever; a value with no object inside is not walked past its own keys.
 */
export function keysWithin(value: unknown, limit: number): number {
  if (value === null || typeof value !== "object") return 0;
  if (walking) return walk(value, limit, [], []);
  walking = true;
  try {
    return walk(value, limit, nodes, depths);
  } finally {
    walking = false;
  }
}

/** {@link keysWithin} of an object, on the stack `stack` and `levels`, left empty. */
function walk(value: object, limit: number, stack: (object | undefined)[], levels: number[]): number {
  if (limit < 1) return -1;
  let keys = 0;
  let top = 0;
  let node: object = value;
  let depth = 1;
  for (;;) {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const child: unknown = node[i];
        if (child === null || typeof child !== "object") continue;
        if (depth >= limit) return emptied(stack, levels, top, -1);
        stack[top] = child;
        levels[top++] = depth + 1;
      }
    } else {
      for (const key in node) {
        keys++;
        const child: unknown = (node as Record<string, unknown>)[key];
        if (child === null || typeof child !== "object") continue;
        if (depth >= limit) return emptied(stack, levels, top, -1);
        stack[top] = child;
        levels[top++] = depth + 1;
      }
    }
    if (top === 0) return stack.length <= KEPT_SLOTS ? keys : emptied(stack, levels, 0, keys);
    node = stack[--top]!;
    stack[top] = undefined;
    depth = levels[top]!;
  }
}

/** The most slots the stack keeps between walks: one very wide record's stack is not held for the rest of the run. */
const KEPT_SLOTS = 4096;

/** Lets go of the `top` nodes a walk left on its stack and of its slots past {@link KEPT_SLOTS}; answers `answer`. */
function emptied(stack: (object | undefined)[], levels: number[], top: number, answer: number): number {
  stack.fill(undefined, 0, top);
  if (stack.length > KEPT_SLOTS) {
    stack.length = KEPT_SLOTS;
    levels.length = KEPT_SLOTS;
  }
  return answer;
}

/**
 * True when arrays and objects nest more than `limit` levels deep in `value` (itself the first level); see
 * {@link keysWithin}, whose walk this is.
 */
export function nestedPast(value: unknown, limit: number): boolean {
  return keysWithin(value, limit) < 0;
}

/** The refusal of a record over {@link MAX_RECORD_BYTES}. */
export function tooLarge(offset: number, what = "a record"): ScanError {
  return new ScanError(
    offset,
    `${what} larger than ${MAX_RECORD_BYTES} bytes (64 MiB, more than any answer of the API the SDK reads) starts here; nothing was sent`,
  );
}

/** The refusal of nesting over {@link MAX_DEPTH}. */
export function tooDeep(offset: number): ScanError {
  return new ScanError(
    offset,
    `arrays and objects nested more than ${MAX_DEPTH} levels deep inside one record; nothing was sent`,
  );
}

/** Length of the UTF-8 sequence a lead byte starts (0: not a lead byte). */
function sequenceLength(b: number): number {
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

/** Index in `buf` of the first byte of the first ill-formed UTF-8 sequence (Unicode table 3-7), or -1. */
export function firstInvalidUtf8(buf: Uint8Array): number {
  for (let i = 0; i < buf.length; ) {
    const b = buf[i]!;
    const n = sequenceLength(b);
    if (n === 0 || i + n > buf.length) return i;
    if (n > 1) {
      const b1 = buf[i + 1]!;
      const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
      const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
      if (b1 < lo || b1 > hi) return i;
      for (let k = 2; k < n; k++) if ((buf[i + k]! & 0xc0) !== 0x80) return i;
    }
    i += n;
  }
  return -1;
}

/**
 * Checks that a stream of chunks is UTF-8, a character cut by a chunk's end
 * included. JSON.parse and Buffer.toString would turn a bad byte into U+FFFD
 * without a word; an archive is refused instead, at that byte.
 */
export class Utf8Guard {
  #tail: Buffer | undefined;

  /** Checks `chunk`, whose first byte is at `base`. Throws a {@link ScanError}. */
  push(chunk: Buffer, base: number): void {
    let buf = chunk;
    let start = base;
    if (this.#tail) {
      start -= this.#tail.length;
      buf = Buffer.concat([this.#tail, chunk]);
      this.#tail = undefined;
    }
    const cut = incompleteTail(buf);
    const whole = cut === buf.length ? buf : buf.subarray(0, cut);
    if (!isUtf8(whole)) throw notUtf8(start + firstInvalidUtf8(whole));
    if (cut < buf.length) this.#tail = Buffer.from(buf.subarray(cut));
  }

  /** The input ended at `base`: a character it cut is refused. */
  end(base: number): void {
    if (this.#tail) throw notUtf8(base - this.#tail.length);
  }
}

function notUtf8(offset: number): ScanError {
  return new ScanError(
    offset,
    "not UTF-8 here (an invalid or cut byte sequence): the archive is damaged, or was written in another encoding",
  );
}

/** Where a sequence that the end of `buf` cuts short starts (`buf.length` when none). */
function incompleteTail(buf: Buffer): number {
  for (let k = 1; k <= Math.min(3, buf.length); k++) {
    const b = buf[buf.length - k]!;
    if ((b & 0xc0) === 0x80) continue;
    return sequenceLength(b) > k ? buf.length - k : buf.length;
  }
  return buf.length;
}

/**
 * How many keys the JSON text `text` writes, in every object at every depth: its ':' outside strings. Compared
 * with {@link keysWithin} of its parsed value, which JSON.parse leaves one key fewer for each key written twice.
 */
export function keysWritten(text: string): number {
  let n = 0;
  // Each search starts where the last one found its character, so a long run of strings is read once.
  let colon = -1;
  let quote = -2; // -1: no quote left; below i: search again
  for (let i = 0; ; ) {
    if (colon < i) colon = text.indexOf(":", i);
    if (colon === -1) return n;
    if (quote !== -1 && quote < i) quote = text.indexOf('"', i);
    if (quote !== -1 && quote < colon) {
      i = jsonStringEnd(text, quote + 1);
    } else {
      n++;
      i = colon + 1;
    }
  }
}

/**
 * At least the keys the JSON text `text` writes ({@link keysWritten}), read faster: how many times '":' comes in it,
 * or -1 when a ':' follows JSON's whitespace. A key's colon follows its closing quote, spaced or not, so with no
 * colon after whitespace every key written is one '":' (the others are bytes inside strings). A colon after
 * whitespace, a key's or a string's, gives -1, which no key count equals: the caller counts exactly instead.
 */
export function keyColons(text: string): number {
  let n = 0;
  for (let i = text.indexOf(":"); i !== -1; i = text.indexOf(":", i + 1)) {
    const before = text.charCodeAt(i - 1);
    if (before === 0x22 /* " */) n++;
    else if (before === 0x20 || before === 0x0a || before === 0x0d || before === 0x09) return -1;
  }
  return n;
}

/**
 * The first key written twice in one object of the JSON text `text`: its
 * byte offset in the text and its path; undefined when there is none. Slow,
 * and only run once a count has shown there is one.
 */
export function duplicateKey(text: string): { offset: number; path: string } | undefined {
  const frames: { keys: Set<string> | undefined; name: string; index: number }[] = [];
  let key = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = jsonStringEnd(text, i + 1);
      const top = frames.at(-1);
      let k = end;
      while (k < text.length && /\s/.test(text[k]!)) k++;
      if (top?.keys && text[k] === ":") {
        key = JSON.parse(text.slice(i, end)) as string;
        if (top.keys.has(key)) {
          const path = [...frames.slice(1).map((f) => f.name), key].join(".");
          return { offset: Buffer.byteLength(text.slice(0, i)), path };
        }
        top.keys.add(key);
      }
      i = end - 1;
    } else if (c === 0x7b || c === 0x5b) {
      const top = frames.at(-1);
      frames.push({ keys: c === 0x7b ? new Set() : undefined, name: top?.keys ? key : `${top?.index ?? 0}`, index: 0 });
    } else if (c === 0x7d || c === 0x5d) frames.pop();
    else if (c === 0x2c) {
      const top = frames.at(-1);
      if (top && !top.keys) top.index++;
    }
  }
  return undefined;
}

/** Refuses `value` (parsed from `text`, at `offset`) when its source wrote `colons` keys but the object holds fewer. */
export function checkKeys(value: unknown, text: string, colons: number, offset: number): void {
  // The scanner has bounded the record's depth on its text already: here only the keys are counted.
  if (colons === keysWithin(value, Number.POSITIVE_INFINITY)) return;
  const dup = duplicateKey(text);
  const at = dup ? offset + dup.offset : offset;
  throw new ScanError(
    at,
    `the key "${dup?.path ?? "?"}" appears twice in one object: an archive's objects name each key once (which value is meant cannot be told)`,
  );
}
