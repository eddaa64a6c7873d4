/**
 * Content codings for the Node transport (http-attempt.ts): its answers'
 * bodies decoded as they arrive (node:zlib streams piped from the socket, so a
 * streamed export's memory stays flat and the backpressure reaches the
 * socket), as fetch decodes them. It sends no `Accept-Encoding` of its own
 * (docs/retries-and-timeouts.md says why), but a server may compress anyway
 * (RFC 9110 section 12.5.3), or be asked to by the caller's header.
 * @module
 */
import type { IncomingMessage } from "node:http";
import { pipeline, type Readable, Transform } from "node:stream";
import zlib from "node:zlib";
import { APIConnectionError } from "../core/errors.js";

/** The codings the transport decodes, each made on the body's first chunk. */
const DECODERS: Record<string, (first: Buffer) => Transform> = {
  gzip: () => zlib.createGunzip(),
  "x-gzip": () => zlib.createGunzip(),
  // zlib-wrapped as RFC 9110 says, or raw as some servers send it: told apart by the first byte, as fetch does.
  deflate: (first) => ((first[0]! & 0x0f) === 0x08 ? zlib.createInflate() : zlib.createInflateRaw()),
  br: () => zlib.createBrotliDecompress(),
};

/** The most codings one answer may stack (`gzip, gzip, ...` would cost a zlib stream each). */
const MAX_CODINGS = 3;

/**
 * The body of `message` as the server meant it: the message itself when it
 * names no coding (or `identity`), else the decoders piped from it, last
 * applied first. A body that does not decode errors the stream returned with
 * zlib's error; destroying either end destroys the whole pipe.
 *
 * @throws APIConnectionError - for a coding the transport cannot decode: no retry would change it.
 */
export function decodedBody(message: IncomingMessage): Readable {
  const header = message.headers["content-encoding"];
  if (header === undefined) return message;
  const codings = header
    .toLowerCase()
    .split(",")
    .map((coding) => coding.trim())
    .filter((coding) => coding !== "" && coding !== "identity");
  if (codings.length === 0) return message;
  const unknown = codings.find((coding) => !Object.hasOwn(DECODERS, coding));
  if (unknown !== undefined || codings.length > MAX_CODINGS) {
    throw new APIConnectionError(
      `Connection error: the answer's body is encoded as ${JSON.stringify(header)} (Content-Encoding), which the SDK does not decode: it decodes gzip, deflate and br, at most ${MAX_CODINGS} of them`,
    );
  }
  const decoders = codings.reverse().map((coding) => lazily(DECODERS[coding]!));
  // Errors reach the reader through the last decoder, which the pipe destroys with them.
  pipeline([message, ...decoders], () => {});
  return decoders[decoders.length - 1]!;
}

/**
 * A decoder made on the first chunk (so an empty body decodes to nothing,
 * not to zlib's "unexpected end of file"), its output passed on as it comes.
 * Transform holds back a chunk's callback while its output is unread, so the
 * reader's pace reaches the socket.
 */
function lazily(make: (first: Buffer) => Transform): Transform {
  let inner: Transform | undefined;
  let flushed: (() => void) | undefined;
  const outer = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (inner === undefined) {
        inner = make(chunk);
        inner.on("data", (data: Buffer) => outer.push(data));
        inner.once("error", (error) => outer.destroy(error));
        inner.once("end", () => flushed?.());
      }
      inner.write(chunk, () => callback());
    },
    flush(callback) {
      if (inner === undefined) return callback();
      flushed = callback;
      inner.end();
    },
    destroy(error, callback) {
      inner?.destroy();
      callback(error);
    },
  });
  return outer;
}

/**
 * A body that did not decode (corrupt, or cut short with its framing whole),
 * as a cut body fails: a TypeError, which the core retries like a network
 * failure, as fetch's own `terminated`.
 */
export function undecodable(error: unknown, coding: string | undefined): TypeError {
  const reason = error instanceof Error ? error.message : String(error);
  return new TypeError(`terminated: the answer's ${coding} body could not be decoded (${reason})`, { cause: error });
}
