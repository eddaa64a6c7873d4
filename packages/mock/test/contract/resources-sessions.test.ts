// docs/protocol.md section 5, sessions and steps: create (201, running), get,
// list, cancel, delete, the steps list; 1.2 sessions for a team.
import { afterAll, describe, expect, test } from "vitest";
import {
  type Json,
  atLeast,
  createAgent,
  direct,
  expectDeleted,
  expectError,
  expectInvalid,
  expectSchema,
  finished,
  missingId,
  useServer,
  version,
} from "./harness.js";

const h = useServer();
// a second mock whose sessions run slowly, so that they can be cancelled while running
const slow = direct({ stepDelayMs: 60_000 });
afterAll(() => slow.api.close());

describe("sessions", () => {
  test("create answers 201 with a running session of exactly the version's fields", async () => {
    const agent = await createAgent(h.client);
    const res = await h.client.post("/sessions", {
      agent_id: agent.id,
      goal: "greet",
      context: { user: "ada" },
      max_steps: 3,
    });
    expect(res.status).toBe(201);
    const session = expectSchema("Session", res.json);
    expect(session).toMatchObject({
      object: "session",
      agent_id: agent.id,
      goal: "greet",
      context: { user: "ada" },
      status: "running",
      result: null,
      completed_at: null,
      metadata: {},
    });
    if (atLeast("1.2")) expect(session.team_id).toBeNull();
    expect((await h.client.get(`/sessions/${session.id}`)).json.id).toBe(session.id);
  });

  test("context defaults to null", async () => {
    const agent = await createAgent(h.client);
    expect((await h.client.create("/sessions", { agent_id: agent.id, goal: "g" })).context).toBeNull();
  });

  test("a session runs to the end: completed, result, completed_at, its steps", async () => {
    const agent = await createAgent(h.client);
    const session = await h.client.create("/sessions", { agent_id: agent.id, goal: "say hello", max_steps: 4 });
    const done = expectSchema("Session", await finished(h.client, session.id));
    expect(done.status).toBe("completed");
    expect(typeof done.result).toBe("string");
    expect(done.completed_at).not.toBeNull();
    expect(Date.parse(done.completed_at)).toBeGreaterThanOrEqual(Date.parse(done.created_at));
    const stepsRes = await h.client.get(`/sessions/${session.id}/steps?limit=100`);
    const steps = expectSchema("StepList", stepsRes.json).data as Json[];
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.length).toBeLessThanOrEqual(4);
    expect(steps.map((s) => s.step_number)).toEqual(steps.map((_, i) => i + 1));
    for (const step of steps)
      expect(step).toMatchObject({ object: "step", session_id: session.id, status: "completed" });
    expect(done.steps_completed).toBe(steps.length);
    expect(done.tokens_used).toBeGreaterThanOrEqual(0);
  });

  test("an unknown agent is refused, and nothing is created", async () => {
    const res = await h.client.post("/sessions", { agent_id: missingId(), goal: "g" });
    expect([404, 422]).toContain(res.status);
    if (res.status === 404) expectError(res, 404, "agent_not_found");
    expect((await h.client.get("/sessions")).json.data).toHaveLength(0);
  });

  test("bad bodies: 422 naming the fields", async () => {
    const agent = await createAgent(h.client);
    expectInvalid(await h.client.post("/sessions", { agent_id: agent.id, goal: "g", max_steps: "ten" }), ["max_steps"]);
    expectInvalid(await h.client.post("/sessions", { agent_id: agent.id, goal: "g", context: "not an object" }), [
      "context",
    ]);
    expectInvalid(await h.client.post("/sessions", { agent_id: agent.id, goal: "g", whatever: 1 }), ["whatever"]);
  });

  test("cancel a running session: cancelled, and it stays cancelled", async () => {
    const agent = await createAgent(slow.client);
    const session = await slow.client.create("/sessions", { agent_id: agent.id, goal: "long", max_steps: 50 });
    expect(session.status).toBe("running");
    const res = await slow.client.post(`/sessions/${session.id}/cancel`);
    expect(res.status).toBe(200);
    const cancelled = expectSchema("Session", res.json);
    expect(cancelled.status).toBe("cancelled");
    expect((await slow.client.get(`/sessions/${session.id}`)).json.status).toBe("cancelled");
    expect((await slow.client.listAll("/sessions?status=cancelled")).map((s) => s.id)).toContain(session.id);
    expect((await slow.client.listAll("/sessions?status=running")).map((s) => s.id)).not.toContain(session.id);
  });

  test("cancel of a missing session: 404 session_not_found", async () => {
    expectError(await h.client.post(`/sessions/${missingId()}/cancel`), 404, "session_not_found");
  });

  test("a running session lists its running step", async () => {
    const agent = await createAgent(slow.client);
    const session = await slow.client.create("/sessions", { agent_id: agent.id, goal: "long" });
    const steps = expectSchema("StepList", (await slow.client.get(`/sessions/${session.id}/steps`)).json)
      .data as Json[];
    for (const step of steps) expect(step.session_id).toBe(session.id);
    expect(steps.filter((s) => s.status === "completed").length).toBe(
      (await slow.client.get(`/sessions/${session.id}`)).json.steps_completed,
    );
  });

  test("DELETE: 204, then 404 for the session and its steps", async () => {
    const agent = await createAgent(h.client);
    const session = await h.client.create("/sessions", { agent_id: agent.id, goal: "g", max_steps: 1 });
    await finished(h.client, session.id);
    await expectDeleted(h.client, `/sessions/${session.id}`, "session_not_found");
    expectError(await h.client.get(`/sessions/${session.id}/steps`), 404, "session_not_found");
  });

  test("the list parses strictly and filters by agent_id", async () => {
    const a = await createAgent(h.client, "a");
    const b = await createAgent(h.client, "b");
    const s1 = await h.client.create("/sessions", { agent_id: a.id, goal: "1" });
    await h.client.create("/sessions", { agent_id: b.id, goal: "2" });
    const list = expectSchema("SessionList", (await h.client.get(`/sessions?agent_id=${a.id}`)).json);
    expect(list.data.map((s: Json) => s.id)).toEqual([s1.id]);
  });

  test.runIf(version !== "1.2")("before 1.2, team_id is an unknown field", async () => {
    expectInvalid(await h.client.post("/sessions", { team_id: missingId(), goal: "g" }), ["team_id"]);
  });

  test.runIf(version === "1.0")("1.0: stream is an unknown field", async () => {
    const agent = await createAgent(h.client);
    expectInvalid(await h.client.post("/sessions", { agent_id: agent.id, goal: "g", stream: true }), ["stream"]);
  });
});

