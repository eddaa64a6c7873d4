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
