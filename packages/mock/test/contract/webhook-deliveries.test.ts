// docs/protocol.md section 5: a delivery is `POST <url>` with the event
// {id: evt_..., type, created_at, data} signed with the webhook's secret
// (1.0/1.1: HMAC of the body; 1.2: of "<timestamp>.<body>", with
// X-Webhook-Timestamp and X-Webhook-Id); only subscribed events, only active
// webhooks, and in 1.2 only objects that match the filters. The mock records
// deliveries instead of sending them (api.flushDeliveries()).
import { createHmac } from "node:crypto";
import { describe, expect, test } from "vitest";
import { signWebhook } from "@resonantgenesis/mock";
import { type Json, atLeast, createAgent, expectSchema, finished, useServer, version } from "./harness.js";

const h = useServer();

async function deliveriesTo(webhookId: string): Promise<Json[]> {
  const all = await h.api.flushDeliveries();
  return all.filter((d) => d.webhookId === webhookId);
}

function header(d: Json, name: string): string | undefined {
  const key = Object.keys(d.headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : d.headers[key];
}

/** The delivery is signed as the protocol says, with the secret of the create answer. */
function expectSigned(d: Json, secret: string): void {
  const signature = header(d, "X-Webhook-Signature");
  if (version === "1.2") {
    const ts = header(d, "X-Webhook-Timestamp");
    expect(ts).toMatch(/^\d+$/);
    expect(Math.abs(Number(ts) - h.api.clock.now().valueOf() / 1000)).toBeLessThanOrEqual(300);
    expect(header(d, "X-Webhook-Id")).toBe(d.event.id);
    expect(signature).toBe(`sha256=${createHmac("sha256", secret).update(`${ts}.${d.body}`).digest("hex")}`);
  } else {
    expect(header(d, "X-Webhook-Timestamp")).toBeUndefined();
    expect(signature).toBe(`sha256=${createHmac("sha256", secret).update(d.body).digest("hex")}`);
  }
}

describe("webhook deliveries", () => {
  test("agent.created: one signed delivery of the event, the body being the event", async () => {
    const hook = await h.client.create("/webhooks", { url: "https://hooks.example.com/a", events: ["agent.created"] });
    const agent = await createAgent(h.client, "watched");
    const [delivery, ...more] = await deliveriesTo(hook.id);
    expect(more).toEqual([]);
    expect(delivery.url).toBe("https://hooks.example.com/a");
    expect(JSON.parse(delivery.body)).toEqual(delivery.event);
    const event = expectSchema("WebhookEvent", delivery.event);
    expect(event.id).toMatch(/^evt_/);
    expect(event.type).toBe("agent.created");
    // the object as the webhook's version shows it
    expect(expectSchema("Agent", event.data)).toEqual(agent);
    expectSigned(delivery, hook.secret);
  });

  test("only subscribed events: update and delete are not sent to an agent.created hook", async () => {
    const hook = await h.client.create("/webhooks", {
      url: "https://hooks.example.com/b",
      events: ["agent.created", "agent.deleted"],
    });
    const agent = await createAgent(h.client);
    await h.client.patch(`/agents/${agent.id}`, { name: "changed" });
    await h.client.del(`/agents/${agent.id}`);
    const types = (await deliveriesTo(hook.id)).map((d) => d.event.type);
    expect(types).toEqual(["agent.created", "agent.deleted"]);
  });

  test("an inactive webhook gets nothing; active again, it does", async () => {
    const hook = await h.client.create("/webhooks", {
      url: "https://hooks.example.com/c",
      events: ["agent.created"],
      active: false,
    });
    await createAgent(h.client);
    expect(await deliveriesTo(hook.id)).toEqual([]);
    await h.client.patch(`/webhooks/${hook.id}`, { active: true });
    await createAgent(h.client);
    expect(await deliveriesTo(hook.id)).toHaveLength(1);
  });

  test("session.created and session.completed carry the session", async () => {
    const hook = await h.client.create("/webhooks", {
      url: "https://hooks.example.com/d",
      events: ["session.created", "session.completed"],
    });
    const agent = await createAgent(h.client);
    const session = await h.client.create("/sessions", { agent_id: agent.id, goal: "g", max_steps: 2 });
    const done = await finished(h.client, session.id);
    const deliveries = await deliveriesTo(hook.id);
    expect(deliveries.map((d) => d.event.type)).toEqual(["session.created", "session.completed"]);
    expect(deliveries[1].event.data).toEqual(done);
    for (const d of deliveries) expectSigned(d, hook.secret);
    expect(new Set(deliveries.map((d) => d.event.id)).size).toBe(2);
  });

  test.runIf(atLeast("1.2"))("1.2 filters: only objects of the listed agents, or with the metadata", async () => {
    const a = await createAgent(h.client, "a");
    const b = await createAgent(h.client, "b");
    const byAgent = await h.client.create("/webhooks", {
      url: "https://hooks.example.com/e",
      events: ["session.created"],
      filters: { agent_ids: [a.id] },
    });
    const byMeta = await h.client.create("/webhooks", {
      url: "https://hooks.example.com/f",
      events: ["agent.created"],
      filters: { metadata: { env: "prod" } },
    });
    await h.client.create("/sessions", { agent_id: b.id, goal: "not for the hook" });
    const mine = await h.client.create("/sessions", { agent_id: a.id, goal: "for the hook" });
    const prod = await createAgent(h.client, "prod", { metadata: { env: "prod" } });
    await createAgent(h.client, "dev", { metadata: { env: "dev" } });
    expect((await deliveriesTo(byAgent.id)).map((d) => d.event.data.id)).toEqual([mine.id]);
    expect((await deliveriesTo(byMeta.id)).map((d) => d.event.data.id)).toEqual([prod.id]);
  });

  test.runIf(atLeast("1.2"))("1.2 events: team.created and memory.created", async () => {
    const hook = await h.client.create("/webhooks", {
      url: "https://hooks.example.com/g",
      events: ["team.created", "memory.created"],
    });
    const agent = await createAgent(h.client);
    const team = await h.client.create("/teams", { name: "t", agent_ids: [agent.id] });
    const memory = await h.client.create("/memories", { content: "remember" });
    const deliveries = await deliveriesTo(hook.id);
    expect(deliveries.map((d) => [d.event.type, d.event.data.id])).toEqual([
      ["team.created", team.id],
      ["memory.created", memory.id],
    ]);
  });

  test("session.failed carries the failed session, and no session.completed is sent", async () => {
    const hook = await h.client.create("/webhooks", {
      url: "https://hooks.example.com/f",
      events: ["session.completed", "session.failed"],
    });
    const agent = await createAgent(h.client);
    // The mock's documented way to make a session fail: "#fail" in its goal.
    const session = await h.client.create("/sessions", { agent_id: agent.id, goal: "answer #fail" });
    const done = await finished(h.client, session.id);
    expect(done.status).toBe("failed");
    const deliveries = await deliveriesTo(hook.id);
    expect(deliveries.map((d) => [d.event.type, d.event.data])).toEqual([["session.failed", done]]);
    expectSigned(deliveries[0], hook.secret);
  });

  test("agent.updated carries the updated agent", async () => {
    const hook = await h.client.create("/webhooks", { url: "https://hooks.example.com/u", events: ["agent.updated"] });
    const agent = await createAgent(h.client);
    const updated = (await h.client.patch(`/agents/${agent.id}`, { name: "renamed" })).json;
    const deliveries = await deliveriesTo(hook.id);
    expect(deliveries.map((d) => [d.event.type, d.event.data])).toEqual([["agent.updated", updated]]);
    expectSigned(deliveries[0], hook.secret);
  });

  test.runIf(atLeast("1.2"))("1.2 events: team.updated, team.deleted and trigger.fired", async () => {
    const hook = await h.client.create("/webhooks", {
      url: "https://hooks.example.com/t",
      events: ["team.updated", "team.deleted", "trigger.fired"],
    });
    const agent = await createAgent(h.client);
    const team = await h.client.create("/teams", { name: "t", agent_ids: [agent.id] });
    await h.client.patch(`/teams/${team.id}`, { name: "u" });
    await h.client.del(`/teams/${team.id}`);
    const trigger = await h.client.create(`/agents/${agent.id}/triggers`, { name: "in", goal_template: "do {x}" });
    const raw = JSON.stringify({ x: "it" });
    const timestamp = Math.floor(h.api.clock.now().valueOf() / 1000);
    const headers = await signWebhook({ secret: trigger.secret, body: raw, version: "1.2", timestamp });
    const fired = await h.client.call("POST", new URL(trigger.webhook_url).pathname, { body: raw, headers, key: null });
    expect(fired.status).toBeLessThan(300);
    const deliveries = await deliveriesTo(hook.id);
    expect(deliveries.map((d) => [d.event.type, d.event.data.object, d.event.data.id])).toEqual([
      ["team.updated", "team", team.id],
      ["team.deleted", "team", team.id],
      ["trigger.fired", "trigger", trigger.id],
    ]);
    for (const d of deliveries) expectSigned(d, hook.secret);
    // "the create answer alone also holds secret": a delivery of the trigger does not.
    expect(deliveries[2].event.data).not.toHaveProperty("secret");
  });
});
