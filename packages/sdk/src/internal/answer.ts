import type { RawResult } from "../core/api-promise.js";
import { type HeaderBag, NULL_BODY_STATUSES, toHeaders, type WireAnswer } from "./wire.js";

const utf8 = new TextDecoder();

/** A whole answer's bytes as text (empty when there were none). */
export function textOf(whole: Uint8Array | undefined): string {
  return whole === undefined ? "" : utf8.decode(whole);
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

  /** The body as text (a whole answer; empty for a stream). */
  text(): string {
    return textOf(this.#wire.whole);
  }

  /** The body of a streamed answer, unread; null for a whole one. */
  get body(): ReadableStream<Uint8Array> | null {
    return this.#wire.stream ?? null;
  }

  /** The answer as a `Response` (built once, on first use). */
  get response(): Response {
    if (this.#response === undefined) {
      const { status, statusText, headers, whole, stream } = this.#wire;
      const body = NULL_BODY_STATUSES.has(status) ? null : (stream ?? whole ?? null);
      this.#response = new Response(body as BodyInit | null, { status, statusText, headers: toHeaders(headers) });
    }
    return this.#response;
  }

  /** Lets go of a streamed body nobody will read. */
  async discard(): Promise<void> {
    await this.#wire.stream?.cancel().catch(() => {});
  }
}
