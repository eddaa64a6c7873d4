/**
 * A newline-delimited JSON parser over a byte stream, for the streamed
 * account export (docs/protocol.md section 6). Memory stays bounded by the longest
 * line, whatever the size of the export.
 *
 * Lines are cut in the bytes and each is decoded on its own. Decoding a whole
 * chunk (64 KiB from a socket) would keep that string alive while its hundreds
 * of records are parsed, checked and handed out, so nearly every young-generation
 * GC would find it still live; V8 enlarges the young generation by the bytes its
 * GCs see survive, summed over the run, so a long export would grow the heap by
 * tens of MB without holding anything.
 *
 * @packageDocumentation
 */
import { MAX_WHOLE_ANSWER_BYTES } from "./answer-cap.js";
import { cutBodyError, type ByteSource } from "./byte-stream.js";
import { decodedBytes } from "./still-compressed.js";
import { ResponseValidationError } from "../core/errors.js";
import { redact } from "../core/redact.js";

/** Options for {@link parseNDJSON}. */
export interface ParseNDJSONOptions {
  /** Copied onto a thrown error, to help support find the request. */
  requestId?: string | undefined;
  /** Copied onto a thrown error. */
  apiVersion?: string | undefined;
  /** Yield `{ value, text }`, the line's text beside its value, for callers that write lines on as they came. */
  withText?: boolean;
  /** The most bytes of one line (default 64 MiB); a longer one fails the stream. */
  maxLineBytes?: number;
}

/** A line's value and its text, as {@link parseNDJSON} yields them with `withText`. */
export interface NDJSONLine {
  /** The parsed value. */
  value: unknown;
  /** The line as it came (without its line ending). */
  text: string;
}

const PREVIEW_LENGTH = 80;
const LF = 0x0a;
const CR = 0x0d;
/** What `parse` returns for a blank line (no wrapper object per line). */
const BLANK: unique symbol = Symbol("blank");

/**
 * Parse a stream of newline-delimited JSON values. Lines end at LF (a CR
 * before it is dropped); blank lines are skipped; a last line without a
 * newline is still parsed. Leaving the loop early cancels the stream.
 *
 * @param source - The response body, or any async iterable of byte chunks.
 * @param options - Context for errors.
 * @returns Each line's value, in order.
 * @throws ResponseValidationError when a line is not JSON, or runs past
 *   `maxLineBytes`; the message gives its line number (counting from 1, blank
 *   lines included) and, when not JSON, a preview. A last line without its
 *   newline that starts as JSON (`{`, `[`) but does not parse was cut: a
 *   TypeError, as a body cut mid-way.
 */
export function parseNDJSON(
  source: ByteSource,
  options: ParseNDJSONOptions & { withText: true },
): AsyncGenerator<NDJSONLine, void, undefined>;
export function parseNDJSON(source: ByteSource, options?: ParseNDJSONOptions): AsyncGenerator<unknown, void, undefined>;
export async function* parseNDJSON(
  source: ByteSource,
  options: ParseNDJSONOptions = {},
): AsyncGenerator<unknown, void, undefined> {
  // Lines are cut in the bytes (LF is never part of a multi-byte UTF-8
  // character) and decoded one at a time, so no chunk-sized string lives
  // while its lines are parsed: see the file comment. Each line's decode
  // starts afresh, so the BOM a streaming decoder drops at the very start is
  // dropped by hand.
  // Fatal: a byte no character has is refused, never replaced by U+FFFD in a record (or its `text`).
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true, fatal: true });
  // The start of a line cut by a chunk boundary: copies, not views of chunks a source may reuse.
  let pending: Uint8Array[] = [];
  let pendingLength = 0;
  let lineNumber = 0;
  let first = true;
  const withText = options.withText === true;
  const maxLineBytes = options.maxLineBytes ?? MAX_WHOLE_ANSWER_BYTES;
  let text = "";

  /** The refusal of line `line`: `says` after its number in the message, `issue` at its path. */
  const refused = (line: number, says: string, issue: string) =>
    new ResponseValidationError(`NDJSON line ${line} ${says}`, {
      issues: [{ path: `line ${line}`, message: issue }],
      requestId: options.requestId,
      apiVersion: options.apiVersion,
    });

  const parse = (bytes: Uint8Array): unknown => {
    lineNumber++;
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === CR) end--;
    // As a streaming decoder would, drop a byte order mark at the very start only.
    let begin = 0;
    if (first) {
      first = false;
      if (end >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) begin = 3;
    }
    let line: string;
    try {
      line = decoder.decode(begin === 0 && end === bytes.length ? bytes : bytes.subarray(begin, end));
    } catch {
      throw refused(lineNumber, "holds bytes that are not UTF-8", "not UTF-8: bytes no character has");
    }
    if (line.trim() === "") return BLANK;
    text = line;
    try {
      return JSON.parse(line) as unknown;
    } catch {
      // Redacted before it is cut, and without the engine's SyntaxError, whose message quotes the line's start:
      // a key echoed there would show in part.
      const shown = redact(line);
      const preview = shown.length > PREVIEW_LENGTH ? `${shown.slice(0, PREVIEW_LENGTH)}…` : shown;
      throw refused(lineNumber, `is not valid JSON: ${preview}`, "not valid JSON");
    }
  };

  const tooLong = (): never => {
    throw refused(
      lineNumber + 1,
      `runs past ${maxLineBytes} bytes, the most the SDK holds of one record; it stopped reading`,
      `longer than ${maxLineBytes} bytes`,
    );
  };

  // The pending start of a line joined with its end, in one copy.
  const joined = (tail: Uint8Array): Uint8Array => {
    const bytes = new Uint8Array(pendingLength + tail.length);
    let at = 0;
    for (const piece of pending) {
      bytes.set(piece, at);
      at += piece.length;
    }
    bytes.set(tail, at);
    pending = [];
    pendingLength = 0;
    return bytes;
  };

  for await (const chunk of decodedBytes(source)) {
    let start = 0;
    let newline = chunk.indexOf(LF);
    while (newline !== -1) {
      if (pendingLength + newline - start > maxLineBytes) tooLong();
      const line = chunk.subarray(start, newline);
      const value = parse(pendingLength > 0 ? joined(line) : line);
      if (value !== BLANK) yield withText ? { value, text } : value;
      start = newline + 1;
      newline = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) {
      // Each piece is scanned once, so the work stays linear even for one-byte chunks.
      pending.push(chunk.slice(start));
      pendingLength += chunk.length - start;
      if (pendingLength > maxLineBytes) tooLong();
    }
  }
  if (pendingLength > 0) {
    let value: unknown;
    try {
      value = parse(joined(new Uint8Array(0)));
    } catch (error) {
      // A last line without its newline that starts as JSON but does not parse was cut (fetch ends a compressed
      // body cut short quietly, and a close-delimited one ends at any cut): it fails as a cut body does, so the
      // export resumes. One that never was JSON (a proxy's `<html>`) stays a ResponseValidationError.
      throw error instanceof ResponseValidationError && /^\s*[[{]/.test(text)
        ? cutBodyError(`the stream ended inside line ${lineNumber}`)
        : error;
    }
    if (value !== BLANK) yield withText ? { value, text } : value;
  }
}
