import { describe, expect, test } from "vitest";
import { signWebhook, type WebhookDelivery } from "../src/index.js";
import { call, mock } from "./helpers.js";

describe("webhook deliveries", () => {
  test("subscribed events are delivered, signed in the webhook's version, shaped by it", async () => {
    const received: WebhookDelivery[] = [];
    const api = mock({ onWebhookDelivery: (d) => void received.push(d) });
    const hook10 = (
      await call(api, "POST", "/webhooks", {
        body: { url: "https://h.example.com/a", events: ["agent.created", "session.completed"] },
        version: "1.0",
      })
    ).json;
    const hook12 = (
      await call(api, "POST", "/webhooks", { body: { url: "https://h.example.com/b", events: ["agent.updated"] } })
    ).json;
    const agent = (await call(api, "POST", "/agents", { body: { name: "a" } })).json;
    await call(api, "PATCH", `/agents/${agent.id}`, { body: { name: "b" } });
    const all = await api.flushDeliveries();
    expect(all.map((d) => [d.webhookId, d.event.type])).toEqual([
      [hook10.id, "agent.created"],
      [hook12.id, "agent.updated"],
    ]);
    expect(received).toHaveLength(2);
    const [d10, d12] = all as [WebhookDelivery, WebhookDelivery];
    expect(d10.event.data).not.toHaveProperty("version");
    expect(d10.headers).not.toHaveProperty("X-Webhook-Timestamp");
    expect(d10.headers["X-Webhook-Signature"]).toBe(
      (await signWebhook({ secret: hook10.secret, body: d10.body, version: "1.0" }))["X-Webhook-Signature"],
    );
    expect(d12.event.data).toHaveProperty("version", 2);
    const again = await signWebhook({
      secret: hook12.secret,
      body: d12.body,
      version: "1.2",
      timestamp: Number(d12.headers["X-Webhook-Timestamp"]),
    });
    expect(d12.headers).toEqual({ "Content-Type": "application/json", ...again });
    expect(d12.headers["X-Webhook-Id"]).toBe(d12.event.id);
  });

  test("1.2 filters: agent_ids and metadata must match; inactive webhooks get nothing", async () => {
    const api = mock();
    const a = (await call(api, "POST", "/agents", { body: { name: "a", metadata: { env: "prod" } } })).json;
    await call(api, "POST", "/webhooks", {
      body: { url: "https://h.example.com/f", events: ["agent.updated"], filters: { agent_ids: [a.id] } },
    });
    await call(api, "POST", "/webhooks", {
      body: { url: "https://h.example.com/m", events: ["agent.updated"], filters: { metadata: { env: "dev" } } },
    });
    await call(api, "POST", "/webhooks", {
      body: { url: "https://h.example.com/off", events: ["agent.updated"], active: false },
    });
    const b = (await call(api, "POST", "/agents", { body: { name: "b" } })).json;
    await call(api, "PATCH", `/agents/${a.id}`, { body: { name: "a2" } });
    await call(api, "PATCH", `/agents/${b.id}`, { body: { name: "b2" } });
    const all = await api.flushDeliveries();
    expect(all.map((d) => [d.url, (d.event.data as { id: string }).id])).toEqual([["https://h.example.com/f", a.id]]);
  });

  test("session.completed fires when a run ends; reset forgets deliveries", async () => {
    const api = mock();
    await call(api, "POST", "/webhooks", {
      body: { url: "https://h.example.com/s", events: ["session.created", "session.completed"] },
    });
    const agent = (await call(api, "POST", "/agents", { body: { name: "a" } })).json;
    const session = (await call(api, "POST", "/sessions", { body: { agent_id: agent.id, goal: "g" } })).json;
    await new Promise((r) => setTimeout(r, 150));
    const all = await api.flushDeliveries();
    expect(all.map((d) => d.event.type)).toEqual(["session.created", "session.completed"]);
    expect(all[1]!.event.data as { id: string; status: string }).toMatchObject({ id: session.id, status: "completed" });
    api.reset();
    expect(api.deliveries).toHaveLength(0);
  });

  test("a delivery still being signed when the mock is reset is dropped, not handed to the next test", async () => {
    const received: WebhookDelivery[] = [];
    const api = mock({ onWebhookDelivery: (d) => void received.push(d) });
    await call(api, "POST", "/webhooks", { body: { url: "https://h.example.com/r", events: ["agent.created"] } });
    await call(api, "POST", "/agents", { body: { name: "before-reset" } });
    api.reset();
    expect(await api.flushDeliveries()).toEqual([]);
    expect(received).toEqual([]);
    await call(api, "POST", "/webhooks", { body: { url: "https://h.example.com/r", events: ["agent.created"] } });
    await call(api, "POST", "/agents", { body: { name: "after-reset" } });
    const after = await api.flushDeliveries();
    expect(after.map((d) => (d.event.data as { name: string }).name)).toEqual(["after-reset"]);
    expect(received).toEqual(after);
  });
});
