/**
 * The wait for a key function's answer, as part of the attempt: the caller's abort and the attempt's timeout end it
 * (a token endpoint that never answers would otherwise hold every call for ever), and the function's own error
 * passes as it is. Loaded by the transport only when the key is a function, so an app with a fixed key does without it.
 * @module
 */
import type { ApiKeySetting } from "../core/options.js";
import type { AttemptTimeout, WireRequest } from "./wire.js";

/**
 * What `key()` answers, or a rejection with the request's abort reason or a `Timeout` after its `timeoutMs`. The
 * transport hands its {@link AttemptTimeout} class in: imported here, wire.ts would be split from the first chunk
 * into one of its own.
 */
export function keyWithin(
  key: Extract<ApiKeySetting, (...args: never) => unknown>,
  { timeoutMs: ms, signal }: Pick<WireRequest, "timeoutMs" | "signal">,
  Timeout: typeof AttemptTimeout,
): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stop: (() => void) | undefined;
  const stopped = new Promise<never>((_resolve, reject) => {
    if (ms !== undefined)
      timer = setTimeout(reject, ms, new Timeout(`the apiKey function did not answer within ${ms} ms`));
    stop = () => reject(signal?.reason);
    // Aborted while this module loaded: no abort event will come.
    if (signal?.aborted) stop();
    signal?.addEventListener("abort", stop);
  });
  return Promise.race([key(), stopped]).finally(() => {
    clearTimeout(timer);
    signal?.removeEventListener("abort", stop!);
  });
}
