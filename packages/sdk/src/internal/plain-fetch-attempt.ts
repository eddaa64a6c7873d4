/**
 * The attempt of {@link ResonantCore} outside Node: `fetch` itself, with the
 * attempt's timeout kept here (an AbortController and one timer) rather than
 * by ky, which is a third of a small app's bytes. It reads what ky's road
 * reads and fails the same ways (see wire.ts), so the core's retries and
 * errors cannot tell the two apart; ResonantClient keeps ky (fetch-attempt.ts).
 * @module
 */
import type { Fetch } from "../core/options.js";
import { answerOf } from "./read-whole.js";
import { type Attempt, AttemptTimeout, type WireAnswer, type WireRequest } from "./wire.js";

/** The attempt over `fetch` (the global one when undefined, looked up per call so test tools that patch it are seen). */
export function plainFetchAttempt(fetch: Fetch | undefined): Attempt {
  return (request) => {
    const { signal, timeoutMs } = request;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let forward: (() => void) | undefined;
    // Raced against the fetch, as ky does: a fetch (or a test tool in front of it) that is slow to
    // honour an abort cannot hold the attempt past its timeout or the caller's abort.
    const stopped = new Promise<never>((_resolve, reject) => {
      forward = () => {
        controller.abort(signal?.reason);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", forward, { once: true });
      if (timeoutMs !== undefined)
        timer = setTimeout(() => {
          controller.abort();
          reject(new AttemptTimeout(`timed out after ${timeoutMs} ms`));
        }, timeoutMs);
    });
    const done = () => {
      clearTimeout(timer);
      if (forward !== undefined) signal?.removeEventListener("abort", forward);
    };
    const sent = send(fetch, request, controller.signal);
    return Promise.race([sent, stopped]).then(
      (answer) => {
        clearTimeout(timer);
        // A stream's timeout ends at its head; the caller's abort must still close it, so it stays linked.
        if (answer.stream === undefined) done();
        return answer;
      },
      (error: unknown) => {
        done();
        sent.catch(() => {});
        throw error;
      },
    );
  };
}

async function send(fetch: Fetch | undefined, request: WireRequest, signal: AbortSignal): Promise<WireAnswer> {
  const init: RequestInit = {
    method: request.method,
    headers: request.headers,
    body: request.body as BodyInit | undefined,
    // Never followed: a redirect would carry the key wherever it points. A 3xx is an APIError.
    redirect: "manual",
    signal,
  };
  return answerOf(await (fetch ?? globalThis.fetch)(new Request(request.url, init)), request, signal);
}
