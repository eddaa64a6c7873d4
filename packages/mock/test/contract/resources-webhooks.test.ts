// docs/protocol.md section 5, webhooks (the secret only in the create answer;
// 1.2 description, filters and events), and section 7's signature vectors.
import { createHmac } from "node:crypto";
import { describe, expect, test } from "vitest";
import { signWebhook } from "@resonantgenesis/mock";
import { atLeast, expectDeleted, expectInvalid, expectSchema, useServer, version } from "./harness.js";

const h = useServer();
const hook = { url: "https://hooks.example.com/rg", events: ["agent.created", "session.completed"] };

describe("webhooks", () => {
  test("create answers 201 with the secret, once", async () => {
    const res = await h.client.post("/webhooks", hook);
    expect(res.status).toBe(201);
    const created = expectSchema("WebhookWithSecret", res.json);
    expect(created.secret).toMatch(/^whsec_.{8,}/);
    expect(created).toMatchObject({ object: "webhook", ...hook, active: true });
    if (atLeast("1.2")) expect(created).toMatchObject({ description: null, filters: {} });
    // get, list, update never show the secret (strict shape: no extra key)
    const got = expectSchema("Webhook", (await h.client.get(`/webhooks/${created.id}`)).json);
    expect(got).not.toHaveProperty("secret");
    const { secret: _secret, ...withoutSecret } = created;
    expect(got).toEqual(withoutSecret);
    const list = expectSchema("WebhookList", (await h.client.get("/webhooks")).json);
    expect(list.data).toEqual([got]);
    const patched = await h.client.patch(`/webhooks/${created.id}`, { active: false });
    expect(patched.status).toBe(200);
    expect(expectSchema("Webhook", patched.json)).toMatchObject({ id: created.id, active: false, events: hook.events });
    expect(patched.json).not.toHaveProperty("secret");
  });

  test("every webhook gets its own secret", async () => {
    const a = (await h.client.post("/webhooks", hook)).json;
    const b = (await h.client.post("/webhooks", hook)).json;
    expect(a.secret).not.toBe(b.secret);
  });

  test("PATCH events and url; bad values are refused and change nothing", async () => {
    const created = await h.client.create("/webhooks", hook);
    const updated = (
      await h.client.patch(`/webhooks/${created.id}`, { url: "https://other.example.com/x", events: ["agent.deleted"] })
    ).json;
    expect(updated).toMatchObject({ url: "https://other.example.com/x", events: ["agent.deleted"] });
    expectInvalid(await h.client.patch(`/webhooks/${created.id}`, { url: "ftp://nope.example.com" }), ["url"]);
    expectInvalid(await h.client.patch(`/webhooks/${created.id}`, { events: [] }), ["events"]);
    expect((await h.client.get(`/webhooks/${created.id}`)).json).toEqual(updated);
  });

  test("DELETE answers 204; then 404 webhook_not_found", async () => {
    const created = await h.client.create("/webhooks", hook);
    await expectDeleted(h.client, `/webhooks/${created.id}`, "webhook_not_found");
  });

  test("1.2 events are known from 1.2 only", async () => {
    const res = await h.client.post("/webhooks", {
      url: hook.url,
      events: ["team.created", "memory.created", "trigger.fired"],
    });
    if (atLeast("1.2")) expect(res.status).toBe(201);
    else expectInvalid(res, ["events"]);
  });

  test.runIf(atLeast("1.2"))("1.2: description and filters round-trip", async () => {
    const filters = { agent_ids: [crypto.randomUUID()], metadata: { env: "prod" } };
    const created = await h.client.create("/webhooks", { ...hook, description: "prod only", filters });
    expect(created).toMatchObject({ description: "prod only", filters });
    expect((await h.client.get(`/webhooks/${created.id}`)).json.filters).toEqual(filters);
    expectInvalid(await h.client.post("/webhooks", { ...hook, filters: { colour: "red" } }), ["filters"]);
  });

  test.runIf(!atLeast("1.2"))("before 1.2, description and filters are unknown fields", async () => {
    expectInvalid(await h.client.post("/webhooks", { ...hook, description: "x" }), ["description"]);
  });
});

describe("signWebhook reproduces docs/protocol.md section 7", () => {
  const secret = "whsec_test_5f3c1b";
  const body =
    '{"id":"evt_01","type":"agent.created","created_at":"2026-11-24T10:00:00Z","data":{"id":"0b7c4f6e-2a51-4d38-9c1e-7f2d8a6b5e10","object":"agent","name":"triage"}}';
  const v10 = "sha256=43d9d52869f021264df3acfbd95be05ff4d1e71e30625b119d129adda7109eb7";
  const v12 = "sha256=a5e630ebd0e765e5a3aa0117dc90f5ee7e4e16cba23d5800c6accc858962ce9a";

  test("the vectors are HMAC-SHA256 of the body, and of '<timestamp>.<body>'", () => {
    expect(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`).toBe(v10);
    expect(`sha256=${createHmac("sha256", secret).update(`1795514400.${body}`).digest("hex")}`).toBe(v12);
    expect(Date.parse("2026-11-24T10:00:00Z") / 1000).toBe(1795514400);
  });

  test(`the helper gives the ${version} signature`, async () => {
    const signed = await sign(version, 1795514400);
    expect(signed).toBe(version === "1.2" ? v12 : v10);
  });

  test("1.0/1.1 and 1.2 signatures differ, and the timestamp matters in 1.2", async () => {
    expect(await sign("1.0", 1795514400)).toBe(v10);
    expect(await sign("1.1", 1795514400)).toBe(v10);
    expect(await sign("1.2", 1795514400)).toBe(v12);
    expect(await sign("1.2", 1795514401)).not.toBe(v12);
  });

  /** The X-Webhook-Signature the helper gives for `ver`. */
  async function sign(ver: "1.0" | "1.1" | "1.2", timestamp: number): Promise<string> {
    const headers = await signWebhook({ secret, body, version: ver, timestamp });
    return headers["X-Webhook-Signature"] ?? "";
  }

  test("1.2 deliveries also carry X-Webhook-Timestamp and X-Webhook-Id; 1.0/1.1 do not", async () => {
    const h12 = await signWebhook({ secret, body, version: "1.2", timestamp: new Date("2026-11-24T10:00:00Z") });
    expect(h12).toEqual({ "X-Webhook-Signature": v12, "X-Webhook-Timestamp": "1795514400", "X-Webhook-Id": "evt_01" });
    const h10 = await signWebhook({ secret, body, version: "1.0" });
    expect(h10).toEqual({ "X-Webhook-Signature": v10 });
  });
});
