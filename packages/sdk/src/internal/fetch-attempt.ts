/**
 * The attempt of the universal entry (browsers, edge runtimes, Deno, Bun, and
 * Node given a `fetch`): one ky call with its retry off, since the core
 * retries. A whole answer is read inside the fetch ky is given, so ky's
 * timeout bounds its last byte and a body cut mid-way fails as a network error.
 * @module
 */
import ky, { type Options as KyOptions, TimeoutError } from "ky";
import type { Fetch } from "../core/options.js";
import { answerOf } from "./read-whole.js";
import { type Attempt, AttemptTimeout, type WireAnswer, type WireRequest } from "./wire.js";

const ANSWER = new WeakMap<Response, WireAnswer>();

/**
 * The attempt over `fetch` (the global one when undefined, looked up per call
 * so test tools that patch it are seen).
 */
export function fetchAttempt(fetch: Fetch | undefined): Attempt {
  return async (request) => {
    try {
      // The answer readingWhole made of ky's response.
      return ANSWER.get(
        await ky(request.url, {
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
        }),
      )!;
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason;
      throw error instanceof TimeoutError ? new AttemptTimeout(error.message, { cause: error }) : error;
    }
  };
}

/** `fetch`, with its answer made a WireAnswer (kept aside; a body not handed over as a stream read whole) before it resolves. */
function readingWhole(fetch: Fetch | undefined, wire: WireRequest): Fetch {
  return async (request, init) => {
    // Raced with the caller's abort: ky races only its timeout, and a fetch that never reads the signal (a test
    // double, an old polyfill) would hold the call past it. (The Request's own signal may never hear of it: Node's
    // AbortSignal.any, which ky uses, can be collected.)
    const { signal } = wire;
    signal?.throwIfAborted();
    let stop = () => {};
    const stopped = new Promise<never>((_, reject) =>
      signal?.addEventListener("abort", (stop = () => reject(signal.reason)), { once: true }),
    );
    const sent = (fetch ?? globalThis.fetch)(request, init);
    const response = await Promise.race([sent, stopped]).finally(() => signal?.removeEventListener("abort", stop));
    ANSWER.set(response, await answerOf(response, wire, request.signal));
    return response;
  };
}
