// docs/protocol.md section 2: Idempotency-Key on POST. A repeat gets the first
// answer (status and body) plus Idempotent-Replayed: true; a repeat with a
// different body gets 409 idempotency_key_reused; keys live 24 hours. The
// mock's choices (its README): a replay keeps the first X-Request-Id, answers
// of 5xx are not kept, and a streamed session create replays its stream.
import { describe, expect, test } from "vitest";
import {
  Client,
  atLeast,
  createAgent,
  direct,
  expectError,
  expectSchema,
  newAccount,
  readSse,
  useServer,
  version,
} from "./harness.js";

const h = useServer();
const key = () => `idem-${crypto.randomUUID()}`;

describe("Idempotency-Key", () => {
  test("same key, same body: same status and body, replayed, one object", async () => {
    const k = key();
    const first = await h.client.post("/agents", { name: "once" }, { headers: { "Idempotency-Key": k } });
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).not.toBe("true");
    const again = await h.client.post("/agents", { name: "once" }, { headers: { "Idempotency-Key": k } });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.json).toEqual(first.json);
    expect(again.headers.get("x-request-id")).toBe(first.headers.get("x-request-id"));
    expectSchema("Agent", again.json);
    const third = await h.client.post("/agents", { name: "once" }, { headers: { "Idempotency-Key": k } });
    expect(third.json.id).toBe(first.json.id);
    const list = await h.client.get("/agents");
    expect(list.json.data.map((a: { id: string }) => a.id)).toEqual([first.json.id]);
  });

  test("a replay does not undo later changes, it answers the stored body", async () => {
    const k = key();
    const first = await h.client.post("/agents", { name: "stored" }, { headers: { "Idempotency-Key": k } });
    await h.client.patch(`/agents/${first.json.id}`, { name: "changed" });
    const again = await h.client.post("/agents", { name: "stored" }, { headers: { "Idempotency-Key": k } });
    expect(again.json).toEqual(first.json);
    expect((await h.client.get(`/agents/${first.json.id}`)).json.name).toBe("changed");
  });

  test("same key, different body: 409 idempotency_key_reused, nothing created", async () => {
    const k = key();
    const first = await h.client.post("/agents", { name: "a" }, { headers: { "Idempotency-Key": k } });
    expect(first.status).toBe(201);
    const other = await h.client.post("/agents", { name: "b" }, { headers: { "Idempotency-Key": k } });
    expectError(other, 409, "idempotency_key_reused");
    expect(other.headers.get("idempotent-replayed")).not.toBe("true");
    expect((await h.client.get("/agents")).json.data).toHaveLength(1);
  });

  test("same key on another route: 409 idempotency_key_reused, nothing created", async () => {
    const k = key();
    expect((await h.client.post("/agents", { name: "a" }, { headers: { "Idempotency-Key": k } })).status).toBe(201);
    const other = await h.client.post(
      "/webhooks",
      { url: "https://hooks.example.com/a", events: ["agent.created"] },
      { headers: { "Idempotency-Key": k } },
    );
    expectError(other, 409, "idempotency_key_reused");
    expect((await h.client.get("/webhooks")).json.data).toHaveLength(0);
  });

  test("same key through another API version: 409, never the other version's answer", async () => {
    const k = key();
    const otherVersion = version === "1.2" ? "1.0" : "1.2";
    const other = new Client(h.client.fetchFn, h.baseURL, h.client.key, otherVersion);
    expect((await other.post("/agents", { name: "a" }, { headers: { "Idempotency-Key": k } })).status).toBe(201);
    const again = await h.client.post("/agents", { name: "a" }, { headers: { "Idempotency-Key": k } });
    expectError(again, 409, "idempotency_key_reused");
    expect(again.headers.get("x-api-version")).toBe(version);
    const byHeader = await h.client.post(
      "/api/agents",
      { name: "a" },
      { headers: { "Idempotency-Key": k, "X-API-Version": otherVersion } },
    );
    expect(byHeader.headers.get("idempotent-replayed")).toBe("true");
    expect((await other.get("/agents")).json.data).toHaveLength(1);
  });

  test("the first answer is kept even when it is an error: a repeat gets the same 422", async () => {
    const k = key();
    const first = await h.client.post("/agents", { name: "" }, { headers: { "Idempotency-Key": k } });
    expect(first.status).toBe(422);
    const again = await h.client.post("/agents", { name: "" }, { headers: { "Idempotency-Key": k } });
    expect(again.status).toBe(422);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.json).toEqual(first.json);
    // the stored body names the first request, and so does the replay's X-Request-Id
    expect(again.headers.get("x-request-id")).toBe(first.headers.get("x-request-id"));
    if (version === "1.2") expect(again.json.error.request_id).toBe(again.headers.get("x-request-id"));
  });

  // "keeps the first response for that key": a 409 such as name_taken is a first response like a 422.
  test.runIf(atLeast("1.1"))(
    "a first 409 (name_taken) is kept: the same body replays it, another body is idempotency_key_reused",
    async () => {
      const tool = { name: "taken", endpoint: "https://tools.example.com/a" };
      expect((await h.client.post("/tools", tool)).status).toBe(201);
      const k = key();
      const first = await h.client.post("/tools", tool, { headers: { "Idempotency-Key": k } });
      expectError(first, 409, "name_taken");
      const again = await h.client.post("/tools", tool, { headers: { "Idempotency-Key": k } });
      expect(again.status).toBe(409);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(again.json).toEqual(first.json);
      const renamed = await h.client.post("/tools", { ...tool, name: "free" }, { headers: { "Idempotency-Key": k } });
      expectError(renamed, 409, "idempotency_key_reused");
      expect((await h.client.get("/tools")).json.data).toHaveLength(1);
    },
  );

  // A repeat that arrives while the first request is still being answered (a retry after a client
  // timeout, a double submit) is a repeat too: the request runs once.
  test("repeats sent at once run the request once: one object, the others replay its answer", async () => {
    const { api, client } = direct();
    try {
      const k = key();
      const answers = await Promise.all(
        Array.from({ length: 4 }, () =>
          client.post("/agents", { name: "once" }, { headers: { "Idempotency-Key": k } }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201]);
      expect(new Set(answers.map((a) => a.json.id)).size).toBe(1);
      expect(answers.filter((a) => a.headers.get("idempotent-replayed") === "true")).toHaveLength(3);
      expect((await client.get("/agents")).json.data).toHaveLength(1);
      const other = client.post("/agents", { name: "other" }, { headers: { "Idempotency-Key": k } });
      expectError(await other, 409, "idempotency_key_reused");
    } finally {
      api.close();
    }
  });

  test("a 5xx answer is not kept: a retry with the same key runs again, and its answer is kept", async () => {
    const k = key();
    h.api.faults.once({ status: 503 });
    expectError(await h.client.post("/agents", { name: "x" }, { headers: { "Idempotency-Key": k } }), 503);
    const ok = await h.client.post("/agents", { name: "x" }, { headers: { "Idempotency-Key": k } });
    expect(ok.status).toBe(201);
    expect(ok.headers.get("idempotent-replayed")).not.toBe("true");
    const again = await h.client.post("/agents", { name: "x" }, { headers: { "Idempotency-Key": k } });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.json.id).toBe(ok.json.id);
    expect((await h.client.get("/agents")).json.data).toHaveLength(1);
  });

  test("different keys create different objects; no key creates every time", async () => {
    const a = await h.client.post("/agents", { name: "same" }, { headers: { "Idempotency-Key": key() } });
    const b = await h.client.post("/agents", { name: "same" }, { headers: { "Idempotency-Key": key() } });
    const c = await h.client.post("/agents", { name: "same" });
    const d = await h.client.post("/agents", { name: "same" });
    expect(new Set([a.json.id, b.json.id, c.json.id, d.json.id]).size).toBe(4);
    expect((await h.client.get("/agents")).json.data).toHaveLength(4);
  });

  test("sessions too: one session for a replayed POST /sessions", async () => {
    const agent = await createAgent(h.client);
    const k = key();
    const body = { agent_id: agent.id, goal: "once", max_steps: 2 };
    const first = await h.client.post("/sessions", body, { headers: { "Idempotency-Key": k } });
    expect(first.status).toBe(201);
    const again = await h.client.post("/sessions", body, { headers: { "Idempotency-Key": k } });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.json).toEqual(first.json);
    expect((await h.client.listAll("/sessions")).length).toBe(1);
  });

  test.runIf(atLeast("1.1"))(
    "a replayed streamed POST /sessions re-streams the same session from the start, not a new one",
    async () => {
      const agent = await createAgent(h.client);
      const opts = {
        body: { agent_id: agent.id, goal: "once", stream: true },
        headers: { Accept: "text/event-stream", "Idempotency-Key": key() },
      };
      const first = await readSse(await h.client.raw("POST", "/sessions", opts));
      expect(first.ended).toBe(true);
      const againRes = await h.client.raw("POST", "/sessions", opts);
      expect(againRes.headers.get("idempotent-replayed")).toBe("true");
      const again = await readSse(againRes);
      expect(again.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
      expect(again.events[0]!.data.id).toBe(first.events[0]!.data.id);
      expect((await h.client.listAll("/sessions")).length).toBe(1);
    },
  );

  test("the key belongs to its account: another account's same key is a new request", async () => {
    const k = key();
    const mine = await h.client.post("/agents", { name: "x" }, { headers: { "Idempotency-Key": k } });
    const other = newAccount(h);
    const theirs = await other.post("/agents", { name: "x" }, { headers: { "Idempotency-Key": k } });
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get("idempotent-replayed")).not.toBe("true");
    expect(theirs.json.id).not.toBe(mine.json.id);
  });

  test("after 24 hours the key is forgotten", async () => {
    const k = key();
    const first = await h.client.post("/agents", { name: "day" }, { headers: { "Idempotency-Key": k } });
    h.api.clock.advance(23 * 3600_000);
    const within = await h.client.post("/agents", { name: "day" }, { headers: { "Idempotency-Key": k } });
    expect(within.headers.get("idempotent-replayed")).toBe("true");
    h.api.clock.advance(2 * 3600_000);
    const later = await h.client.post("/agents", { name: "day" }, { headers: { "Idempotency-Key": k } });
    expect(later.status).toBe(201);
    expect(later.headers.get("idempotent-replayed")).not.toBe("true");
    expect(later.json.id).not.toBe(first.json.id);
  });

  test("a key longer than 255 characters is refused", async () => {
    const res = await h.client.post("/agents", { name: "long" }, { headers: { "Idempotency-Key": "k".repeat(256) } });
    expect([400, 422]).toContain(res.status);
    const ok = await h.client.post("/agents", { name: "long" }, { headers: { "Idempotency-Key": "k".repeat(255) } });
    expect(ok.status).toBe(201);
  });
});
