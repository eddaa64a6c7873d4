// docs/protocol.md section 2: Authorization: Bearer <key>; missing or unknown 401,
// a key lacking the call's scope 403; accounts are separate.
import { describe, expect, test } from "vitest";
import { DEMO_API_KEY, createAgent, expectError, newAccount, useServer, version } from "./harness.js";

const h = useServer();
const UNAUTHORIZED = ["api_key_invalid", "token_invalid", "token_expired"];

function expect401(res: Awaited<ReturnType<typeof h.client.get>>): void {
  expectError(res, 401);
  if (version === "1.2") expect(UNAUTHORIZED).toContain(res.json.error.code);
}

describe("401", () => {
  test("no Authorization header", async () => {
    expect401(await h.client.get("/agents", { key: null }));
    expect401(await h.client.post("/agents", { name: "x" }, { key: null }));
  });

  test("an unknown key", async () => {
    expect401(await h.client.get("/agents", { key: "rg_test_sk_not_a_real_key" }));
    expect401(await h.client.get("/agents", { key: "rg_live_sk_0000000000" }));
  });

  test("a header that is not a Bearer token", async () => {
    expect401(await h.client.get("/agents", { key: null, headers: { Authorization: `Basic ${btoa("user:pass")}` } }));
    expect401(await h.client.get("/agents", { key: null, headers: { Authorization: "Bearer" } }));
  });

  test("nothing is created by an unauthenticated POST", async () => {
    expect401(await h.client.post("/agents", { name: "sneaky" }, { key: "rg_test_sk_nope" }));
    expect((await h.client.get("/agents")).json.data).toHaveLength(0);
  });

  test("the demo key works, and so does a created account's key", async () => {
    expect(DEMO_API_KEY).toBe("rg_test_sk_demo");
    expect((await h.client.get("/agents")).status).toBe(200);
    const other = newAccount(h);
    expect(other.key).toMatch(/^rg_(test|live)_sk_/);
    expect((await other.get("/agents")).status).toBe(200);
  });
});

describe("403: a key without the call's scope", () => {
  test("agents:read may list and get agents but not write them", async () => {
    const writer = newAccount(h, ["*"]);
    const reader = writer.as(h.api.createAccount({ scopes: ["agents:read"] }).key);
    expect((await reader.get("/agents")).status).toBe(200);
    const denied = await reader.post("/agents", { name: "no" });
    expectError(denied, 403, "insufficient_permissions");
    expect((await reader.get("/agents")).json.data).toHaveLength(0);
  });

  test("agents:read may not touch sessions or webhooks", async () => {
    const reader = newAccount(h, ["agents:read"]);
    expectError(await reader.get("/sessions"), 403, "insufficient_permissions");
    expectError(await reader.get("/webhooks"), 403, "insufficient_permissions");
    expectError(
      await reader.post("/webhooks", { url: "https://example.com/h", events: ["agent.created"] }),
      403,
      "insufficient_permissions",
    );
  });

  test("agents:write may create, update and delete agents", async () => {
    const writer = newAccount(h, ["agents:read", "agents:write"]);
    const agent = await writer.create("/agents", { name: "w" });
    expect((await writer.patch(`/agents/${agent.id}`, { name: "w2" })).status).toBe(200);
    expect((await writer.del(`/agents/${agent.id}`)).status).toBe(204);
  });

  test("sessions:* reaches sessions and not agents or webhooks", async () => {
    const sessions = newAccount(h, ["sessions:*"]);
    expect((await sessions.get("/sessions")).status).toBe(200);
    expectError(await sessions.get("/agents"), 403, "insufficient_permissions");
    expectError(await sessions.post("/agents", { name: "x" }), 403, "insufficient_permissions");
    expectError(await sessions.get("/webhooks"), 403, "insufficient_permissions");
  });

  test("webhooks:* reaches webhooks and not sessions", async () => {
    const hooks = newAccount(h, ["webhooks:*"]);
    const created = await hooks.post("/webhooks", { url: "https://example.com/h", events: ["agent.created"] });
    expect(created.status).toBe(201);
    expectError(await hooks.get("/sessions"), 403, "insufficient_permissions");
  });

  test.runIf(version === "1.2")("teams:* reaches teams and not webhooks", async () => {
    const teams = newAccount(h, ["teams:*"]);
    expect((await teams.get("/teams")).status).toBe(200);
    expectError(await teams.get("/webhooks"), 403, "insufficient_permissions");
  });

  test("a missing key is 401, not 403, even for a scoped route", async () => {
    expect401(await h.client.get("/webhooks", { key: null }));
  });
});

describe("accounts are separate", () => {
  test("another account cannot see, change or delete an agent", async () => {
    const agent = await createAgent(h.client, "mine");
    const other = newAccount(h);
    expectError(await other.get(`/agents/${agent.id}`), 404, "agent_not_found");
    expectError(await other.patch(`/agents/${agent.id}`, { name: "theirs" }), 404, "agent_not_found");
    expectError(await other.del(`/agents/${agent.id}`), 404, "agent_not_found");
    expect((await other.get("/agents")).json.data).toHaveLength(0);
    expect((await h.client.get(`/agents/${agent.id}`)).json.name).toBe("mine");
  });

  test("a session cannot run another account's agent", async () => {
    const agent = await createAgent(h.client, "mine");
    const other = newAccount(h);
    const res = await other.post("/sessions", { agent_id: agent.id, goal: "steal" });
    expect([404, 422]).toContain(res.status);
  });
});
