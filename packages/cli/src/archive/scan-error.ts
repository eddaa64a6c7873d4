/**
 * The error of both archive scanners: a problem at a byte offset.
 * @module
 */

/** A problem at a byte offset of the input. */
export class ScanError extends Error {
  /** The byte offset (from 0) where the problem was found. */
  readonly offset: number;
  constructor(offset: number, message: string) {
    super(message);
    this.name = "ScanError";
    this.offset = offset;
  }
}

// V8's "... in JSON at position 8" counts UTF-16 units from the start of the text it was given (one record, one
// line), and newer V8 appends "(line 1 column 9)" of that text: both are wrong for the file, so both are cut.
const POSITION = / in JSON at position (\d+)(?: \(line \d+ column \d+\))?$/;

/**
 * `JSON.parse`'s complaint about `text`, which starts at byte `offset` of the file, as a {@link ScanError} at the
 * byte of the file where it went wrong: the reader says that byte, with its line and column, not the text's own.
 */
export function jsonSyntaxError(
  error: unknown,
  text: string,
  offset: number,
  say: (problem: string, at: number) => string,
): ScanError {
  const message = (error as Error).message;
  const match = POSITION.exec(message);
  // "Unexpected end of JSON input" names no position: the text ended too soon, so it is at the text's end.
  const at = match ? Number(match[1]) : /end of JSON input/.test(message) ? text.length : 0;
  const problem = match ? message.slice(0, match.index) : message;
  const byte = offset + Buffer.byteLength(text.slice(0, at));
  return new ScanError(byte, say(problem, byte));
}
