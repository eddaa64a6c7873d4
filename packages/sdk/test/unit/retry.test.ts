/**
 * The retry policy as the client applies it: a ResonantClient over a scripted
 * fetch, with fake timers, so each test sees which attempts were sent and
 * how long the client waited between them. The parsing of Retry-After, which
 * RateLimitError.retryAfter shares, is tested on its own below.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ResonantClient, InternalServerError, NotFoundError, RateLimitError, type Fetch } from "@resonantgenesis/sdk";
import { DEFAULT_MAX_RETRIES } from "../../src/internal/defaults.js";
import {
  isCut,
  isRetryableMethod,
  isRetryableStatus,
  parseRetryAfterMs,
  retryAfterMs,
  sleep,
} from "../../src/internal/retry.js";
import { APIConnectionError, APITimeoutError, NotFoundError as NotFound } from "../../src/core/errors.js";

const h = (init: Record<string, string>) => new Headers(init);
const NOW = Date.parse("2026-11-24T10:00:00Z");
const AGENT = { id: "00000000-0000-4000-8000-000000000001" };

interface Sent {
  method: string;
  at: number;
  key: string | null;
}

/** A fetch that answers from a script (the last answer repeats) and records every attempt's time. */
function scripted(answers: (() => Response)[]): { fetch: Fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const fetch: Fetch = async (input, init) => {
    const request = new Request(input, init);
    sent.push({ method: request.method, at: Date.now(), key: request.headers.get("idempotency-key") });
    return answers[Math.min(sent.length, answers.length) - 1]!();
  };
  return { fetch, sent };
}
const status =
  (code: number, headers: Record<string, string> = {}) =>
  () =>
    new Response(code === 204 ? null : "{}", { status: code, headers });
const ok = () => Response.json({ ...AGENT });

/** Run a call to its end under fake timers; resolves with what it threw (or undefined). */
async function settle(call: Promise<unknown>): Promise<unknown> {
  let done = false;
  const outcome = call
    .then(
      () => undefined,
      (error: unknown) => error,
    )
    .finally(() => (done = true));
  // A first call may load its version's schemas (real I/O) before any timer is set.
  while (!done) {
    await vi.runAllTimersAsync();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return outcome;
}
const gaps = (sent: Sent[]) => sent.slice(1).map((s, i) => s.at - sent[i]!.at);
const client = (fetch: Fetch, options: { maxRetries?: number } = {}) =>
  new ResonantClient({ apiKey: "rg_test_sk_x", fetch, logLevel: "off", validateResponses: false, ...options });

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ["setTimeout", "clearTimeout", "Date"] });
  vi.spyOn(Math, "random").mockReturnValue(0); // no jitter unless a test says
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("how often and how long the client retries", () => {
  it("retries twice by default, then throws the last answer's error", async () => {
    const { fetch, sent } = scripted([status(503)]);
    const error = await settle(client(fetch).agents.get(AGENT.id));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(DEFAULT_MAX_RETRIES).toBe(2);
    expect(sent).toHaveLength(3);
  });

  it("waits 0.5 s, then 1 s, doubling up to 8 s", async () => {
    const { fetch, sent } = scripted([status(503)]);
    await settle(client(fetch, { maxRetries: 6 }).agents.get(AGENT.id));
    expect(gaps(sent)).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
  });

  it("takes up to 25 % off each wait as jitter, never more", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.999999);
    const { fetch, sent } = scripted([status(502), status(502), ok]);
    await settle(client(fetch).agents.get(AGENT.id));
    const [first, second] = gaps(sent);
    expect(first).toBeGreaterThan(375 - 1);
    expect(first).toBeLessThan(500);
    expect(second).toBeGreaterThan(750 - 1);
    expect(second).toBeLessThan(1000);
  });

  it("waits the server's Retry-After instead (no jitter), up to 60 s; longer, the backoff", async () => {
    const a = scripted([status(429, { "retry-after": "5" }), ok]);
    await settle(client(a.fetch).agents.get(AGENT.id));
    expect(gaps(a.sent)).toEqual([5000]);
    const b = scripted([status(429, { "retry-after-ms": "250", "retry-after": "9" }), ok]);
    await settle(client(b.fetch).agents.get(AGENT.id));
    expect(gaps(b.sent)).toEqual([250]);
    const c = scripted([status(503, { "retry-after": "600" }), ok]);
    await settle(client(c.fetch).agents.get(AGENT.id));
    expect(gaps(c.sent)).toEqual([500]);
  });

  it("keeps the server's wait on the RateLimitError when out of retries", async () => {
    const { fetch, sent } = scripted([status(429, { "retry-after": "7" })]);
    const error = await settle(client(fetch, { maxRetries: 0 }).agents.get(AGENT.id));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBe(7);
    expect(sent).toHaveLength(1);
  });
});

