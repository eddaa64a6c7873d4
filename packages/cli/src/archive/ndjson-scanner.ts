/**
 * A streaming reader of NDJSON archives: one `{"kind", "data"}` record a
 * line, then the `end` line (`{"kind": "end", "counts": {...}}`, to which the
 * CLI adds the archive's header fields and `checksum`). Lines are cut in the
 * bytes and each is parsed alone; the checksum is SHA-256 of every byte
 * before the `end` line. The same hostile input as in a JSON archive is
 * refused at its byte offset (guards.ts), a line over 10 MiB as soon as that
 * much of it is read; each record comes with the text of its `data`.
 * @module
 */
import { createHash } from "node:crypto";
import { checkKeys, MAX_DEPTH, MAX_RECORD_BYTES, tooDeep, tooLarge, Utf8Guard } from "./guards.js";
import { jsonSyntaxError, ScanError } from "./scan-error.js";
import type { LineExtras } from "./format.js";
import { isDataKeyText } from "./line-data.js";

/** What the scanner found, in file order. */
export type NdjsonScanEvent =
  | {
      type: "record";
      recordKind: string;
      data: unknown;
      text: string;
      line: number;
      offset: number;
      around?: readonly [before: string, after: string] | undefined;
    }
  | { type: "end"; value: Record<string, unknown>; computed: string; line: number; offset: number };

const NEWLINE = 0x0a;

/** See the module comment. Push chunks, then call `end()`. */
export class NdjsonArchiveScanner {
  /**
   * Record lines with members besides `kind` and `data` (a newer server's, or an edit). Import sends a record's
   * data only, so it says it does not keep them; an NDJSON upgrade writes them again from `around`.
   */
  lineExtras: LineExtras | undefined;

  #base = 0;
  #line = 0;
  #carry: Buffer[] = [];
  #carryOffset = 0;
  #carryBytes = 0;
  readonly #utf8 = new Utf8Guard();
  #ended = false;
  readonly #hash = createHash("sha256");
  #events: NdjsonScanEvent[] = [];

  /** Feeds the next chunk; answers the events it completed. Throws {@link ScanError} (with the line in its message). */
  push(chunk: Buffer): NdjsonScanEvent[] {
    this.#events = [];
    this.#utf8.push(chunk, this.#base);
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl === -1) break;
      if (this.#carry.length > 0) {
        this.#carry.push(chunk.subarray(0, nl + 1));
        const whole = Buffer.concat(this.#carry);
        this.#carry = [];
        this.#carryBytes = 0;
        this.#lineDone(whole, 0, whole.length, this.#carryOffset);
      } else {
        this.#lineDone(chunk, start, nl + 1, this.#base + start);
      }
      start = nl + 1;
    }
    if (start < chunk.length) {
      if (this.#carry.length === 0) this.#carryOffset = this.#base + start;
      this.#carry.push(chunk.subarray(start));
      this.#carryBytes += chunk.length - start;
      // Refused as soon as it outgrows the bound, so a 200 MB line never sits in memory.
      if (this.#carryBytes > MAX_RECORD_BYTES) throw tooLarge(this.#carryOffset, `line ${this.#line + 1}: a line`);
    }
    this.#base += chunk.length;
    return this.#events;
  }

  /** Ends the input: a last line without a newline is read; throws when the `end` line never came. */
  end(): NdjsonScanEvent[] {
    this.#events = [];
    this.#utf8.end(this.#base);
    if (this.#carry.length > 0) {
      const whole = Buffer.concat(this.#carry);
      this.#carry = [];
      this.#lineDone(whole, 0, whole.length, this.#carryOffset, true);
    }
    if (!this.#ended) {
      throw new ScanError(
        this.#base,
        `the file ends after line ${this.#line} without its "end" line: it was cut (truncated)`,
      );
    }
    return this.#events;
  }

  /** Bytes read so far. */
  get offset(): number {
    return this.#base;
  }

  /** One line, `buf[start, end)` including its newline, at absolute `offset`; `last` when the file ends it, not a newline. */
  #lineDone(buf: Buffer, start: number, end: number, offset: number, last = false): void {
    this.#line++;
    let stop = end;
    while (
      stop > start &&
      (buf[stop - 1] === NEWLINE || buf[stop - 1] === 0x0d || buf[stop - 1] === 0x20 || buf[stop - 1] === 0x09)
    )
      stop--;
    if (stop === start) {
      // A blank line: allowed anywhere, and part of the checksummed bytes before the end line.
      if (!this.#ended) this.#hash.update(buf.subarray(start, end));
      return;
    }
    const line = this.#line;
    if (this.#ended) throw new ScanError(offset, `line ${line}: data after the "end" line`);
    if (stop - start > MAX_RECORD_BYTES) throw tooLarge(offset, `line ${line}: a line`);
    const shape = shapeOf(buf, start, stop, offset);
    const text = buf.toString("utf8", start, stop);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      // Every line resonant writes ends in a newline: a last line without one that does not parse is a cut, not a typo.
      if (last)
        throw new ScanError(
          offset,
          `line ${line}: the file ends in the middle of this line (no newline, and not whole JSON): it was cut (truncated)`,
        );
      throw jsonSyntaxError(
        error,
        text,
        offset,
        (problem, at) => `line ${line}, column ${at - offset + 1}: not valid JSON: ${problem}`,
      );
    }
    if (shape.colons > 0) checkKeys(value, text, shape.colons, offset);
    if (value === null || typeof value !== "object" || Array.isArray(value))
      throw new ScanError(offset, `line ${line}: a record must be a JSON object`);
    const record = value as Record<string, unknown>;
    if (typeof record.kind !== "string" || record.kind === "")
      throw new ScanError(offset, `line ${line}: the record has no "kind"`);
    if (record.kind === "end") {
      this.#ended = true;
      this.#events.push({ type: "end", value: record, computed: this.#hash.digest("hex"), line, offset });
      return;
    }
    if (!("data" in record)) throw new ScanError(offset, `line ${line}: the ${record.kind} record has no "data"`);
    this.#hash.update(buf.subarray(start, end));
    // The text of "data" as the line holds it; found by the shape scan of a line JSON.parse has just accepted.
    // An ASCII line (as many bytes as characters) is cut from the string already decoded, not decoded again.
    const span = shape.data;
    // The shape scan reads every spelling of the key JSON.parse took as "data": none is written again from its value.
    if (!span)
      throw new ScanError(offset, `line ${line}: the ${record.kind} record's "data" could not be found in its text`);
    let around: readonly [string, string] | undefined;
    for (const key in record)
      if (key !== "kind" && key !== "data") {
        (this.lineExtras ??= { lines: 0, line, key }).lines++;
        around = aroundData(buf, start, stop, span);
        break;
      }
    const dataText = (
      text.length === stop - start
        ? text.slice(span[0] - start, span[1] - start)
        : buf.toString("utf8", span[0], span[1])
    ).trim();
    this.#events.push({
      type: "record",
      recordKind: record.kind,
      data: record.data,
      text: dataText,
      line,
      offset,
      around,
    });
  }
}

