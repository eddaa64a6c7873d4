import { describe, expect, test } from "vitest";
import {
  APIConnectionError,
  APITimeoutError,
  InternalServerError,
  RateLimitError,
  ResponseValidationError,
} from "@resonantgenesis/sdk";
import { useMock, version } from "./harness.js";

const mock = useMock();
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );
const attempts = (method: string) => mock.sent.filter((r) => r.method === method);

describe(`retries (API ${version})`, () => {
  test.each([408, 500, 502, 503, 504])("a GET answered %i once succeeds on the retry", async (status) => {
    mock.api.faults.once({ status, retryAfter: 0, method: "GET", path: "/agents" });
    const page = await mock.client().agents.list();
    expect(Array.isArray(page.data)).toBe(true);
    expect(attempts("GET")).toHaveLength(2);
  });

  test("2 retries by default, then the error of the last answer", async () => {
    mock.api.faults.set({ status: 500, method: "GET", path: "/agents" });
    const error = await failure(mock.client().agents.list());
    expect(error).toBeInstanceOf(InternalServerError);
    expect(attempts("GET")).toHaveLength(3);
  });

  test("maxRetries per client and per call", async () => {
    mock.api.faults.set({ status: 503, retryAfter: 0, method: "GET", path: "/agents" });
    await failure(mock.client({ maxRetries: 0 }).agents.list());
    expect(attempts("GET")).toHaveLength(1);
    await failure(mock.client().agents.list({}, { maxRetries: 1 }));
    expect(attempts("GET")).toHaveLength(3);
  });

  test("4xx other than 408 and 429 are not retried", async () => {
    await failure(mock.client().agents.get("00000000-0000-4000-8000-000000000000"));
    expect(attempts("GET")).toHaveLength(1);
  });

  test("429 waits Retry-After, then succeeds; RateLimitError carries retryAfter when out of retries", async () => {
    mock.api.faults.once({ status: 429, retryAfter: 1, method: "GET", path: "/agents" });
    const started = Date.now();
    await mock.client().agents.list();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    mock.api.faults.set({ status: 429, retryAfter: 0, method: "GET", path: "/agents" });
    const error = await failure(mock.client({ maxRetries: 0 }).agents.list());
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBe(0);
  });

  test("a POST is retried with the same Idempotency-Key, and the object is made once", async () => {
    const { key } = mock.api.createAccount();
    mock.api.faults.once({ status: 503, retryAfter: 0, method: "POST", path: "/agents" });
    const client = mock.client({ apiKey: key });
    await client.agents.create({ name: "once" });
    const posts = attempts("POST");
    expect(posts).toHaveLength(2);
    const keys = posts.map((r) => r.headers.get("idempotency-key"));
    expect(keys[0]).toMatch(/^rg-/);
    expect(keys[1]).toBe(keys[0]);
    expect((await client.agents.list()).data.filter((a) => a.name === "once")).toHaveLength(1);
  });

  test("a caller's idempotency key is used as given", async () => {
    await mock.client().agents.create({ name: "keyed" }, { idempotencyKey: "my-key-1" });
    expect(attempts("POST")[0]?.headers.get("idempotency-key")).toBe("my-key-1");
  });

  test("a dropped connection is retried, then an APIConnectionError", async () => {
    mock.api.faults.once({ drop: true, method: "GET", path: "/agents" });
    await mock.client().agents.list();
    mock.api.faults.set({ drop: true, method: "GET", path: "/agents" });
    const error = await failure(mock.client({ maxRetries: 1 }).agents.list());
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APITimeoutError);
  });

  test("a slow answer times out per attempt, and is retried", async () => {
    mock.api.faults.set({ latencyMs: 400, method: "GET", path: "/agents" });
    const error = await failure(mock.client({ timeout: 100, maxRetries: 1 }).agents.list());
    expect(error).toBeInstanceOf(APITimeoutError);
    expect(attempts("GET")).toHaveLength(2);
    mock.api.faults.reset();
    mock.api.faults.once({ latencyMs: 400, method: "GET", path: "/agents" });
    await expect(mock.client({ timeout: 200 }).agents.list()).resolves.toBeDefined();
  });

  test("an abort stops the call and any retry wait, with the platform's AbortError", async () => {
    mock.api.faults.set({ status: 503, retryAfter: 30, method: "GET", path: "/agents" });
    const controller = new AbortController();
    const pending = failure(mock.client().agents.list({}, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const error = await pending;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((error as Error).name).toBe("AbortError");
    const aborted = AbortSignal.abort();
    expect(((await failure(mock.client().agents.list({}, { signal: aborted }))) as Error).name).toBe("AbortError");
  });

  test("malformed and wrong-schema answers are not retried and say so", async () => {
    mock.api.faults.once({ malformedJson: true, method: "GET", path: "/agents" });
    expect(await failure(mock.client().agents.list())).toBeInstanceOf(ResponseValidationError);
    mock.api.faults.once({ wrongSchema: true, method: "GET", path: "/agents" });
    expect(await failure(mock.client().agents.list())).toBeInstanceOf(ResponseValidationError);
    expect(attempts("GET")).toHaveLength(2);
  });
});