describe("what the client retries", () => {
  it.each([408, 429, 500, 502, 503, 504])("a GET answered %i", async (code) => {
    const { fetch, sent } = scripted([status(code), ok]);
    expect(await settle(client(fetch).agents.get(AGENT.id))).toBeUndefined();
    expect(sent).toHaveLength(2);
  });

  it.each([400, 401, 403, 404, 409, 410, 413, 422, 501])("not a GET answered %i", async (code) => {
    const { fetch, sent } = scripted([status(code), ok]);
    expect(await settle(client(fetch).agents.get(AGENT.id))).toBeDefined();
    expect(sent).toHaveLength(1);
  });

  it("a POST, with the Idempotency-Key the client set, the same on every attempt", async () => {
    const { fetch, sent } = scripted([status(503), ok]);
    await settle(client(fetch).agents.create({ name: "once" }));
    expect(sent.map((s) => s.method)).toEqual(["POST", "POST"]);
    expect(sent[0]!.key).toMatch(/^rg-/);
    expect(sent[1]!.key).toBe(sent[0]!.key);
  });

  it("a PATCH only with an Idempotency-Key (a repeated update is visible)", async () => {
    const bare = scripted([status(503), ok]);
    await settle(client(bare.fetch).agents.update(AGENT.id, { name: "n" }));
    expect(bare.sent).toHaveLength(1);
    const keyed = scripted([status(503), ok]);
    await settle(client(keyed.fetch).agents.update(AGENT.id, { name: "n" }, { headers: { "Idempotency-Key": "k1" } }));
    expect(keyed.sent).toHaveLength(2);
  });

  it("a PATCH given the idempotencyKey option, which it sends on every attempt", async () => {
    const { fetch, sent } = scripted([status(503), ok]);
    await settle(client(fetch).agents.update(AGENT.id, { name: "n" }, { idempotencyKey: "update-n" }));
    expect(sent.map((s) => [s.method, s.key])).toEqual([
      ["PATCH", "update-n"],
      ["PATCH", "update-n"],
    ]);
  });

  it.each([429, 408])("a PATCH answered %i, which says nothing was done, once more, without a key", async (code) => {
    const { fetch, sent } = scripted([status(code, { "retry-after": "2" }), ok]);
    expect(await settle(client(fetch).agents.update(AGENT.id, { name: "n" }))).toBeUndefined();
    expect(sent.map((s) => s.method)).toEqual(["PATCH", "PATCH"]);
    expect(gaps(sent)).toEqual([2000]);
  });

  it.each([500, 502, 503, 504])(
    "not a PATCH answered %i without a key (it may have been carried out)",
    async (code) => {
      const { fetch, sent } = scripted([status(code), ok]);
      expect(await settle(client(fetch).agents.update(AGENT.id, { name: "n" }))).toBeDefined();
      expect(sent).toHaveLength(1);
    },
  );

  it("a PATCH answered 429 within maxRetries: 0 not at all", async () => {
    const { fetch, sent } = scripted([status(429), ok]);
    expect(await settle(client(fetch, { maxRetries: 0 }).agents.update(AGENT.id, { name: "n" }))).toBeInstanceOf(
      RateLimitError,
    );
    expect(sent).toHaveLength(1);
  });

  it("a connection failure, then an APIConnectionError", async () => {
    const { fetch, sent } = scripted([
      () => {
        throw new TypeError("fetch failed");
      },
    ]);
    const error = await settle(client(fetch, { maxRetries: 1 }).agents.get(AGENT.id));
    expect((error as Error).name).toBe("APIConnectionError");
    expect(sent).toHaveLength(2);
    expect(error).not.toBeInstanceOf(NotFoundError);
  });

  it("after a reset (no answer): a POST again with its key, a DELETE again, a PATCH only with an Idempotency-Key", async () => {
    const reset = () => {
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }),
      });
    };
    const post = scripted([reset, ok]);
    expect(await settle(client(post.fetch).agents.create({ name: "once" }))).toBeUndefined();
    expect(post.sent.map((s) => s.method)).toEqual(["POST", "POST"]);
    expect(post.sent[1]!.key).toBe(post.sent[0]!.key);

    const del = scripted([reset, status(204)]);
    expect(await settle(client(del.fetch).agents.delete(AGENT.id))).toBeUndefined();
    expect(del.sent.map((s) => s.method)).toEqual(["DELETE", "DELETE"]);

    const bare = scripted([reset, ok]);
    expect(await settle(client(bare.fetch).agents.update(AGENT.id, { name: "n" }))).toBeInstanceOf(APIConnectionError);
    expect(bare.sent).toHaveLength(1);

    const keyed = scripted([reset, ok]);
    const update = client(keyed.fetch).agents.update(AGENT.id, { name: "n" }, { headers: { "Idempotency-Key": "k1" } });
    expect(await settle(update)).toBeUndefined();
    expect(keyed.sent.map((s) => [s.method, s.key])).toEqual([
      ["PATCH", "k1"],
      ["PATCH", "k1"],
    ]);
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
});

