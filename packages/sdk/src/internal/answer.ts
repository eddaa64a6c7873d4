import type { RawResult } from "../core/api-promise.js";
import { type HeaderBag, NULL_BODY_STATUSES, toHeaders, type WireAnswer } from "./wire.js";

const utf8 = new TextDecoder();
const strictUtf8 = new TextDecoder(undefined, { fatal: true });

/** A whole answer's bytes as text (empty when there were none): an error page's odd bytes read as U+FFFD. */
export function textOf(whole: Uint8Array | undefined): string {
  return utf8.decode(whole); // "" for none
}

/**
 * A successful answer as the core hands it to the resources: its text is
 * decoded from the bytes when asked, and the `Response` of `withResponse()`
 * and `asResponse()` is built only when asked for, so a plain `await` builds
 * no Response, Headers or stream at all.
 */
export class Answer implements RawResult {
  readonly status: number;
  readonly headers: HeaderBag;
  readonly requestId: string | undefined;
  readonly #wire: WireAnswer;
  #response: Response | undefined;

  /** @param wire - What the transport answered. */
  constructor(wire: WireAnswer) {
    this.#wire = wire;
    this.status = wire.status;
    this.headers = wire.headers;
    this.requestId = wire.headers.get("x-request-id") ?? undefined;
  }

  /**
   * The body as text (a whole answer; empty for a stream). A byte no character has throws (a TypeError, which the
   * caller refuses the answer for): as U+FFFD it would reach the caller, and an export's import, in its place.
   */
  text(): string {
    return strictUtf8.decode(this.#wire.whole); // "" for none
  }

  /** The body of a streamed answer, unread; null for a whole one. */
  get body(): ReadableStream<Uint8Array> | null {
    return this.#wire.stream ?? null;
  }

  /** The answer as a `Response` (built once, on first use). */
  get response(): Response {
    const { status, statusText, headers, whole, stream } = this.#wire;
    const body = NULL_BODY_STATUSES.has(status) ? null : (stream ?? whole ?? null);
    return (this.#response ??= new Response(body as BodyInit | null, {
      status,
      statusText,
      headers: toHeaders(headers),
    }));
  }

  /** Lets go of a streamed body nobody will read. */
  async discard(): Promise<void> {
    await this.#wire.stream?.cancel().catch(() => {});
  }
}
