/**
 * Reading the API's rate-limit headers (docs/protocol.md section 2) into a plain
 * object. How long to wait after a 429 (`Retry-After`) is the retry policy's
 * business and lives in retry.ts.
 *
 * @packageDocumentation
 */

type HeaderSource = Pick<Headers, "get">;

/** The rate-limit state a response reports. Every field is optional: 1.0 sends none. */
export interface RateLimitInfo {
  /** Requests allowed per window (`X-RateLimit-Limit`). */
  limit?: number;
  /** Requests left in this window (`X-RateLimit-Remaining`). */
  remaining?: number;
  /** When the window resets. */
  reset?: Date;
  /** Seconds until the window resets. */
  resetAfterSeconds?: number;
}

// Below this an X-RateLimit-Reset is a count of seconds, not a unix time:
// 10^9 seconds after the epoch is 2001, long before this API existed.
const RELATIVE_RESET_LIMIT = 1e9;

function readNumber(headers: HeaderSource, name: string): number | undefined {
  const value = headers.get(name)?.trim();
  if (value === undefined || !/^\d+(\.\d+)?$/.test(value)) return undefined;
  return Number(value);
}

/**
 * Read `X-RateLimit-Limit`, `-Remaining`, `-Reset` and `-Reset-After`.
 * `X-RateLimit-Reset` is unix seconds per the contract, but some deployments
 * send seconds-until-reset; a value below 10^9 is read that way.
 *
 * @param headers - The response headers.
 * @param now - The current time in ms since the epoch.
 * @returns The state, or undefined when the response has no rate-limit headers.
 */
export function parseRateLimit(headers: HeaderSource, now: number = Date.now()): RateLimitInfo | undefined {
  const limit = readNumber(headers, "x-ratelimit-limit");
  const remaining = readNumber(headers, "x-ratelimit-remaining");
  const resetRaw = readNumber(headers, "x-ratelimit-reset");
  let resetAfterSeconds = readNumber(headers, "x-ratelimit-reset-after");

  let reset: Date | undefined;
  if (resetRaw !== undefined) {
    if (resetRaw < RELATIVE_RESET_LIMIT) {
      reset = new Date(now + resetRaw * 1000);
      resetAfterSeconds ??= resetRaw;
    } else {
      reset = new Date(resetRaw * 1000);
      resetAfterSeconds ??= Math.max(0, Math.ceil(resetRaw - now / 1000));
    }
  } else if (resetAfterSeconds !== undefined) {
    reset = new Date(now + resetAfterSeconds * 1000);
  }

  if (limit === undefined && remaining === undefined && reset === undefined) return undefined;
  const info: RateLimitInfo = {};
  if (limit !== undefined) info.limit = limit;
  if (remaining !== undefined) info.remaining = remaining;
  if (reset !== undefined) info.reset = reset;
  if (resetAfterSeconds !== undefined) info.resetAfterSeconds = resetAfterSeconds;
  return info;
}
