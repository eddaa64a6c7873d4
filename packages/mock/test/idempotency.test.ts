// The store alone; Idempotency-Key through the app (replays, 409s, what is
// kept, streamed replays) is checked once, by test/contract/idempotency.test.ts
// in every API version.
import { describe, expect, test } from "vitest";
import { IdempotencyStore, isKeepable } from "../src/gateway/idempotency.js";

describe("IdempotencyStore", () => {
  test("remembers per account and key, refuses another fingerprint, forgets after 24 h", () => {
    let now = 0;
    const store = new IdempotencyStore(() => now);
    expect(store.lookup("a", "k", "f1")).toEqual({ kind: "new" });
    store.remember("a", "k", "f1", { status: 201, headers: [], body: "{}" });
    expect(store.lookup("a", "k", "f1").kind).toBe("replay");
    expect(store.lookup("b", "k", "f1")).toEqual({ kind: "new" });
    expect(() => store.lookup("a", "k", "f2")).toThrowError(
      expect.objectContaining({ status: 409, code: "idempotency_key_reused" }),
    );
    now = 24 * 3600_000 - 1;
    expect(store.lookup("a", "k", "f1").kind).toBe("replay");
    now = 24 * 3600_000;
    expect(store.lookup("a", "k", "f2")).toEqual({ kind: "new" });
  });

  test("keeps answers below 500 except 429, so a retry after a 5xx or a 429 runs again", () => {
    for (const status of [200, 201, 204, 400, 401, 403, 404, 409, 422])
      expect(isKeepable(status), String(status)).toBe(true);
    for (const status of [429, 500, 502, 503, 504]) expect(isKeepable(status), String(status)).toBe(false);
  });

  test("while a first request runs, a repeat waits for it, another request is a 409, and a clear lets waiters go", async () => {
    const store = new IdempotencyStore(() => 0);
    const finish = store.begin("a", "k", "f1");
    const wait = store.lookup("a", "k", "f1");
    expect(wait.kind).toBe("wait");
    expect(() => store.lookup("a", "k", "f2")).toThrowError(expect.objectContaining({ status: 409 }));
    store.remember("a", "k", "f1", { status: 201, headers: [], body: "{}" });
    finish();
    if (wait.kind === "wait") await wait.done;
    expect(store.lookup("a", "k", "f1").kind).toBe("replay");
    store.begin("a", "k2", "f1");
    const waiting = store.lookup("a", "k2", "f1");
    store.clear();
    if (waiting.kind === "wait") await waiting.done;
    expect(store.lookup("a", "k2", "f1")).toEqual({ kind: "new" });
  });

  test.each(["", "x".repeat(256)])("a key of length %#: 400", (key) => {
    expect(() => IdempotencyStore.check(key)).toThrowError(expect.objectContaining({ status: 400 }));
  });
});
