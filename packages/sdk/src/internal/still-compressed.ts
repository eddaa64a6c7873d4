/**
 * A stream whose body the platform's fetch did not decode, told by its first bytes (read-whole.ts tells a whole
 * answer's, and an unknown Content-Encoding before anything is read): the SSE and NDJSON parsers read their
 * bytes through {@link decodedBytes}, so neither reads it as text.
 * @module
 */
import { APIConnectionError } from "../core/errors.js";
import { type ByteSource, iterateBytes, startsCompressed } from "./byte-stream.js";

/**
 * The stream's chunks, failing first when its first chunk that is not empty starts still compressed, as fetch
 * hands on a coding it does not decode (zstd on Node 20): an APIConnectionError, as the Node transport's for a
 * coding it does not decode.
 * @param source - The response body, or any async iterable of byte chunks.
 */
export async function* decodedBytes(source: ByteSource): AsyncGenerator<Uint8Array, void, undefined> {
  let fresh = true;
  for await (const chunk of iterateBytes(source)) {
    if (fresh && chunk.length > 0) {
      if (startsCompressed(chunk))
        throw new APIConnectionError(
          "Connection error: the stream's body is still compressed (gzip or zstd): fetch did not decode it (Content-Encoding)",
        );
      fresh = false;
    }
    yield chunk;
  }
}
