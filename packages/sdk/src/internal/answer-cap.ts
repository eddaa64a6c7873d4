/**
 * The most bytes of an answer read whole (any answer but a stream), shared by
 * every transport.
 * @module
 */
import { APIConnectionError } from "../core/errors.js";

/**
 * 64 MiB, far above any page or import result, so an endless or huge body
 * fails the call instead of filling memory until the timeout.
 */
export const MAX_WHOLE_ANSWER_BYTES = 64 * 1024 * 1024;

/**
 * 512 MiB, the cap of an answer as large as the account (the 1.2 archive, an export page): about the
 * longest text one JavaScript string holds (V8's is 2^29 - 24 characters), so a larger body could not be
 * decoded anyway; past it the call fails saying so, instead of filling memory.
 */
export const MAX_ACCOUNT_ANSWER_BYTES = 512 * 1024 * 1024;

/**
 * The error of an answer past {@link MAX_WHOLE_ANSWER_BYTES}: a ResonantError, so the core
 * does not retry it (the same answer would come again).
 * @param announced - The Content-Length that announced too much, if that is how it was found.
 * @param cap - The cap that was passed (the call's own, else the default).
 */
export function answerTooLargeError(announced?: number, cap = MAX_WHOLE_ANSWER_BYTES): APIConnectionError {
  const what = announced === undefined ? "was still coming" : `announced ${announced} bytes`;
  return new APIConnectionError(
    `Connection error: the answer's body ${what} past ${cap / 1024 / 1024} MiB (${cap} bytes), the most the SDK reads of an answer that is not a stream; it stopped reading`,
  );
}

/** The Content-Length of an answer when it is more than the cap, else undefined. */
export function announcedTooLarge(
  contentLength: string | null | undefined,
  cap = MAX_WHOLE_ANSWER_BYTES,
): number | undefined {
  const length = Number(contentLength ?? Number.NaN);
  return length > cap ? length : undefined;
}