const isSpace = (c: number | undefined) => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;

/** A line's text before and after its data's value (`span`, which may hold spaces on either side of it). */
function aroundData(buf: Buffer, start: number, stop: number, [from, to]: [number, number]): [string, string] {
  while (isSpace(buf[from])) from++;
  while (to > from && isSpace(buf[to - 1])) to--;
  return [buf.toString("utf8", start, from), buf.toString("utf8", to, stop)];
}

/** {@link isDataKeyText} of the JSON string `buf[from, to]` (its quotes), the plain spelling told without decoding. */
function isDataKey(buf: Buffer, from: number, to: number): boolean {
  if (to - from === 5) return buf.toString("latin1", from + 1, to) === "data";
  return to - from <= 25 && isDataKeyText(buf.toString("utf8", from, to + 1));
}

/**
 * One pass over a line before it is parsed: nesting over the bound is
 * refused at its byte, ':' outside strings are counted (the keys written),
 * and the span of the top-level "data" member's value is noted.
 */
function shapeOf(
  buf: Buffer,
  start: number,
  stop: number,
  offset: number,
): { colons: number; data: [number, number] | undefined } {
  let depth = 0;
  let colons = 0;
  let lastKeyIsData = false;
  let dataFrom = -1;
  let data: [number, number] | undefined;
  for (let i = start; i < stop; i++) {
    const c = buf[i]!;
    if (c === 0x22) {
      let q = buf.indexOf(0x22, i + 1);
      while (q !== -1 && q < stop) {
        let slashes = 0;
        for (let k = q - 1; k > i && buf[k] === 0x5c; k--) slashes++;
        if (slashes % 2 === 0) break;
        q = buf.indexOf(0x22, q + 1);
      }
      if (q === -1 || q >= stop) break;
      if (depth === 1) lastKeyIsData = isDataKey(buf, i, q);
      i = q;
    } else if (c === 0x7b || c === 0x5b) {
      // The line's own object is level 1; a record's levels start below it.
      if (++depth > MAX_DEPTH + 1) throw tooDeep(offset + (i - start));
    } else if (c === 0x7d || c === 0x5d) {
      if (--depth === 0 && dataFrom !== -1 && !data) data = [dataFrom, i];
    } else if (c === 0x3a) {
      colons++;
      if (depth === 1 && lastKeyIsData) dataFrom = i + 1;
    } else if (c === 0x2c && depth === 1 && dataFrom !== -1 && !data) data = [dataFrom, i];
  }
  return { colons, data };
}
