/**
 * A newline-delimited JSON parser over a byte stream, for the streamed
 * account export (PROTOCOL.md section 6). Memory stays bounded by the longest
 * line, whatever the size of the export.
 *
 * @packageDocumentation
 */
import { iterateBytes, type ByteSource } from "./byte-stream.js";
import { ResponseValidationError } from "./errors.js";

/** Options for {@link parseNDJSON}. */
export interface ParseNDJSONOptions {
  /** Copied onto a thrown error, to help support find the request. */
  requestId?: string | undefined;
  /** Copied onto a thrown error. */
  apiVersion?: string | undefined;
}

const PREVIEW_LENGTH = 80;

/**
 * Parse a stream of newline-delimited JSON values. Lines end at LF (a CR
 * before it is dropped); blank lines are skipped; a last line without a
 * newline is still parsed. Leaving the loop early cancels the stream.
 *
 * @param source - The response body, or any async iterable of byte chunks.
 * @param options - Context for errors.
 * @returns Each line's value, in order.
 * @throws ResponseValidationError when a line is not JSON; the message gives
 *   its line number (counting from 1, blank lines included) and a preview.
 */
export async function* parseNDJSON(
  source: ByteSource,
  options: ParseNDJSONOptions = {},
): AsyncGenerator<unknown, void, undefined> {
  const decoder = new TextDecoder("utf-8");
  let buffer = "";
  let lineNumber = 0;

  const parse = (raw: string): { value: unknown } | undefined => {
    lineNumber++;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") return undefined;
    try {
      return { value: JSON.parse(line) as unknown };
    } catch (err) {
      const preview = line.length > PREVIEW_LENGTH ? `${line.slice(0, PREVIEW_LENGTH)}…` : line;
      const reason = err instanceof Error ? err.message : String(err);
      throw new ResponseValidationError({
        message: `NDJSON line ${lineNumber} is not valid JSON (${reason}): ${preview}`,
        issues: [{ path: `line ${lineNumber}`, message: `not valid JSON: ${reason}` }],
        requestId: options.requestId,
        apiVersion: options.apiVersion,
        cause: err,
      });
    }
  };

  for await (const chunk of iterateBytes(source)) {
    const text = decoder.decode(chunk, { stream: true });
    // Only the new text can hold a newline: the buffer had none left, so the
    // scan stays linear even for one-byte chunks.
    let newline = text.indexOf("\n");
    if (newline === -1) {
      buffer += text;
      continue;
    }
    let start = 0;
    let head = buffer;
    buffer = "";
    while (newline !== -1) {
      const parsed = parse(head + text.slice(start, newline));
      head = "";
      if (parsed) yield parsed.value;
      start = newline + 1;
      newline = text.indexOf("\n", start);
    }
    buffer = text.slice(start);
  }
  buffer += decoder.decode();
  for (const line of buffer.split("\n")) {
    const parsed = parse(line);
    if (parsed) yield parsed.value;
  }
}