describe.runIf(atLeast("1.2"))("1.2 team sessions", () => {
  test("team_id in place of agent_id: the session names the team and its lead", async () => {
    const a = await createAgent(h.client, "a");
    const b = await createAgent(h.client, "b");
    const team = await h.client.create("/teams", { name: "t", agent_ids: [a.id, b.id], lead_agent_id: b.id });
    const session = expectSchema("Session", await h.client.create("/sessions", { team_id: team.id, goal: "together" }));
    expect(session.team_id).toBe(team.id);
    expect(session.agent_id).toBe(b.id);
    const listed = await h.client.listAll(`/sessions?team_id=${team.id}`);
    expect(listed.map((s) => s.id)).toEqual([session.id]);
  });

  test("both agent_id and team_id, or neither: 422", async () => {
    const a = await createAgent(h.client, "a");
    const team = await h.client.create("/teams", { name: "t", agent_ids: [a.id] });
    expect((await h.client.post("/sessions", { agent_id: a.id, team_id: team.id, goal: "g" })).status).toBe(422);
    expect((await h.client.post("/sessions", { goal: "g" })).status).toBe(422);
  });

  test("an unknown team: 404 team_not_found or 422", async () => {
    const res = await h.client.post("/sessions", { team_id: missingId(), goal: "g" });
    expect([404, 422]).toContain(res.status);
    if (res.status === 404) expect(res.json.error.code).toBe("team_not_found");
  });
});
