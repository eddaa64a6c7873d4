/**
 * A stream whose body the platform's fetch did not decode, told by its first bytes (read-whole.ts tells a whole
 * answer's, and an unknown Content-Encoding before anything is read): the SSE and NDJSON parsers refuse to read
 * it as text.
 * @module
 */
import { APIConnectionError } from "../core/errors.js";

/**
 * Throws when a stream's first chunk starts in gzip (its first byte, which no text starts with) or zstd (its
 * first two), as fetch hands on a coding it does not decode (zstd on Node 20): an APIConnectionError, as the
 * Node transport's for a coding it does not decode.
 * @param chunk - The stream's first chunk that is not empty.
 */
export function refuseStillCompressed(chunk: Uint8Array): void {
  if (chunk[0] === 31 || (chunk[0] === 40 && chunk[1] === 181)) {
    throw new APIConnectionError(
      "Connection error: the stream's body is still compressed (gzip or zstd): fetch did not decode it (Content-Encoding)",
    );
  }
}
