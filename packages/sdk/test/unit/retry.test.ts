import { describe, expect, it } from "vitest";
import {
  DEFAULT_MAX_RETRIES,
  isRetryableMethod,
  isRetryableStatus,
  nextRetryDelayMs,
  parseRetryAfterMs,
  retryAfterMs,
  retryDelayMs,
} from "../../src/core/retry.js";

const h = (init: Record<string, string>) => new Headers(init);
const NOW = Date.parse("2026-11-24T10:00:00Z");

describe("backoff", () => {
  it("defaults to two retries", () => {
    expect(DEFAULT_MAX_RETRIES).toBe(2);
  });

  it("doubles from 0.5 s and caps at 8 s without jitter", () => {
    const none = () => 0;
    expect([1, 2, 3, 4, 5, 6, 10].map((n) => retryDelayMs(n, none))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it("removes up to 25 % as jitter", () => {
    expect(retryDelayMs(1, () => 0.5)).toBe(437.5);
    expect(retryDelayMs(5, () => 0.999999)).toBeCloseTo(6000, 0);
    for (let i = 0; i < 200; i++) {
      const d = retryDelayMs(3);
      expect(d).toBeGreaterThan(1500 - 1e-9);
      expect(d).toBeLessThanOrEqual(2000);
    }
  });
});

describe("Retry-After", () => {
  it("prefers retry-after-ms", () => {
    expect(parseRetryAfterMs(h({ "retry-after-ms": "250", "retry-after": "9" }))).toBe(250);
  });

  it("reads seconds and HTTP-dates", () => {
    expect(parseRetryAfterMs(h({ "Retry-After": "3" }))).toBe(3000);
    expect(parseRetryAfterMs(h({ "Retry-After": "Tue, 24 Nov 2026 10:00:30 GMT" }), NOW)).toBe(30_000);
    expect(parseRetryAfterMs(h({ "Retry-After": "Tue, 24 Nov 2026 09:00:00 GMT" }), NOW)).toBe(0);
  });

  it("ignores junk", () => {
    expect(parseRetryAfterMs(h({}))).toBeUndefined();
    expect(parseRetryAfterMs(h({ "Retry-After": "soon" }))).toBeUndefined();
    expect(parseRetryAfterMs(h({ "Retry-After": "-5" }))).toBeUndefined();
    expect(parseRetryAfterMs(h({ "retry-after-ms": "abc", "Retry-After": "2" }))).toBe(2000);
  });

  it("honours at most 60 s", () => {
    expect(retryAfterMs(h({ "Retry-After": "60" }))).toBe(60_000);
    expect(retryAfterMs(h({ "Retry-After": "61" }))).toBeUndefined();
    expect(retryAfterMs(h({ "Retry-After": "Tue, 24 Nov 2026 10:05:00 GMT" }), NOW)).toBeUndefined();
  });

  it("combines server waits and backoff", () => {
    expect(nextRetryDelayMs({ attempt: 2, headers: h({ "Retry-After": "5" }), random: () => 0 })).toBe(5000);
    expect(nextRetryDelayMs({ attempt: 2, headers: h({ "Retry-After": "600" }), random: () => 0 })).toBe(1000);
    expect(nextRetryDelayMs({ attempt: 1, random: () => 0 })).toBe(500);
  });
});

describe("what is retried", () => {
  it("retries the documented statuses only", () => {
    for (const s of [408, 429, 500, 502, 503, 504]) expect(isRetryableStatus(s)).toBe(true);
    for (const s of [200, 400, 401, 403, 404, 409, 410, 413, 422, 501]) expect(isRetryableStatus(s)).toBe(false);
  });

  it("retries idempotent methods, POST and PATCH only with a key", () => {
    for (const m of ["GET", "get", "PUT", "DELETE", "HEAD", "OPTIONS"]) expect(isRetryableMethod(m, false)).toBe(true);
    expect(isRetryableMethod("POST", false)).toBe(false);
    expect(isRetryableMethod("post", true)).toBe(true);
    expect(isRetryableMethod("PATCH", false)).toBe(false);
    expect(isRetryableMethod("PATCH", true)).toBe(true);
  });
});
