/**
 * The SDK's retry policy: what is retried, how long the client waits, and the wait itself. The
 * transport's retry loop (internal/transport.ts) and the streams' resumes (export-stream.ts,
 * session-stream.ts) decide here alone. docs/retries-and-timeouts.md is the contract; how many
 * retries by default is in defaults.ts.
 *
 * @packageDocumentation
 */
import { APIConnectionError } from "../core/errors.js";

/** Backoff for the first retry, in ms. */
export const INITIAL_RETRY_DELAY_MS = 500;

/** Backoff never grows past this, in ms. */
export const MAX_RETRY_DELAY_MS = 8_000;

/** The largest part of a backoff delay that jitter may take away. */
export const JITTER_RATIO = 0.25;

/**
 * The longest server-requested wait (`Retry-After`) the SDK honours, in ms.
 * A longer request is not obeyed: hanging a caller for minutes inside one
 * call is worse than trying again on the normal backoff and, if still limited,
 * surfacing a `RateLimitError` whose `retryAfter` tells the caller the
 * real wait so they can schedule it themselves.
 */
export const MAX_RETRY_AFTER_MS = 60_000;

/** The statuses worth another attempt (docs/retries-and-timeouts.md): timeouts, rate limits, server trouble. */
export const RETRYABLE_STATUSES: readonly number[] = [408, 429, 500, 502, 503, 504];

const RETRYABLE_STATUS_SET = new Set(RETRYABLE_STATUSES);

// Methods whose repetition cannot change the outcome (RFC 9110 section 9.2.2).
// PATCH is absent on purpose: in 1.2 every agent update bumps `version`, so a
// repeated PATCH is visible.
const IDEMPOTENT_METHOD = /^(GET|HEAD|OPTIONS|PUT|DELETE|TRACE)$/i;

/**
 * Whether an answer says the server did not act on the request, so that any method, a PATCH
 * included, may be sent again after it: `429` (refused by the rate limit before anything was done)
 * and `408` (the server never received the whole request). A `503` is not among them: a gateway
 * answers it too when the server behind it failed mid-request, maybe after acting.
 *
 * @param status - The HTTP status.
 */
export const isNotActedOn = (status: number): boolean => status === 429 || status === 408;

/**
 * Whether a response status should be retried: one of {@link RETRYABLE_STATUSES}, and, unless the request
 * may be repeated whatever happened to it (`repeatable`, see {@link isRetryableMethod}), one that says
 * the server did not act on it ({@link isNotActedOn}).
 *
 * @param status - The HTTP status.
 * @param repeatable - Whether the request may be repeated after any failure (default true).
 */
export function isRetryableStatus(status: number, repeatable = true): boolean {
  return RETRYABLE_STATUS_SET.has(status) && (repeatable || isNotActedOn(status));
}

/**
 * Whether a request with this method may be sent again after a failure that may have reached the
 * server (a lost connection, a timeout, a 5xx); after a status of {@link isNotActedOn}, any may.
 * POST and PATCH may only be retried when they carry an `Idempotency-Key`,
 * since the server then answers a repeat with the first answer instead of
 * acting twice.
 *
 * @param method - The HTTP method, any case.
 * @param hasIdempotencyKey - Whether the request carries `Idempotency-Key`.
 */
export function isRetryableMethod(method: string, hasIdempotencyKey: boolean): boolean {
  return IDEMPOTENT_METHOD.test(method) || hasIdempotencyKey;
}

/**
 * The backoff before retry number `attempt`:
 * `min(0.5 s × 2^(attempt-1), 8 s)`, minus up to 25 % jitter.
 *
 * Jitter only shortens the delay, so the cap is a true upper bound and many
 * clients failing together spread out instead of retrying in lockstep.
 *
 * @param attempt - The retry number, starting at 1 for the first retry.
 * @param random - A source of numbers in [0, 1); injectable for tests.
 * @returns The delay in ms.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(attempt));
  const base = Math.min(INITIAL_RETRY_DELAY_MS * 2 ** (n - 1), MAX_RETRY_DELAY_MS);
  const r = Math.min(Math.max(random(), 0), 1);
  return base * (1 - JITTER_RATIO * r);
}

type HeaderSource = Pick<Headers, "get">;

/**
 * How long the server asks the client to wait, without any cap: from
 * `retry-after-ms` (ms, a non-standard but common header, read first because
 * it is more precise), else `Retry-After` as delta-seconds or an HTTP-date.
 *
 * @param headers - The response headers.
 * @param now - The current time in ms since the epoch (for HTTP-dates).
 * @returns The wait in ms (never negative), or undefined when absent or unreadable.
 */
export function parseRetryAfterMs(headers: HeaderSource, now: number = Date.now()): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Number(ms);

  const value = headers.get("retry-after");
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  // Only accept real dates: Date.parse is lenient enough to read "1" as a year.
  if (/[a-z]/i.test(trimmed)) {
    const date = Date.parse(trimmed);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return undefined;
}

/**
 * The server-requested wait that the SDK will honour before a retry.
 * Like {@link parseRetryAfterMs}, but a wait over {@link MAX_RETRY_AFTER_MS}
 * gives undefined, meaning "use the normal backoff instead".
 *
 * @param headers - The response headers.
 * @param now - The current time in ms since the epoch.
 */
export function retryAfterMs(headers: HeaderSource, now: number = Date.now()): number | undefined {
  const wait = parseRetryAfterMs(headers, now);
  return wait !== undefined && wait <= MAX_RETRY_AFTER_MS ? wait : undefined;
}

/**
 * The delay before retry number `attempt`, all rules combined: the server's
 * `Retry-After` when it is given and within {@link MAX_RETRY_AFTER_MS}
 * (without jitter, since the server chose the moment), else the backoff.
 *
 * @param options.attempt - The retry number, starting at 1.
 * @param options.headers - The failed response's headers, if there was a response.
 * @param options.random - Injectable randomness for the jitter.
 * @param options.now - The current time in ms since the epoch.
 * @returns The delay in ms.
 */
export function nextRetryDelayMs(options: {
  attempt: number;
  headers?: HeaderSource | undefined;
  random?: () => number;
  now?: number;
}): number {
  const fromServer = options.headers ? retryAfterMs(options.headers, options.now) : undefined;
  return fromServer ?? retryDelayMs(options.attempt, options.random);
}

/**
 * A failure a stream's resume may cure: our connection errors (a stall is an `APITimeoutError`) or the
 * platform's `TypeError`, which fetch throws, and byte-stream.ts's `cutBodyError` makes, when a body read fails.
 */
export function isCut(error: unknown): boolean {
  return error instanceof APIConnectionError || error instanceof TypeError;
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first (or has already). */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