describe("the method and status rules, for methods the client does not send yet", () => {
  it("retries the documented statuses only", () => {
    for (const s of [408, 429, 500, 502, 503, 504]) expect(isRetryableStatus(s)).toBe(true);
    for (const s of [200, 400, 401, 403, 404, 409, 410, 413, 422, 501]) expect(isRetryableStatus(s)).toBe(false);
  });

  it("retries a request that may not be repeated after 408 and 429 only", () => {
    for (const s of [408, 429]) expect(isRetryableStatus(s, false)).toBe(true);
    for (const s of [500, 502, 503, 504, 400, 422]) expect(isRetryableStatus(s, false)).toBe(false);
  });

  it("retries idempotent methods, POST and PATCH only with a key", () => {
    for (const m of ["GET", "get", "PUT", "DELETE", "HEAD", "OPTIONS"]) expect(isRetryableMethod(m, false)).toBe(true);
    expect(isRetryableMethod("POST", false)).toBe(false);
    expect(isRetryableMethod("post", true)).toBe(true);
    expect(isRetryableMethod("PATCH", false)).toBe(false);
    expect(isRetryableMethod("PATCH", true)).toBe(true);
  });
});

describe("the wait and the cut, shared by the transport and the streams", () => {
  it("a wait ends early with the signal's reason, also when the signal was aborted before it began", async () => {
    await expect(sleep(60_000, AbortSignal.abort(new Error("gone before")))).rejects.toThrow("gone before");
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(new Error("gone during"));
    await expect(waiting).rejects.toThrow("gone during");
    const plain = sleep(1_000, undefined);
    await vi.advanceTimersByTimeAsync(1_000); // the file's fake clock
    await expect(plain).resolves.toBeUndefined();
  });

  it("a cut is a connection error, a stall or the platform's TypeError; an answer with a status is not", () => {
    expect(isCut(new APIConnectionError())).toBe(true);
    expect(isCut(new APITimeoutError())).toBe(true);
    expect(isCut(new TypeError("terminated"))).toBe(true);
    expect(isCut(new NotFound("404", { status: 404, headers: {}, body: undefined }))).toBe(false);
    expect(isCut(new Error("bug"))).toBe(false);
  });
});
