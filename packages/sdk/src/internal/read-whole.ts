/**
 * Reading a fetch answer's body whole, within the size cap: shared by the two
 * fetch transports (ky's, and the plain one of ResonantCore).
 * @module
 */
import { ResonantError } from "../core/errors.js";
import { announcedTooLarge, answerTooLargeError, MAX_WHOLE_ANSWER_BYTES } from "./answer-cap.js";
import { cutBodyError } from "./byte-stream.js";

/**
 * {@link readCapped}, with a body cut mid-way failing as fetch's network
 * errors do (a TypeError the core retries), unless the attempt's own `signal`
 * cut it (a timeout or the caller's abort, which the attempt reports itself).
 */
export async function readWhole(response: Response, cap: number | undefined, signal: AbortSignal): Promise<Uint8Array> {
  try {
    return await readCapped(response, cap);
  } catch (error) {
    throw error instanceof ResonantError || signal.aborted ? error : cutBodyError(error);
  }
}

/**
 * An answer's bytes, at most {@link MAX_WHOLE_ANSWER_BYTES}. An answer whose
 * length is announced within the cap, and not compressed (fetch decodes the
 * codings it knows, past the announced length; the Node transport decodes its
 * own, node/decode.ts), is read by `arrayBuffer()`, the fast road.
 */
async function readCapped(response: Response, cap = MAX_WHOLE_ANSWER_BYTES): Promise<Uint8Array> {
  const announced = announcedTooLarge(response.headers.get("content-length"), cap);
  if (announced !== undefined) {
    await response.body?.cancel().catch(() => {});
    throw answerTooLargeError(announced, cap);
  }
  const encoding = response.headers.get("content-encoding");
  const plain = encoding === null || encoding === "identity";
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
  return whole;
}
