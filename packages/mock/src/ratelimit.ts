/**
 * A fixed-window rate limit per key (docs/protocol.md section 2). Every request
 * counts against its bearer token's window; 1.1+ answers carry the
 * X-RateLimit-* headers, and a 429 carries Retry-After in every version.
 * @module
 */
import type { ApiVersion } from "@resonantgenesis/schemas";
import { ApiError } from "./errors.js";
import { versionAtLeast } from "@resonantgenesis/schemas/meta";
import { SINCE } from "./since.js";

/** The state of one window after a request. */
export interface RateInfo {
  limit: number;
  remaining: number;
  /** When the window resets, unix milliseconds. */
  resetAt: number;
  /** True when this request went over the limit. */
  limited: boolean;
}

/** Default: generous enough for test suites and benchmarks, low enough to be reachable on purpose. */
export const DEFAULT_RATE_LIMIT = { limit: 10_000, windowSeconds: 60 };

/** Fixed windows, one per key. */
export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly now: () => number,
    public limit = DEFAULT_RATE_LIMIT.limit,
    public windowSeconds = DEFAULT_RATE_LIMIT.windowSeconds,
  ) {}

  /** Changes the limit (and the window), starting every window afresh. */
  set(limit: number, windowSeconds = this.windowSeconds): void {
    if (!(limit >= 0) || !(windowSeconds > 0)) throw new RangeError("limit must be >= 0 and windowSeconds > 0");
    this.limit = limit;
    this.windowSeconds = windowSeconds;
    this.windows.clear();
  }

  private window(key: string): { start: number; count: number } {
    const now = this.now();
    let w = this.windows.get(key);
    // A window that starts after now is one the clock was set back from (clock.set): it would reset only once the
    // clock caught up, answering a Retry-After of months.
    if (!w || now < w.start || now >= w.start + this.windowSeconds * 1000) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    return w;
  }

  /** Counts one request of `key`. */
  hit(key: string): RateInfo {
    const w = this.window(key);
    w.count += 1;
    const limited = w.count > this.limit;
    return {
      limit: this.limit,
      remaining: Math.max(0, this.limit - w.count),
      resetAt: w.start + this.windowSeconds * 1000,
      limited,
    };
  }

  /** The state of `key`'s window without counting a request. */
  peek(key: string): RateInfo {
    const w = this.window(key);
    return {
      limit: this.limit,
      remaining: Math.max(0, this.limit - w.count),
      resetAt: w.start + this.windowSeconds * 1000,
      limited: false,
    };
  }

  /** Forgets every window. */
  clear(): void {
    this.windows.clear();
  }

  /** Seconds until the window of `info` resets (at least 1 when limited). */
  retryAfter(info: RateInfo): number {
    return Math.max(1, Math.ceil((info.resetAt - this.now()) / 1000));
  }

  /** The X-RateLimit-* headers (1.1+ only; 1.0 sends none). */
  headers(version: ApiVersion, info: RateInfo): Record<string, string> {
    if (!versionAtLeast(version, SINCE.rateLimitHeaders)) return {};
    return {
      "X-RateLimit-Limit": String(info.limit),
      "X-RateLimit-Remaining": String(info.remaining),
      "X-RateLimit-Reset": String(Math.ceil(info.resetAt / 1000)),
      "X-RateLimit-Reset-After": String(Math.max(0, Math.ceil((info.resetAt - this.now()) / 1000))),
    };
  }

  /** The 429 for a limited request. */
  error(info: RateInfo): ApiError {
    const after = this.retryAfter(info);
    return new ApiError({
      status: 429,
      code: "rate_limit_exceeded",
      message: `Rate limit of ${info.limit} requests per ${this.windowSeconds} s exceeded; retry in ${after} s`,
      details: { retry_after: after },
      headers: { "Retry-After": String(after) },
    });
  }
}
