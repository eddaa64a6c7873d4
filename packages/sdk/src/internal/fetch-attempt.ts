/**
 * The attempt of the universal entry (browsers, edge runtimes, Deno, Bun, and
 * Node given a `fetch`): one ky call with its retry off, since the core
 * retries. A whole answer is read inside the fetch ky is given, so ky's
 * timeout bounds its last byte and a body cut mid-way fails as a network error.
 * @module
 */
import ky, { type Options as KyOptions, TimeoutError } from "ky";
import type { Fetch } from "../core/options.js";
import { readWhole } from "./read-whole.js";
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
    WHOLE.set(response, await readWhole(response, wire.maxBytes, request.signal));
    return response;
  };
}
