/**
 * A Server-Sent Events parser following the WHATWG HTML "event stream
 * interpretation" rules, correct however the bytes are chunked. Session
 * streaming (docs/protocol.md section 5, 1.1+) rides on it.
 *
 * @packageDocumentation
 */
import { ResponseValidationError } from "../core/errors.js";
import { MAX_WHOLE_ANSWER_BYTES } from "./answer-cap.js";
import type { ByteSource } from "./byte-stream.js";
import { decodedBytes } from "./still-compressed.js";

/** One dispatched event. */
export interface ServerSentEvent {
  /** The last event id seen so far on the stream (it persists across events), if any. */
  id?: string;
  /** The event type; `message` when the event named none. */
  event: string;
  /** The data lines, joined with `\n`. */
  data: string;
  /** The reconnection delay in ms, when a `retry:` field arrived since the previous event. */
  retry?: number;
}

/**
 * Split decoded text into lines on CRLF, LF or CR, across chunk boundaries.
 * Kept separate from field handling so each can be reasoned about alone.
 */
class LineSplitter {
  // The line not finished yet, in the pieces it came in: joined once, when it ends, so a long line costs
  // its length once rather than once per chunk (a growing string scanned again would be quadratic).
  #pieces: string[] = [];
  #pending = 0;
  // A CR ended the previous chunk; an LF starting the next one belongs to it.
  #afterCR = false;

  /** Feed text and get the complete lines it finished. */
  push(text: string): string[] {
    // Before anything else: an empty chunk between a CR and its LF must not forget the CR.
    if (text === "") return [];
    if (this.#afterCR && text.charCodeAt(0) === 10) text = text.slice(1);
    this.#afterCR = false;
    const lines: string[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch !== 10 && ch !== 13) continue;
      const piece = text.slice(start, i);
      lines.push(this.#pieces.length > 0 ? this.#pieces.join("") + piece : piece);
      this.#pieces = [];
      this.#pending = 0;
      if (ch === 13) {
        if (i + 1 === text.length) this.#afterCR = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    if (start < text.length) {
      this.#pieces.push(text.slice(start));
      this.#pending += text.length - start;
    }
    return lines;
  }

  /** The characters of the line not finished yet. */
  get pending(): number {
    return this.#pending;
  }
}

/**
 * Parse an event stream into events.
 *
 * Follows the WHATWG rules: UTF-8 decoding across chunk boundaries (a leading
 * BOM dropped); lines end at CRLF, LF or CR; `:` lines are comments; one space
 * after the colon is stripped; a line without a colon is a field with an empty
 * value; `data` lines join with `\n`; `id` persists (one containing NUL is
 * ignored); `retry` takes digits only; a blank line dispatches; an event with
 * no data is not dispatched; an unfinished event at the end is dropped. An
 * event (its data and the line being read) is held up to `maxEventChars`
 * (default 64 Mi, the cap of an answer read whole): an endless one fails the
 * stream with a ResponseValidationError instead of filling memory.
 *
 * Leaving the loop early cancels the underlying stream.
 *
 * @param source - The response body, or any async iterable of byte chunks.
 * @param maxEventChars - The most characters of one event.
 * @returns The events, in order.
 */
export async function* parseSSE(
  source: ByteSource,
  maxEventChars = MAX_WHOLE_ANSWER_BYTES,
): AsyncGenerator<ServerSentEvent, void, undefined> {
  // Fatal: a byte no character has is refused, never replaced by U+FFFD in what the caller reads.
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const decode = (chunk?: Uint8Array) => {
    try {
      return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
    } catch {
      const message = "bytes that are not UTF-8 (no character has them); it stopped reading";
      throw new ResponseValidationError(`The event stream holds ${message}`, {
        issues: [{ path: "(stream)", message }],
      });
    }
  };
  const splitter = new LineSplitter();
  let lastEventId = "";
  let eventType = "";
  let data = "";
  let hasData = false;
  let retry: number | undefined;

  function* handle(lines: string[]): Generator<ServerSentEvent> {
    for (const line of lines) {
      if (line === "") {
        if (hasData) {
          const event: ServerSentEvent = { event: eventType || "message", data };
          if (lastEventId !== "") event.id = lastEventId;
          if (retry !== undefined) event.retry = retry;
          retry = undefined;
          yield event;
        }
        eventType = "";
        data = "";
        hasData = false;
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      switch (field) {
        case "event":
          eventType = value;
          break;
        case "data":
          data = hasData ? `${data}\n${value}` : value;
          hasData = true;
          break;
        case "id":
          if (!value.includes("\0")) lastEventId = value;
          break;
        case "retry":
          if (/^\d+$/.test(value)) retry = Number(value);
          break;
        default:
          // Unknown fields are ignored, as the spec requires.
          break;
      }
    }
  }

  for await (const chunk of decodedBytes(source)) {
    yield* handle(splitter.push(decode(chunk)));
    if (data.length + splitter.pending > maxEventChars) {
      const message = `an event runs past ${maxEventChars} characters, the most the SDK holds of one event; it stopped reading`;
      throw new ResponseValidationError(`The event stream's ${message}`, { issues: [{ path: "(stream)", message }] });
    }
  }
  // Flush a trailing partial character; only lines completed by it matter,
  // and an event is never dispatched without its blank line.
  yield* handle(splitter.push(decode()));
}
