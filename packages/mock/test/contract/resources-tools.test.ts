// docs/protocol.md section 5, custom tools (1.1+): unique names (409 name_taken),
// header values never echoed back ("***"); 1.0 has no /tools.
import { describe, expect, test } from "vitest";
import { atLeast, expectDeleted, expectError, expectInvalid, expectSchema, missingId, useServer } from "./harness.js";

const h = useServer();
const tool = {
  name: "web_search",
  description: "search the web",
  parameters: { type: "object", properties: { q: { type: "string" } }, required: ["q"] },
  endpoint: "https://tools.example.com/search",
  method: "POST",
  headers: { Authorization: "Bearer sk-very-secret", "X-Team": "ops" },
};

describe.runIf(!atLeast("1.1"))("1.0", () => {
  test("has no /tools", async () => {
    expectError(await h.client.get("/tools"), 404);
    expectError(await h.client.post("/tools", tool), 404);
  });
});

describe.runIf(atLeast("1.1"))("tools", () => {
  test("create: 201, header values masked as ***, keys kept", async () => {
    const res = await h.client.post("/tools", tool);
    expect(res.status).toBe(201);
    const created = expectSchema("Tool", res.json);
    expect(created).toMatchObject({
      object: "tool",
      name: tool.name,
      description: tool.description,
      parameters: tool.parameters,
      endpoint: tool.endpoint,
      method: "POST",
    });
    expect(created.headers).toEqual({ Authorization: "***", "X-Team": "***" });
    expect(res.text).not.toContain("sk-very-secret");
    const got = await h.client.get(`/tools/${created.id}`);
    expect(expectSchema("Tool", got.json)).toEqual(created);
    expect(got.text).not.toContain("sk-very-secret");
    const list = await h.client.get("/tools");
    expect(expectSchema("ToolList", list.json).data).toEqual([created]);
    expect(list.text).not.toContain("sk-very-secret");
    // "never echoed back": an export is an answer too (section 6's whole objects, masked as above).
    const exported = await h.client.get("/tools/export");
    expect(exported.json.tools).toEqual([created]);
    const archives = atLeast("1.2")
      ? [
          await h.client.get("/data/export"),
          await h.client.get("/data/export", { headers: { Accept: "application/x-ndjson" } }),
        ]
      : [];
    for (const answer of [exported, ...archives]) expect(answer.text).not.toContain("sk-very-secret");
  });

  test("minimal create: endpoint and name only", async () => {
    const created = expectSchema(
      "Tool",
      await h.client.create("/tools", { name: "t1", endpoint: "https://x.example.com/t" }),
    );
    expect(created.headers).toEqual({});
    expect(["GET", "POST"]).toContain(created.method);
    expect(created.description).toBeNull();
  });

  test("a name already used in the account: 409 name_taken; another account may use it", async () => {
    await h.client.create("/tools", tool);
    const again = await h.client.post("/tools", { ...tool, description: "again" });
    expectError(again, 409, "name_taken");
    expect((await h.client.get("/tools")).json.data).toHaveLength(1);
    const other = h.client.as(h.api.createAccount({}).key);
    expect((await other.post("/tools", tool)).status).toBe(201);
  });

  test("renaming onto a taken name: 409; onto a free name: 200", async () => {
    const a = await h.client.create("/tools", { ...tool, name: "a" });
    const b = await h.client.create("/tools", { ...tool, name: "b" });
    expectError(await h.client.patch(`/tools/${b.id}`, { name: "a" }), 409, "name_taken");
    expect((await h.client.get(`/tools/${b.id}`)).json.name).toBe("b");
    const renamed = await h.client.patch(`/tools/${b.id}`, { name: "c" });
    expect(renamed.status).toBe(200);
    expect(renamed.json.name).toBe("c");
    // and the old name is free again
    expect((await h.client.post("/tools", { ...tool, name: "b" })).status).toBe(201);
    expect(a.name).toBe("a");
  });

  test("PATCH headers: still masked; other fields unchanged", async () => {
    const created = await h.client.create("/tools", tool);
    h.api.clock.advance(1000);
    const res = await h.client.patch(`/tools/${created.id}`, { headers: { "X-New": "value" }, method: "GET" });
    expect(res.status).toBe(200);
    const updated = expectSchema("Tool", res.json);
    expect(updated.headers).toEqual({ "X-New": "***" });
    expect(updated).toMatchObject({ name: tool.name, endpoint: tool.endpoint, method: "GET" });
    expect(Date.parse(updated.updated_at)).toBeGreaterThan(Date.parse(created.updated_at));
  });

  test("bad tools: name pattern, http endpoint, method, unknown field", async () => {
    expectInvalid(await h.client.post("/tools", { ...tool, name: "has space" }), ["name"]);
    expectInvalid(await h.client.post("/tools", { ...tool, name: "x".repeat(65) }), ["name"]);
    expectInvalid(await h.client.post("/tools", { ...tool, endpoint: "http://tools.example.com" }), ["endpoint"]);
    expectInvalid(await h.client.post("/tools", { ...tool, method: "DELETE" }), ["method"]);
    expectInvalid(await h.client.post("/tools", { ...tool, timeout: 5 }), ["timeout"]);
    expect((await h.client.get("/tools")).json.data).toHaveLength(0);
  });

  test("DELETE: 204, then 404 tool_not_found", async () => {
    const created = await h.client.create("/tools", tool);
    await expectDeleted(h.client, `/tools/${created.id}`, "tool_not_found");
    expectError(await h.client.patch(`/tools/${missingId()}`, { name: "z" }), 404, "tool_not_found");
  });

  // Section 5: `updated_at` is when an object last changed, and (1.2) an agent's `version` is "+1 on
  // every update": an agent whose tool_ids lose a deleted tool has changed, and says so.
  test("deleting a tool updates the agents that used it: tool_ids, updated_at, version, agent.updated", async () => {
    const created = await h.client.create("/tools", tool);
    const hook = await h.client.create("/webhooks", { url: "https://hooks.example.com/t", events: ["agent.updated"] });
    const agent = await h.client.create("/agents", { name: "user", tool_ids: [created.id] });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await h.client.del(`/tools/${created.id}`)).status).toBe(204);
    const after = expectSchema("Agent", (await h.client.get(`/agents/${agent.id}`)).json);
    expect(after.tool_ids).toEqual([]);
    expect(Date.parse(after.updated_at)).toBeGreaterThan(Date.parse(agent.updated_at));
    if (atLeast("1.2")) expect(after.version).toBe(agent.version + 1);
    const sent = (await h.api.flushDeliveries()).filter((d) => d.webhookId === hook.id);
    expect(sent.map((d) => [d.event.type, (d.event.data as { id: string }).id])).toEqual([["agent.updated", agent.id]]);
  });
});
