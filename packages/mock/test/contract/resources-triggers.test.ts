// docs/protocol.md section 5, 1.2 webhook triggers: created under an agent, the
// secret only in the create answer, pause and resume.
import { describe, expect, test } from "vitest";
import { signWebhook } from "@resonantgenesis/mock";
import {
  type Json,
  atLeast,
  createAgent,
  expectDeleted,
  expectError,
  expectInvalid,
  expectSchema,
  missingId,
  useServer,
} from "./harness.js";

const h = useServer();
const body = { name: "on-ticket", goal_template: "triage ticket {ticket_id}", debounce_seconds: 30 };

describe.runIf(!atLeast("1.2"))("before 1.2", () => {
  test("no triggers", async () => {
    const agent = await createAgent(h.client);
    expectError(await h.client.get(`/agents/${agent.id}/triggers`), 404);
    expectError(await h.client.get(`/triggers/${missingId()}`), 404);
  });
});

describe.runIf(atLeast("1.2"))("triggers", () => {
  test("create answers 201 with the secret; get and list never show it", async () => {
    const agent = await createAgent(h.client);
    const res = await h.client.post(`/agents/${agent.id}/triggers`, body);
    expect(res.status).toBe(201);
    const created = expectSchema("TriggerWithSecret", res.json);
    expect(created).toMatchObject({ object: "trigger", agent_id: agent.id, ...body, status: "active" });
    expect(created.secret).toMatch(/^whsec_/);
    expect(() => new URL(created.webhook_url)).not.toThrow();
    const got = expectSchema("Trigger", (await h.client.get(`/triggers/${created.id}`)).json);
    const { secret: _secret, ...withoutSecret } = created;
    expect(got).toEqual(withoutSecret);
    const list = expectSchema("TriggerList", (await h.client.get(`/agents/${agent.id}/triggers`)).json);
    expect(list.data).toEqual([got]);
  });

  test("lists are per agent", async () => {
    const a = await createAgent(h.client, "a");
    const b = await createAgent(h.client, "b");
    const ta = await h.client.create(`/agents/${a.id}/triggers`, body);
    await h.client.create(`/agents/${b.id}/triggers`, { ...body, name: "other" });
    expect((await h.client.listAll(`/agents/${a.id}/triggers`)).map((t) => t.id)).toEqual([ta.id]);
  });

  test("pause and resume change the status, and only that", async () => {
    const agent = await createAgent(h.client);
    const trigger = await h.client.create(`/agents/${agent.id}/triggers`, body);
    const paused = await h.client.post(`/triggers/${trigger.id}/pause`);
    expect(paused.status).toBe(200);
    expect(expectSchema("Trigger", paused.json)).toMatchObject({ id: trigger.id, status: "paused", name: body.name });
    expect((await h.client.get(`/triggers/${trigger.id}`)).json.status).toBe("paused");
    const resumed = await h.client.post(`/triggers/${trigger.id}/resume`);
    expect(resumed.status).toBe(200);
    expect(expectSchema("Trigger", resumed.json).status).toBe("active");
    expect((await h.client.get(`/triggers/${trigger.id}`)).json.status).toBe("active");
    expectError(await h.client.post(`/triggers/${missingId()}/pause`), 404, "trigger_not_found");
  });

  test("PATCH, then DELETE", async () => {
    const agent = await createAgent(h.client);
    const trigger = await h.client.create(`/agents/${agent.id}/triggers`, body);
    h.api.clock.advance(1000);
    const res = await h.client.patch(`/triggers/${trigger.id}`, {
      goal_template: "look at {ticket_id} now",
      debounce_seconds: 0,
    });
    expect(res.status).toBe(200);
    const updated = expectSchema("Trigger", res.json);
    expect(updated).toMatchObject({
      goal_template: "look at {ticket_id} now",
      debounce_seconds: 0,
      name: body.name,
      status: "active",
    });
    expect(Date.parse(updated.updated_at)).toBeGreaterThan(Date.parse(trigger.updated_at));
    await expectDeleted(h.client, `/triggers/${trigger.id}`, "trigger_not_found");
  });

  test("refused: debounce over 3600, empty template, unknown field, unknown agent", async () => {
    const agent = await createAgent(h.client);
    expectInvalid(await h.client.post(`/agents/${agent.id}/triggers`, { ...body, debounce_seconds: 3601 }), [
      "debounce_seconds",
    ]);
    expectInvalid(await h.client.post(`/agents/${agent.id}/triggers`, { ...body, goal_template: "" }), [
      "goal_template",
    ]);
    expectInvalid(await h.client.post(`/agents/${agent.id}/triggers`, { ...body, status: "paused" }), ["status"]);
    expectError(await h.client.post(`/agents/${missingId()}/triggers`, body), 404, "agent_not_found");
    expect((await h.client.get(`/agents/${agent.id}/triggers`)).json.data).toHaveLength(0);
  });

  /** A third party's call to the trigger's webhook_url, signed as a 1.2 delivery is. */
  async function fire(
    trigger: Json,
    payload: unknown,
    opts: { secret?: string; skewSeconds?: number; unsigned?: boolean } = {},
  ) {
    const raw = JSON.stringify(payload);
    const timestamp = Math.floor(h.api.clock.now().valueOf() / 1000) + (opts.skewSeconds ?? 0);
    const headers = opts.unsigned
      ? {}
      : await signWebhook({ secret: opts.secret ?? trigger.secret, body: raw, version: "1.2", timestamp });
    const path = new URL(trigger.webhook_url).pathname;
    return h.client.call("POST", path, { body: raw, headers, key: null, anyErrorForm: true });
  }
  const sessionsOf = async (agentId: string) => h.client.listAll(`/sessions?agent_id=${agentId}`);

  test("a signed call to webhook_url starts a session, the goal filled from the JSON", async () => {
    const agent = await createAgent(h.client);
    const trigger = await h.client.create(`/agents/${agent.id}/triggers`, { ...body, debounce_seconds: 0 });
    const res = await fire(trigger, { ticket_id: "T-42", extra: true });
    expect(res.status, res.text).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(300);
    const sessions = await sessionsOf(agent.id);
    expect(sessions.map((s) => s.goal)).toEqual(["triage ticket T-42"]);
  });

  test("refused: no signature, a wrong secret, a timestamp over 300 s off; nothing starts", async () => {
    const agent = await createAgent(h.client);
    const trigger = await h.client.create(`/agents/${agent.id}/triggers`, { ...body, debounce_seconds: 0 });
    for (const opts of [{ unsigned: true }, { secret: "whsec_wrong" }, { skewSeconds: -301 }, { skewSeconds: 301 }]) {
      const res = await fire(trigger, { ticket_id: "T-1" }, opts);
      expect(res.status, JSON.stringify(opts)).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    expect(await sessionsOf(agent.id)).toEqual([]);
    expect((await fire(trigger, { ticket_id: "T-1" }, { skewSeconds: -200 })).status).toBeLessThan(300);
  });

  test("a paused trigger starts nothing; resumed, it does", async () => {
    const agent = await createAgent(h.client);
    const trigger = await h.client.create(`/agents/${agent.id}/triggers`, { ...body, debounce_seconds: 0 });
    await h.client.post(`/triggers/${trigger.id}/pause`);
    expect((await fire(trigger, { ticket_id: "P" })).status).toBeLessThan(500);
    expect(await sessionsOf(agent.id)).toEqual([]);
    await h.client.post(`/triggers/${trigger.id}/resume`);
    expect((await fire(trigger, { ticket_id: "P" })).status).toBeLessThan(300);
    expect(await sessionsOf(agent.id)).toHaveLength(1);
  });

  test("debounce_seconds: calls within the window start one session", async () => {
    const agent = await createAgent(h.client);
    const trigger = await h.client.create(`/agents/${agent.id}/triggers`, { ...body, debounce_seconds: 30 });
    await fire(trigger, { ticket_id: "1" });
    h.api.clock.advance(10_000);
    await fire(trigger, { ticket_id: "2" });
    expect(await sessionsOf(agent.id)).toHaveLength(1);
    h.api.clock.advance(31_000);
    await fire(trigger, { ticket_id: "3" });
    expect(await sessionsOf(agent.id)).toHaveLength(2);
  });
});
