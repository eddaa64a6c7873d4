// docs/protocol.md section 2: rate limiting. A 429 carries Retry-After; from 1.1
// on every response carries X-RateLimit-Limit/-Remaining/-Reset/-Reset-After,
// and 1.0 sends none of them.
import { describe, expect, test } from "vitest";
import { atLeast, expectError, missingId, useServer, version } from "./harness.js";

const h = useServer();
const RATE_HEADERS = ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "x-ratelimit-reset-after"];

describe("setRateLimit(3)", () => {
  test("the 4th call is 429 with Retry-After", async () => {
    h.api.setRateLimit(3, 60);
    for (let i = 0; i < 3; i++) expect((await h.client.get("/agents")).status).toBe(200);
    const limited = await h.client.get("/agents");
    expectError(limited, 429, "rate_limit_exceeded");
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  test("a limited POST creates nothing", async () => {
    h.api.setRateLimit(3, 60);
    for (let i = 0; i < 3; i++) expect((await h.client.post("/agents", { name: `a${i}` })).status).toBe(201);
    expect((await h.client.post("/agents", { name: "too many" })).status).toBe(429);
    h.api.setRateLimit(1000, 60);
    expect((await h.client.get("/agents")).json.data).toHaveLength(3);
  });

  test("after the window the calls go through again", async () => {
    h.api.setRateLimit(3, 60);
    for (let i = 0; i < 3; i++) await h.client.get("/agents");
    expect((await h.client.get("/agents")).status).toBe(429);
    h.api.clock.advance(61_000);
    expect((await h.client.get("/agents")).status).toBe(200);
  });

  test("a clock set back starts a fresh window: none resets after more than its length", async () => {
    h.api.setRateLimit(3, 60);
    for (let i = 0; i < 3; i++) expect((await h.client.get("/agents")).status).toBe(200);
    h.api.clock.set("2026-01-15T00:00:00Z"); // what the docs do to see 1.1 deprecated
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await h.client.get("/agents"));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(Number(answers[3]!.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    if (!atLeast("1.1")) return;
    const nowSeconds = Math.floor(Date.parse("2026-01-15T00:00:00Z") / 1000);
    for (const a of answers) {
      expect(Number(a.headers.get("x-ratelimit-reset-after"))).toBeLessThanOrEqual(60);
      expect(Number(a.headers.get("x-ratelimit-reset"))).toBeLessThanOrEqual(nowSeconds + 61);
    }
  });

  test.runIf(atLeast("1.1"))("1.1+: X-RateLimit-* on every response, counting down", async () => {
    h.api.setRateLimit(3, 60);
    const nowSeconds = Math.floor(h.api.clock.now().valueOf() / 1000);
    const answers = [
      await h.client.get("/agents"),
      await h.client.get(`/agents/${missingId()}`),
      await h.client.post("/agents", { name: "x" }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 404, 201]);
    expect(answers.map((a) => a.headers.get("x-ratelimit-limit"))).toEqual(["3", "3", "3"]);
    expect(answers.map((a) => a.headers.get("x-ratelimit-remaining"))).toEqual(["2", "1", "0"]);
    for (const a of answers) {
      const reset = Number(a.headers.get("x-ratelimit-reset"));
      const after = Number(a.headers.get("x-ratelimit-reset-after"));
      expect(reset).toBeGreaterThanOrEqual(1e9); // unix seconds, not seconds-until
      expect(reset).toBeGreaterThanOrEqual(nowSeconds);
      expect(reset).toBeLessThanOrEqual(nowSeconds + 61);
      expect(after).toBeGreaterThanOrEqual(0);
      expect(after).toBeLessThanOrEqual(60);
      expect(Math.abs(reset - nowSeconds - after)).toBeLessThanOrEqual(2);
    }
    const limited = await h.client.get("/agents");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(limited.headers.get("x-ratelimit-limit")).toBe("3");
    expect(limited.headers.get("retry-after")).not.toBeNull();
  });

  test.runIf(version === "1.0")("1.0: no rate-limit headers, not even on the 429", async () => {
    h.api.setRateLimit(3, 60);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await h.client.get("/agents"));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    for (const a of answers) for (const name of RATE_HEADERS) expect(a.headers.get(name), name).toBeNull();
    expect(answers[3]!.headers.get("retry-after")).not.toBeNull();
  });

  test("the limit is per account: another key still gets through", async () => {
    h.api.setRateLimit(3, 60);
    const other = h.client.as(h.api.createAccount({}).key);
    for (let i = 0; i < 4; i++) await h.client.get("/agents");
    expect((await h.client.get("/agents")).status).toBe(429);
    expect((await other.get("/agents")).status).toBe(200);
  });
});
