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

/**
 * Whether `bytes` start in gzip (its first byte, which no text starts with) or zstd (its first two): a body the
 * platform's fetch handed on as it came, not decoded.
 */
export const startsCompressed = (bytes: Uint8Array): boolean =>
  bytes[0] === 31 || (bytes[0] === 40 && bytes[1] === 181);

/** Whether an `Accept` or `Content-Type` header names a streamed answer (SSE or NDJSON), which is read as it arrives rather than whole. */
export function acceptsStream(accept: string | null | undefined): boolean {
  return accept != null && /text\/event-stream|application\/x-ndjson/i.test(accept);
}

/**
 * A body read that failed mid-way, as fetch reports a network failure (a
 * TypeError), so the transport's retry and a stream's resume treat a body cut
 * after the status line like a reset connection.
 *
 * @param cause - What the platform threw, or a word on what happened.
 */
export function cutBodyError(cause: unknown): TypeError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new TypeError(`terminated: the connection closed mid-body (${reason})`, { cause });
}

/**
 * The same bytes, failing with `onIdle()` (and closing the source) when a read
 * waits `idleMs` without a byte. The clock runs only while the consumer waits
 * for a chunk, so a slow consumer is never taken for a stalled server; nothing
 * is read ahead of the consumer, so backpressure reaches the socket as before.
 *
 * @param source - The response body.
 * @param idleMs - The longest wait for one chunk, in ms; `false` hands `source` back as it is.
 * @param onIdle - The error a stall fails the stream with.
 */
export function withIdleTimeout(
  source: ReadableStream<Uint8Array>,
  idleMs: number | false,
  onIdle: () => unknown,
): ReadableStream<Uint8Array> {
  if (idleMs === false) return source;
  const reader = source.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Set when the clock ran out: cancelling the source answers the pending read with `done`, which must not close this stream.
  let stalled = false;
  // Once this stream is done with the source, its lock goes, as a reader of the body itself would leave it.
  const letGo = () => {
    clearTimeout(timer);
    reader.releaseLock();
  };
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        return new Promise<void>((resolve, reject) => {
          timer = setTimeout(() => {
            stalled = true;
            const error = onIdle();
            reject(error);
            void reader.cancel(error).catch(() => undefined);
            letGo();
          }, idleMs);
          reader.read().then(
            ({ done, value }) => {
              if (stalled) return;
              clearTimeout(timer);
              if (done) {
                letGo();
                controller.close();
              } else controller.enqueue(value);
              resolve();
            },
            (error: unknown) => {
              if (stalled) return;
              letGo();
              reject(error);
            },
          );
        });
      },
      async cancel(reason) {
        clearTimeout(timer);
        try {
          await reader.cancel(reason);
        } finally {
          reader.releaseLock();
        }
      },
    },
    { highWaterMark: 0 },
  );
}
