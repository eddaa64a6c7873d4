/**
 * A streaming reader specialised to the shape of a JSON archive: one root
 * object whose members are scalars or objects (the header, `counts`,
 * `checksum`) or arrays of records (one per kind). Bytes go in chunk by chunk;
 * out come the top-level members and, one at a time, the records of every
 * array, each parsed alone with `JSON.parse`. Memory holds one chunk and one
 * record, never the archive.
 *
 * Hand-written rather than a general streaming parser because the shape is
 * fixed: only depth 1 and 2 need states, a record's text is cut by counting
 * brackets (jumping through strings with `indexOf`) and handed to the native
 * `JSON.parse`, which is several times faster than a token-by-token parser.
 *
 * Hostile input is refused at its byte offset, before it costs memory or a
 * stack (guards.ts): bytes that are not UTF-8, a value over 10 MiB (cut off
 * as soon as that much is read), nesting over 256 levels, a key twice in one
 * object. Each record comes with its own text, so it can be sent on as the
 * archive holds it, byte for byte.
 *
 * It also computes the archive's checksum: SHA-256 of every byte from the
 * start of the file to the end of the value before the `checksum` member.
 * @module
 */
import { createHash, type Hash } from "node:crypto";
import { checkKeys, MAX_DEPTH, MAX_RECORD_BYTES, tooDeep, tooLarge, Utf8Guard } from "./guards.js";
import { jsonSyntaxError, ScanError } from "./scan-error.js";

export { ScanError };

/** What the scanner found, in file order. */
export type JsonScanEvent =
  | { type: "member"; key: string; value: unknown; offset: number; bytes: number }
  | { type: "array-start"; key: string; offset: number }
  | { type: "record"; key: string; data: unknown; text: string; offset: number }
  | { type: "array-end"; key: string; offset: number }
  | { type: "checksum"; stated: unknown; computed: string; offset: number };

const enum S {
  Start,
  FirstKey,
  Key,
  Colon,
  Value,
  CommaOrEnd,
  FirstElem,
  Elem,
  ElemCommaOrEnd,
  Done,
}

