import { describe, expect, it, vi } from "vitest";
import {
  DeprecationTracker,
  formatDeprecationNotice,
  parseDeprecation,
  toIsoDate,
} from "../../src/internal/deprecation.js";

const h = (init: Record<string, string>) => new Headers(init);

describe("parseDeprecation", () => {
  it("reads the platform headers", () => {
    expect(
      parseDeprecation(
        h({
          "X-API-Version": "1.0",
          "X-API-Deprecation-Date": "2025-09-01",
          "X-API-Sunset-Date": "2026-03-01",
          "X-API-Upgrade-To": "v1.2",
        }),
      ),
    ).toEqual({
      apiVersion: "1.0",
      deprecated: true,
      deprecationDate: "2025-09-01",
      sunsetDate: "2026-03-01",
      upgradeTo: "v1.2",
    });
  });

  it("reads RFC 9745 Deprecation and RFC 8594 Sunset", () => {
    const notice = parseDeprecation(
      h({ Deprecation: `@${Date.parse("2025-09-01T00:00:00Z") / 1000}`, Sunset: "Sun, 01 Mar 2026 00:00:00 GMT" }),
      "1.0",
    );
    expect(notice).toEqual({
      apiVersion: "1.0",
      deprecated: true,
      deprecationDate: "2025-09-01",
      sunsetDate: "2026-03-01",
    });
  });

  it("tolerates Deprecation: true, an HTTP-date, and X-API-Deprecated alone", () => {
    expect(parseDeprecation(h({ Deprecation: "true" }), "1.1")).toEqual({ apiVersion: "1.1", deprecated: true });
    expect(parseDeprecation(h({ Deprecation: "Mon, 01 Dec 2025 00:00:00 GMT" }), "1.1")?.deprecationDate).toBe(
      "2025-12-01",
    );
    expect(parseDeprecation(h({ "X-API-Deprecated": "true", "X-API-Version": "1.1" }))).toEqual({
      apiVersion: "1.1",
      deprecated: true,
    });
  });

  it("prefers the platform's dates over the standard ones", () => {
    const n = parseDeprecation(
      h({ "X-API-Sunset-Date": "2026-06-01", Sunset: "Sun, 01 Mar 2026 00:00:00 GMT" }),
      "1.1",
    );
    expect(n?.sunsetDate).toBe("2026-06-01");
  });

  it("returns undefined for a current version", () => {
    expect(parseDeprecation(h({ "X-API-Version": "1.2", "X-API-Upgrade-To": "v1.3" }))).toBeUndefined();
    expect(
      parseDeprecation(h({ "X-API-Deprecated": "false", Sunset: "Sun, 01 Mar 2026 00:00:00 GMT" })),
    ).toBeUndefined();
    expect(parseDeprecation(h({ Deprecation: "garbage" }))).toBeUndefined();
  });

  it("formats a notice, saying whether its sunset is coming or has passed", () => {
    const notice = {
      apiVersion: "1.0",
      deprecated: true,
      deprecationDate: "2025-09-01",
      sunsetDate: "2026-03-01",
      upgradeTo: "v1.2",
    } as const;
    expect(formatDeprecationNotice(notice, new Date("2026-02-28T23:59:59Z"))).toBe(
      "ResonantGenesis API version 1.0 is deprecated since 2025-09-01 and stops working on 2026-03-01; upgrade to v1.2.",
    );
    // From the sunset's first moment (the Sunset header's HTTP-date), a server still answering is in grace.
    for (const now of ["2026-03-01T00:00:00Z", "2026-12-05T08:00:00Z"])
      expect(formatDeprecationNotice(notice, new Date(now))).toBe(
        "ResonantGenesis API version 1.0 is deprecated since 2025-09-01 and past its sunset (2026-03-01): " +
          "the server may refuse it (410) at any time; upgrade to v1.2.",
      );
    expect(formatDeprecationNotice({ apiVersion: "1.1", deprecated: true })).toBe(
      "ResonantGenesis API version 1.1 is deprecated.",
    );
  });

  it("converts dates", () => {
    expect(toIsoDate("2026-03-01")).toBe("2026-03-01");
    expect(toIsoDate("2026-03-01T12:00:00Z")).toBe("2026-03-01");
    expect(toIsoDate("@1795514400")).toBe("2026-11-24");
    expect(toIsoDate("1")).toBeUndefined();
    expect(toIsoDate("true")).toBeUndefined();
    expect(toIsoDate(null)).toBeUndefined();
  });
});

describe("DeprecationTracker", () => {
  it("notifies once per version per tracker", () => {
    const cb = vi.fn();
    const tracker = new DeprecationTracker(cb);
    const dep = (v: string) => h({ "X-API-Version": v, "X-API-Deprecated": "true" });
    expect(tracker.observe(dep("1.0"))).toBe(true);
    expect(tracker.observe(dep("1.0"))).toBe(false);
    expect(tracker.observe(dep("1.1"))).toBe(true);
    expect(tracker.observe(h({ "X-API-Version": "1.2" }))).toBe(false);
    expect(cb.mock.calls.map((c) => (c[0] as { apiVersion: string }).apiVersion)).toEqual(["1.0", "1.1"]);
    expect(tracker.hasNotified("1.0")).toBe(true);

    const other = vi.fn();
    new DeprecationTracker(other).observe(dep("1.0"));
    expect(other).toHaveBeenCalledTimes(1);
  });

  it("survives a throwing callback", () => {
    const tracker = new DeprecationTracker(() => {
      throw new Error("user bug");
    });
    expect(tracker.report({ apiVersion: "1.0", deprecated: true })).toBe(true);
    expect(tracker.report({ apiVersion: "1.0", deprecated: true })).toBe(false);
  });
});
