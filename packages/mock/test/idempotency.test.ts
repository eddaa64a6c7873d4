import { describe, expect, test } from "vitest";
import { IdempotencyStore } from "../src/idempotency.js";
import { call, mock, raw, readSse } from "./helpers.js";

describe("IdempotencyStore", () => {
  test("remembers per account and key, refuses another fingerprint, forgets after 24 h", () => {
    let now = 0;
    const store = new IdempotencyStore(() => now);
    expect(store.lookup("a", "k", "f1")).toEqual({ kind: "new" });
    store.remember("a", "k", "f1", { status: 201, headers: [], body: "{}" });
    expect(store.lookup("a", "k", "f1").kind).toBe("replay");
    expect(store.lookup("b", "k", "f1")).toEqual({ kind: "new" });
    expect(() => store.lookup("a", "k", "f2")).toThrowError(expect.objectContaining({ status: 409, code: "idempotency_key_reused" }));
    now = 24 * 3600_000 - 1;
    expect(store.lookup("a", "k", "f1").kind).toBe("replay");
    now = 24 * 3600_000;
    expect(store.lookup("a", "k", "f2")).toEqual({ kind: "new" });
  });

  test.each(["", "x".repeat(256)])("a key of length %#: 400", (key) => {
    expect(() => IdempotencyStore.check(key)).toThrowError(expect.objectContaining({ status: 400 }));
  });
});

describe("Idempotency-Key through the app", () => {
  test("a replay answers the first status and body with Idempotent-Replayed and the first request id", async () => {
    const api = mock();
    const headers = { "Idempotency-Key": "k1" };
    const first = await call(api, "POST", "/agents", { body: { name: "a" }, headers });
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const again = await call(api, "POST", "/agents", { body: { name: "a" }, headers });
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect((await call(api, "GET", "/agents")).json.data).toHaveLength(1);
  });

  test("another body or path with the same key: 409, nothing created", async () => {
    const api = mock();
    const headers = { "Idempotency-Key": "k2" };
    await call(api, "POST", "/agents", { body: { name: "a" }, headers });
    const other = await call(api, "POST", "/agents", { body: { name: "b" }, headers });
    expect(other.status).toBe(409);
    expect(other.json.error.code).toBe("idempotency_key_reused");
    expect((await call(api, "GET", "/agents")).json.data).toHaveLength(1);
  });

  test("4xx answers are kept, 5xx are not (a retry after a failure can succeed)", async () => {
    const api = mock();
    const headers = { "Idempotency-Key": "k3" };
    const bad = await call(api, "POST", "/agents", { body: { name: "" }, headers });
    expect(bad.status).toBe(422);
    const replay = await call(api, "POST", "/agents", { body: { name: "" }, headers });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.json.error.request_id).toBe(replay.headers.get("x-request-id"));

    api.faults.once({ status: 503 });
    const headers2 = { "Idempotency-Key": "k4" };
    expect((await call(api, "POST", "/agents", { body: { name: "x" }, headers: headers2 })).status).toBe(503);
    const ok = await call(api, "POST", "/agents", { body: { name: "x" }, headers: headers2 });
    expect(ok.status).toBe(201);
    expect(ok.headers.get("idempotent-replayed")).toBeNull();
  });

  test("expires after 24 hours of mock time", async () => {
    const api = mock();
    const headers = { "Idempotency-Key": "k5" };
    const first = await call(api, "POST", "/agents", { body: { name: "a" }, headers });
    api.clock.advance(24 * 3600_000 + 1000);
    const later = await call(api, "POST", "/agents", { body: { name: "a" }, headers });
    expect(later.headers.get("idempotent-replayed")).toBeNull();
    expect(later.json.id).not.toBe(first.json.id);
  });

  test("a replayed streamed session create re-streams the same session, not a new one", async () => {
    const api = mock();
    const agent = (await call(api, "POST", "/agents", { body: { name: "s" } })).json;
    const opts = { body: { agent_id: agent.id, goal: "hi", stream: true }, headers: { Accept: "text/event-stream", "Idempotency-Key": "k6" } };
    const first = await readSse(await raw(api, "POST", "/sessions", opts));
    const againRes = await raw(api, "POST", "/sessions", opts);
    expect(againRes.headers.get("idempotent-replayed")).toBe("true");
    const again = await readSse(againRes);
    expect(again.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    expect((again.events[0]!.data as { id: string }).id).toBe((first.events[0]!.data as { id: string }).id);
    expect((await call(api, "GET", "/sessions")).json.data).toHaveLength(1);
  });
});
