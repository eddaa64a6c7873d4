/**
 * A fetch answer as the core takes it: its body read whole within the size
 * cap, or handed over as a stream; shared by the two fetch transports (ky's,
 * and the plain one of ResonantCore).
 * @module
 */
import { APIConnectionError, ResonantError } from "../core/errors.js";
import { announcedTooLarge, answerTooLargeError, MAX_WHOLE_ANSWER_BYTES } from "./answer-cap.js";
import { cutBodyError, startsCompressed } from "./byte-stream.js";
import { streams, type WireAnswer, type WireRequest } from "./wire.js";

/**
 * `response` as a {@link WireAnswer}. A body the platform's fetch did not decode (it hands over one in a coding
 * it does not know as it came) fails with an APIConnectionError that names the coding, not retried, as the
 * Node transport's (node/decode.ts): a coding no fetch decodes (`br2`), or bytes still in gzip or zstd (fetch
 * decodes zstd or not, by platform). A compressed JSON answer that does not parse whole was cut (see
 * readCapped): it fails as a cut body does. A cross-origin page's Content-Encoding the server does not expose
 * is unknown, checked as a compressed answer's (see readCapped).
 */
export async function answerOf(response: Response, wire: WireRequest, signal: AbortSignal): Promise<WireAnswer> {
  const { status, statusText, headers } = response;
  const coding = headers.get("content-encoding");
  // Left once the codings fetch may decode, and the commas and spaces between them, are taken out: another. An
  // answer without a body (a 204) has nothing to decode, as on the Node transport.
  if (response.body && coding?.replace(/\b((x-)?gzip|deflate|br|zstd|identity)\b|[\s,]/gi, "")) {
    await response.body.cancel().catch(() => {});
    throw undecoded(coding);
  }
  if (streams(status, wire, headers.get("content-type")))
    return { status, statusText, headers, stream: response.body ?? undefined };
  try {
    return { status, statusText, headers, whole: await readCapped(response, wire.maxBytes, coding) };
  } catch (error) {
    // A cut body fails as fetch's network errors do (a TypeError the core retries), unless the attempt's own
    // `signal` cut it (a timeout or the caller's abort, which the attempt reports itself).
    throw error instanceof ResonantError || signal.aborted ? error : cutBodyError(error);
  }
}

/** A body in a coding the platform's fetch did not decode: no retry would change it. */
const undecoded = (coding: string) =>
  new APIConnectionError(
    `Connection error: fetch did not decode the answer's ${JSON.stringify(coding)} body (Content-Encoding)`,
  );

/**
 * An answer's bytes, at most {@link MAX_WHOLE_ANSWER_BYTES}. An answer whose
 * length is announced within the cap, and not compressed (`plain`: fetch decodes
 * the codings it knows, past the announced length; the Node transport decodes
 * its own, node/decode.ts), is read by `arrayBuffer()`, the fast road. One whose
 * coding the page may not read (a cross-origin answer that does not expose
 * Content-Encoding, as a browser's fetch hides it) is "unexposed", not plain.
 */
async function readCapped(
  response: Response,
  cap = MAX_WHOLE_ANSWER_BYTES,
  header: string | null,
): Promise<Uint8Array> {
  const announced = announcedTooLarge(response.headers.get("content-length"), cap);
  if (announced !== undefined) {
    await response.body?.cancel().catch(() => {});
    throw answerTooLargeError(announced, cap);
  }
  // A cross-origin page reads Content-Encoding only if the server exposes it (CORS): unread, the body may be
  // compressed, and is checked as one is.
  const coding = header ?? (response.type === "cors" ? "unexposed" : null);
  const plain = coding === null || coding === "identity";
  if (response.body === null || (plain && response.headers.has("content-length")))
    return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel().catch(() => {});
      throw answerTooLargeError(undefined, cap);
    }
    chunks.push(value);
  }
  const whole = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    whole.set(chunk, at);
    at += chunk.byteLength;
  }
  if (!plain) {
    if (startsCompressed(whole)) throw undecoded(coding);
    // fetch may end a compressed body cut short quietly, as if whole, when the framing says it is (undici's decoder
    // flushes what it got). The API's JSON is an object or an array: one whose last byte but whitespace closes
    // neither (empty included) was cut, and fails as a cut body does, to be retried; an error answer's status says
    // what happened, whatever its body. A byte, not a second parse; a cut that happens to end on an inner `}` is
    // still refused, as "not JSON", when the answer is parsed.
    while (at > 0 && whole[at - 1]! <= 32) at--;
    if (
      response.ok &&
      /json/i.test(response.headers.get("content-type")!) &&
      whole[at - 1] !== 125 &&
      whole[at - 1] !== 93
    )
      throw `${coding} JSON cut short`;
  }
  return whole;
}
