/**
 * `migrate test`'s copy, the embedded mock: up, down and up again over a few thousand objects send more than the
 * mock's default rate limit (10,000 requests a minute), and the copy's client does not retry, so the copy must have
 * no limit, or the test ends with a 429 the account never sent.
 */
import { describe, expect, it } from "vitest";
import { copyApi } from "../src/migrate/test-runner.js";

describe("migrate test's copy", () => {
  it("answers more than 10,000 requests a minute without a 429", { timeout: 60_000 }, async () => {
    const api = await copyApi();
    try {
      const { key } = api.createAccount();
      const statuses = new Map<number, number>();
      for (let i = 0; i < 10_050; i++) {
        const response = await api.fetch(
          new Request("http://mock.invalid/api/v1.2/agents?limit=1", { headers: { authorization: `Bearer ${key}` } }),
        );
        await response.body?.cancel();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
      expect(Object.fromEntries(statuses)).toEqual({ 200: 10_050 });
    } finally {
      api.close();
    }
  });
});
