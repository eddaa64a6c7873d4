import { describe, expect, it, vi } from "vitest";
import { createLogger, resolveLogLevel, type LogSink } from "../../src/internal/log.js";

function sink() {
  return { error: vi.fn(), warn: vi.fn(), info: vi.fn(), debug: vi.fn() } satisfies LogSink;
}

describe("createLogger", () => {
  it("emits the level and quieter ones only", () => {
    const s = sink();
    const log = createLogger("warn", s);
    log.error("e");
    log.warn("w");
    log.info("i");
    log.debug("d");
    expect(s.error).toHaveBeenCalledWith("[resonant] e");
    expect(s.warn).toHaveBeenCalledWith("[resonant] w");
    expect(s.info).not.toHaveBeenCalled();
    expect(s.debug).not.toHaveBeenCalled();
  });

  it("emits nothing when off and everything at debug", () => {
    const off = sink();
    createLogger("off", off).error("x");
    expect(off.error).not.toHaveBeenCalled();
    const all = sink();
    createLogger("debug", all).debug("x");
    expect(all.debug).toHaveBeenCalledOnce();
  });

  it("redacts messages and arguments", () => {
    const s = sink();
    const log = createLogger("debug", s, ["jwt.secret.token"]);
    log.debug(
      "sending Authorization: Bearer rg_live_sk_abc",
      { headers: { authorization: "rg_test_sk_zzz" } },
      "jwt.secret.token",
      3,
    );
    const text = JSON.stringify(s.debug.mock.calls);
    expect(text).not.toContain("rg_live_sk_abc");
    expect(text).not.toContain("rg_test_sk_zzz");
    expect(text).not.toContain("jwt.secret.token");
    expect(s.debug.mock.calls[0]?.[3]).toBe(3);
  });

  it("redacts errors passed as arguments", () => {
    const s = sink();
    createLogger("error", s).error("failed", new Error("key rg_live_sk_leak"));
    expect(String(s.error.mock.calls[0]?.[1])).toContain("rg_live_sk_***");
    expect(String(s.error.mock.calls[0]?.[1])).not.toContain("leak");
  });

  it("defaults to console", () => {
    const spy = vi.spyOn(console, "warn").mockImplementation(() => {});
    createLogger("warn").warn("hi");
    expect(spy).toHaveBeenCalledWith("[resonant] hi");
    spy.mockRestore();
  });
});

describe("resolveLogLevel", () => {
  it("lets RESONANT_LOG override the option", () => {
    expect(resolveLogLevel("warn", { RESONANT_LOG: "debug" })).toBe("debug");
    expect(resolveLogLevel("debug", { RESONANT_LOG: " OFF " })).toBe("off");
  });

  it("falls back to the option, then warn", () => {
    expect(resolveLogLevel("info", { RESONANT_LOG: "loud" })).toBe("info");
    expect(resolveLogLevel(undefined, {})).toBe("warn");
    expect(resolveLogLevel("error", undefined)).toBe("error");
  });

  it("reads process.env by default", () => {
    vi.stubEnv("RESONANT_LOG", "info");
    expect(resolveLogLevel("off")).toBe("info");
    vi.unstubAllEnvs();
  });

  it("copes with an env that throws on access", () => {
    const env = new Proxy(
      {},
      {
        get: () => {
          throw new Error("denied");
        },
      },
    );
    expect(resolveLogLevel("error", env)).toBe("error");
  });
});