const enum C {
  Quote = 0x22,
  Backslash = 0x5c,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
  OpenBracket = 0x5b,
  CloseBracket = 0x5d,
  Comma = 0x2c,
  Colon = 0x3a,
}

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const show = (c: number) =>
  c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, "0")}`;

/** What is being captured: a key, a member's value, or an array element. */
const enum Cap {
  None,
  Key,
  Member,
  Elem,
}

/** See the module comment. Push chunks, then call `end()`. */
export class JsonArchiveScanner {
  #state = S.Start;
  /** Absolute offset of the current chunk's first byte. */
  #base = 0;
  #key = "";
  #events: JsonScanEvent[] = [];
  #checksumSeen = false;

  // The value being captured (a key, a member value, a record): its kind, its
  // pieces from earlier chunks, where it started, and the bracket scanner's state.
  #cap: Cap = Cap.None;
  #parts: Buffer[] = [];
  #capStart = 0;
  #capOffset = 0;
  #depth = 0;
  #inString = false;
  #escape = false;
  #scalar = false;
  /** ':' outside strings in the captured value: its number of keys, if none was written twice. */
  #colons = 0;
  readonly #utf8 = new Utf8Guard();

  readonly #hash: Hash = createHash("sha256");
  #hashFrom = 0;
  #snapshot: Hash = this.#hash.copy();

  /** Feeds the next chunk; answers the events it completed. Throws {@link ScanError}. */
  push(chunk: Buffer): JsonScanEvent[] {
    this.#events = [];
    this.#hashFrom = 0;
    this.#utf8.push(chunk, this.#base);
    const n = chunk.length;
    let i = 0;
    if (this.#cap !== Cap.None) {
      this.#capStart = 0;
      i = this.#capture(chunk, 0);
    }
    while (i < n) {
      const c = chunk[i]!;
      if (isSpace(c)) {
        i++;
        continue;
      }
      switch (this.#state) {
        case S.Start:
          if (c !== C.OpenBrace) throw this.#unexpected(c, i, "the archive to start with '{'");
          this.#state = S.FirstKey;
          i++;
          break;
        case S.FirstKey:
        case S.Key:
          if (c === C.CloseBrace && this.#state === S.FirstKey) {
            this.#state = S.Done;
            i++;
            break;
          }
          if (c !== C.Quote) throw this.#unexpected(c, i, "a member name in quotes");
          i = this.#startCapture(chunk, i, Cap.Key);
          break;
        case S.Colon:
          if (c !== C.Colon) throw this.#unexpected(c, i, `':' after "${this.#key}"`);
          this.#state = S.Value;
          i++;
          break;
        case S.Value:
          if (c === C.OpenBracket) {
            if (this.#key === "checksum") throw new ScanError(this.#base + i, "the checksum member must be a string");
            this.#events.push({ type: "array-start", key: this.#key, offset: this.#base + i });
            this.#state = S.FirstElem;
            i++;
          } else {
            i = this.#startCapture(chunk, i, Cap.Member);
          }
          break;
        case S.CommaOrEnd:
          if (c === C.Comma) {
            if (this.#checksumSeen)
              throw new ScanError(
                this.#base + i,
                "the checksum member must be the last one: the archive was altered after it was written",
              );
            this.#state = S.Key;
          } else if (c === C.CloseBrace) this.#state = S.Done;
          else throw this.#unexpected(c, i, "',' or '}' after a member");
          i++;
          break;
        case S.FirstElem:
        case S.Elem:
          if (c === C.CloseBracket && this.#state === S.FirstElem) {
            i = this.#endArray(chunk, i);
            break;
          }
          if (c === C.CloseBracket || c === C.Comma) throw this.#unexpected(c, i, "a record");
          i = this.#startCapture(chunk, i, Cap.Elem);
          break;
        case S.ElemCommaOrEnd:
          if (c === C.Comma) {
            this.#state = S.Elem;
            i++;
          } else if (c === C.CloseBracket) i = this.#endArray(chunk, i);
          else throw this.#unexpected(c, i, "',' or ']' after a record");
          break;
        case S.Done:
          throw new ScanError(
            this.#base + i,
            c === C.OpenBrace
              ? `more data after the archive's closing '}': a second JSON document, or an NDJSON file whose first line is not a whole record with its "kind" (NDJSON is told by that line, not by the file's name)`
              : "data after the archive's closing '}'",
          );
      }
    }
    this.#hash.update(this.#hashFrom === 0 ? chunk : chunk.subarray(this.#hashFrom));
    if (this.#cap !== Cap.None) {
      // Refused as soon as it outgrows the bound, so a 200 MB string never sits in memory.
      if (this.#base + n - this.#capOffset > MAX_RECORD_BYTES) throw tooLarge(this.#capOffset, this.#what());
      this.#parts.push(chunk.subarray(this.#capStart));
    }
    this.#base += n;
    return this.#events;
  }

  /** Ends the input: throws when the archive is incomplete. */
  end(): void {
    this.#utf8.end(this.#base);
    if (this.#state === S.Done && this.#cap === Cap.None) return;
    const where =
      this.#state === S.Start
        ? "the file is empty"
        : "the file ends before the archive's closing '}': it was cut (truncated)";
    throw new ScanError(this.#base, where);
  }

  /** Bytes read so far. */
  get offset(): number {
    return this.#base;
  }

  /** What is being captured, for the refusal of one too large. */
  #what(): string {
    return this.#cap === Cap.Elem ? "a record" : this.#cap === Cap.Key ? "a member name" : `the member "${this.#key}"`;
  }

  #unexpected(c: number, i: number, expected: string): ScanError {
    return new ScanError(this.#base + i, `expected ${expected}, found ${show(c)}`);
  }

  #endArray(chunk: Buffer, i: number): number {
    this.#events.push({ type: "array-end", key: this.#key, offset: this.#base + i });
    this.#memberEnded(chunk, i + 1);
    this.#state = S.CommaOrEnd;
    return i + 1;
  }

  /** A top-level member's value ended before `i` (chunk index): the checksum, if one follows, covers up to here. */
  #memberEnded(chunk: Buffer, i: number): void {
    this.#hash.update(chunk.subarray(this.#hashFrom, i));
    this.#hashFrom = i;
    this.#snapshot = this.#hash.copy();
  }

  #startCapture(chunk: Buffer, i: number, cap: Cap): number {
    this.#cap = cap;
    this.#parts = [];
    this.#capStart = i;
    this.#capOffset = this.#base + i;
    const c = chunk[i]!;
    this.#depth = 0;
    this.#inString = false;
    this.#escape = false;
    this.#scalar = false;
    this.#colons = 0;
    if (c === C.Quote) {
      this.#inString = true;
      i++;
    } else if (c === C.OpenBrace || c === C.OpenBracket) {
      this.#depth = 1;
      i++;
    } else if (cap === Cap.Key) {
      throw this.#unexpected(c, i, "a member name in quotes");
    } else if (c === C.CloseBrace || c === C.CloseBracket || c === C.Comma || c === C.Colon) {
      throw this.#unexpected(c, i, "a value");
    } else {
      this.#scalar = true;
    }
    return this.#capture(chunk, i);
  }

  /** Runs the capture from `i`; answers where scanning goes on (the chunk's end while the value is open). */
  #capture(chunk: Buffer, i: number): number {
    const n = chunk.length;
    if (this.#scalar) {
      while (i < n) {
        const c = chunk[i]!;
        if (c === C.Comma || c === C.CloseBrace || c === C.CloseBracket || isSpace(c)) return this.#finish(chunk, i);
        i++;
      }
      return n;
    }
    for (;;) {
      if (this.#inString) {
        if (this.#escape) {
          // The byte after a backslash that ended the previous chunk.
          this.#escape = false;
          i++;
        }
        let q = chunk.indexOf(C.Quote, i);
        while (q !== -1) {
          let slashes = 0;
          for (let k = q - 1; k >= i && chunk[k] === C.Backslash; k--) slashes++;
          if (slashes % 2 === 0) break;
          q = chunk.indexOf(C.Quote, q + 1);
        }
        if (q === -1) {
          let slashes = 0;
          for (let k = n - 1; k >= i && chunk[k] === C.Backslash; k--) slashes++;
          this.#escape = slashes % 2 === 1;
          return n;
        }
        this.#inString = false;
        i = q + 1;
        if (this.#depth === 0) return this.#finish(chunk, i);
        continue;
      }
      for (; i < n; i++) {
        const c = chunk[i]!;
        if (c === C.Quote) {
          this.#inString = true;
          i++;
          break;
        }
        if (c === C.OpenBrace || c === C.OpenBracket) {
          if (++this.#depth > MAX_DEPTH) throw tooDeep(this.#base + i);
        } else if (c === C.CloseBrace || c === C.CloseBracket) {
          if (--this.#depth === 0) return this.#finish(chunk, i + 1);
        } else if (c === C.Colon) this.#colons++;
      }
      if (!this.#inString) return n;
    }
  }

  /** The captured value ends before `end` (chunk index): parse it and move on. */
  #finish(chunk: Buffer, end: number): number {
    const cap = this.#cap;
    if (this.#base + end - this.#capOffset > MAX_RECORD_BYTES) throw tooLarge(this.#capOffset, this.#what());
    this.#cap = Cap.None;
    let text: string;
    if (this.#parts.length === 0) text = chunk.toString("utf8", this.#capStart, end);
    else {
      this.#parts.push(chunk.subarray(0, end));
      text = Buffer.concat(this.#parts).toString("utf8");
      this.#parts = [];
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw jsonSyntaxError(error, text, this.#capOffset, (problem) => `not valid JSON here: ${problem}`);
    }
    const offset = this.#capOffset;
    if (this.#depth === 0 && this.#colons > 0) checkKeys(value, text, this.#colons, offset);
    switch (cap) {
      case Cap.Key:
        this.#key = value as string;
        if (this.#key === "checksum") this.#checksumSeen = true;
        this.#state = S.Colon;
        break;
      case Cap.Member:
        if (this.#key === "checksum") {
          this.#events.push({ type: "checksum", stated: value, computed: this.#snapshot.copy().digest("hex"), offset });
        } else {
          this.#events.push({ type: "member", key: this.#key, value, offset, bytes: this.#base + end - offset });
          this.#memberEnded(chunk, end);
        }
        this.#state = S.CommaOrEnd;
        break;
      case Cap.Elem:
        this.#events.push({ type: "record", key: this.#key, data: value, text, offset });
        this.#state = S.ElemCommaOrEnd;
        break;
      default:
        break;
    }
    return end;
  }
}
