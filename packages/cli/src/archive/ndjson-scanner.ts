/**
 * A streaming reader of NDJSON archives: one `{"kind", "data"}` record a
 * line, then the `end` line (`{"kind": "end", "counts": {...}}`, to which the
 * CLI adds the archive's header fields and `checksum`). Lines are cut in the
 * bytes and each is parsed alone; the checksum is SHA-256 of every byte
 * before the `end` line.
 * @module
 */
import { createHash } from "node:crypto";
import { ScanError } from "./json-scanner.js";

/** What the scanner found, in file order. */
export type NdjsonScanEvent =
  | { type: "record"; recordKind: string; data: unknown; line: number; offset: number }
  | { type: "end"; value: Record<string, unknown>; computed: string; line: number; offset: number };

const NEWLINE = 0x0a;

/** See the module comment. Push chunks, then call `end()`. */
export class NdjsonArchiveScanner {
  #base = 0;
  #line = 0;
  #carry: Buffer[] = [];
  #carryOffset = 0;
  #ended = false;
  readonly #hash = createHash("sha256");
  #events: NdjsonScanEvent[] = [];

  /** Feeds the next chunk; answers the events it completed. Throws {@link ScanError} (with the line in its message). */
  push(chunk: Buffer): NdjsonScanEvent[] {
    this.#events = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl === -1) break;
      if (this.#carry.length > 0) {
        this.#carry.push(chunk.subarray(0, nl + 1));
        const whole = Buffer.concat(this.#carry);
        this.#carry = [];
        this.#lineDone(whole, 0, whole.length, this.#carryOffset);
      } else {
        this.#lineDone(chunk, start, nl + 1, this.#base + start);
      }
      start = nl + 1;
    }
    if (start < chunk.length) {
      if (this.#carry.length === 0) this.#carryOffset = this.#base + start;
      this.#carry.push(chunk.subarray(start));
    }
    this.#base += chunk.length;
    return this.#events;
  }

  /** Ends the input: a last line without a newline is read; throws when the `end` line never came. */
  end(): NdjsonScanEvent[] {
    this.#events = [];
    if (this.#carry.length > 0) {
      const whole = Buffer.concat(this.#carry);
      this.#carry = [];
      this.#lineDone(whole, 0, whole.length, this.#carryOffset);
    }
    if (!this.#ended) {
      throw new ScanError(this.#base, `the file ends after line ${this.#line} without its "end" line: it was cut (truncated)`);
    }
    return this.#events;
  }

  /** Bytes read so far. */
  get offset(): number {
    return this.#base;
  }

  /** One line, `buf[start, end)` including its newline, at absolute `offset`. */
  #lineDone(buf: Buffer, start: number, end: number, offset: number): void {
    this.#line++;
    let stop = end;
    while (stop > start && (buf[stop - 1] === NEWLINE || buf[stop - 1] === 0x0d || buf[stop - 1] === 0x20 || buf[stop - 1] === 0x09)) stop--;
    if (stop === start) {
      // A blank line: allowed anywhere, and part of the checksummed bytes before the end line.
      if (!this.#ended) this.#hash.update(buf.subarray(start, end));
      return;
    }
    const line = this.#line;
    if (this.#ended) throw new ScanError(offset, `line ${line}: data after the "end" line`);
    let value: unknown;
    try {
      value = JSON.parse(buf.toString("utf8", start, stop));
    } catch (error) {
      throw new ScanError(offset, `line ${line}: not valid JSON: ${(error as Error).message}`);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw new ScanError(offset, `line ${line}: a record must be a JSON object`);
    const record = value as Record<string, unknown>;
    if (typeof record.kind !== "string" || record.kind === "") throw new ScanError(offset, `line ${line}: the record has no "kind"`);
    if (record.kind === "end") {
      this.#ended = true;
      this.#events.push({ type: "end", value: record, computed: this.#hash.digest("hex"), line, offset });
      return;
    }
    if (!("data" in record)) throw new ScanError(offset, `line ${line}: the ${record.kind} record has no "data"`);
    this.#hash.update(buf.subarray(start, end));
    this.#events.push({ type: "record", recordKind: record.kind, data: record.data, line, offset });
  }
}
