/**
 * One way to read bytes from either a web `ReadableStream` or any async
 * iterable, shared by the SSE and NDJSON parsers.
 *
 * @packageDocumentation
 */

/** A source of bytes: a `Response.body`, or any async iterable of chunks. */
export type ByteSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

function isReadableStream(source: ByteSource): source is ReadableStream<Uint8Array> {
  return typeof (source as ReadableStream<Uint8Array>).getReader === "function";
}

/**
 * Yield the chunks of a byte source. A `ReadableStream` is read through a
 * reader rather than async iteration, which some browsers still lack. When
 * the consumer stops early the stream is cancelled (closing the connection
 * rather than buffering an unread body) and its lock released.
 *
 * @param source - The bytes.
 */
export async function* iterateBytes(source: ByteSource): AsyncGenerator<Uint8Array, void, undefined> {
  if (!isReadableStream(source)) {
    // for-await calls the iterator's return() on early exit, which is the
    // async-iterable equivalent of cancelling.
    yield* source;
    return;
  }
  const reader = source.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } catch (err) {
    // A failed read leaves the stream errored; cancelling it again is pointless.
    finished = true;
    throw err;
  } finally {
    // Not awaited: a source may settle its cancel only when its producer next
    // runs (a live session stream), and leaving a loop must not wait for that.
    if (!finished) void reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
