/**
 * A request body sent as text made in advance: the body object stays what
 * the request checks are run on, while the bytes on the wire come from
 * {@link stringifyLossless} (a {@link RawJson} item spliced in as its own
 * text, a {@link JsonNumber} as its digits), never from a second
 * `JSON.stringify` that would round them.
 * @module
 */
import { stringifyLossless } from "../core/lossless-json.js";

const texts = new WeakMap<object, string>();

/** Marks `body` to be sent as `text` (its exact JSON). Answers `body`. */
export function sendAsText<T extends object>(body: T, text: string): T {
  texts.set(body, text);
  return body;
}

/**
 * The text `body` was marked to be sent as, or undefined for a body JSON.stringify may write. Read once, by
 * the request that sends it: kept here, a batch-sized text lived as long as its body object, past the
 * young generation, for a full collection to free.
 */
export function takeBodyText(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const text = texts.get(body);
  texts.delete(body);
  return text;
}

/** `body`, to be checked as `checked` (each raw item by its parsed value) and sent as its exact text. */
export function exactBody(body: object, checked: object): object {
  return sendAsText(checked, stringifyLossless(body));
}
