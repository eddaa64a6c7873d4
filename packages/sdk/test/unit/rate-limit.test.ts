import { describe, expect, it } from "vitest";
import { parseRateLimit } from "../../src/internal/rate-limit.js";

const h = (init: Record<string, string>) => new Headers(init);

describe("parseRateLimit", () => {
  const now = Date.parse("2026-11-24T10:00:00Z");

  it("reads unix-seconds resets", () => {
    const info = parseRateLimit(
      h({
        "X-RateLimit-Limit": "100",
        "X-RateLimit-Remaining": "42",
        "X-RateLimit-Reset": String(now / 1000 + 30),
        "X-RateLimit-Reset-After": "30",
      }),
      now,
    );
    expect(info).toEqual({ limit: 100, remaining: 42, reset: new Date(now + 30_000), resetAfterSeconds: 30 });
  });

  it("reads a small reset as seconds from now", () => {
    const info = parseRateLimit(h({ "X-RateLimit-Reset": "45" }), now);
    expect(info).toEqual({ reset: new Date(now + 45_000), resetAfterSeconds: 45 });
  });

  it("takes docs/protocol.md's bound as written: a value below 10^9 is seconds, 10^9 itself a unix time", () => {
    expect(parseRateLimit(h({ "X-RateLimit-Reset": "999999999" }), now)?.reset).toEqual(
      new Date(now + 999_999_999_000),
    );
    expect(parseRateLimit(h({ "X-RateLimit-Reset": "1000000000" }), now)?.reset).toEqual(new Date(1_000_000_000_000));
  });

  it("derives reset-after from an absolute reset", () => {
    expect(parseRateLimit(h({ "X-RateLimit-Reset": String(now / 1000 + 12) }), now)?.resetAfterSeconds).toBe(12);
  });

  it("returns undefined without headers (1.0)", () => {
    expect(parseRateLimit(h({}), now)).toBeUndefined();
    expect(parseRateLimit(h({ "X-RateLimit-Limit": "x" }), now)).toBeUndefined();
  });
});
