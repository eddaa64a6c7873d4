/**
 * The attempt of the universal entry (browsers, edge runtimes, Deno, Bun, and
 * Node given a `fetch`): one ky call with its retry off, since the core
 * retries. A whole answer is read inside the fetch ky is given, so ky's
 * timeout bounds its last byte and a body cut mid-way fails as a network error.
 * @module
 */
import ky, { type Options as KyOptions, TimeoutError } from "ky";
import { ResonantError } from "../core/errors.js";
import type { Fetch } from "../core/options.js";
import { announcedTooLarge, answerTooLargeError, MAX_WHOLE_ANSWER_BYTES } from "./answer-cap.js";
import { cutBodyError } from "./byte-stream.js";
import { type Attempt, AttemptTimeout, streams, type WireRequest } from "./wire.js";

const WHOLE = new WeakMap<Response, Uint8Array>();

/**
 * The attempt over `fetch` (the global one when undefined, looked up per call
 * so test tools that patch it are seen).
 */
export function fetchAttempt(fetch: Fetch | undefined): Attempt {
  return async (request) => {
    let response: Response;
    try {
      response = await ky(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body as BodyInit | undefined,
        // Never followed: a redirect would carry the key wherever it points. A 3xx is an APIError.
        redirect: "manual",
        retry: 0,
        throwHttpErrors: false,
        timeout: request.timeoutMs ?? false,
        signal: request.signal,
        fetch: readingWhole(fetch, request) as KyOptions["fetch"],
      });
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason;
      throw error instanceof TimeoutError ? new AttemptTimeout(error.message, { cause: error }) : error;
    }
    const whole = WHOLE.get(response);
    const { status, statusText, headers } = response;
    return whole === undefined
      ? { status, statusText, headers, stream: response.body ?? undefined }
      : { status, statusText, headers, whole };
  };
}

/** `fetch`, with an answer that is not handed over as a stream read whole (and kept aside) before it resolves. */
function readingWhole(fetch: Fetch | undefined, wire: WireRequest): Fetch {
  return async (request, init) => {
    const response = await (fetch ?? globalThis.fetch)(request, init);
    if (streams(response.status, wire, response.headers.get("content-type"))) return response;
    let whole: Uint8Array;
    try {
      whole = await readCapped(response);
    } catch (error) {
      if (error instanceof ResonantError) throw error;
      throw request.signal.aborted ? error : cutBodyError(error);
    }
    WHOLE.set(response, whole);
    return response;
  };
}

/**
 * An answer's bytes, at most {@link MAX_WHOLE_ANSWER_BYTES}. An answer whose
 * length is announced within the cap, and not compressed (the fetch inflates
 * it, past its announced length), is read by `arrayBuffer()`, the fast road.
 */
async function readCapped(response: Response): Promise<Uint8Array> {
  const announced = announcedTooLarge(response.headers.get("content-length"));
  if (announced !== undefined) {
    await response.body?.cancel().catch(() => {});
    throw answerTooLargeError(announced);
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
    if (size > MAX_WHOLE_ANSWER_BYTES) {
      await reader.cancel().catch(() => {});
      throw answerTooLargeError();
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
