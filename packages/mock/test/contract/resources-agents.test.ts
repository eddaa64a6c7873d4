// docs/protocol.md section 5, agents: create/get/list/update/delete per version
// (1.1 adds tool_ids, 1.2 adds version and memory_enabled).
import { describe, expect, test } from "vitest";
import {
  atLeast,
  createAgent,
  expectDeleted,
  expectError,
  expectInvalid,
  expectSchema,
  missingId,
  useServer,
  version,
} from "./harness.js";

const h = useServer();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe("agents", () => {
  test("create with only a name: the documented defaults, exactly the version's fields", async () => {
    const res = await h.client.post("/agents", { name: "triage" });
    expect(res.status).toBe(201);
    const agent = expectSchema("Agent", res.json);
    expect(agent.id).toMatch(UUID);
    expect(agent).toMatchObject({
      object: "agent",
      name: "triage",
      description: null,
      system_prompt: "",
      temperature: 0.7,
      max_tokens: null,
      status: "active",
      metadata: {},
    });
    expect(typeof agent.model).toBe("string");
    expect(agent.updated_at).toBe(agent.created_at);
    if (atLeast("1.1")) expect(agent.tool_ids).toEqual([]);
    if (atLeast("1.2")) expect(agent).toMatchObject({ version: 1, memory_enabled: false });
  });

  test("create with every field, then get it back equal", async () => {
    const body: Record<string, unknown> = {
      name: "full",
      description: "does it all",
      system_prompt: "be brief",
      model: "gpt-4-turbo",
      temperature: 1.25,
      max_tokens: 512,
      status: "archived",
      metadata: { team: "ops", tier: "1" },
    };
    if (atLeast("1.2")) body.memory_enabled = true;
    const agent = await h.client.create("/agents", body);
    expect(agent).toMatchObject(body);
    const got = await h.client.get(`/agents/${agent.id}`);
    expect(got.status).toBe(200);
    expect(expectSchema("Agent", got.json)).toEqual(agent);
  });

  test("list holds the created agents, oldest first", async () => {
    const a = await createAgent(h.client, "first");
    const b = await createAgent(h.client, "second");
    const res = await h.client.get("/agents");
    const list = expectSchema("AgentList", res.json);
    expect(list.data).toEqual([a, b]);
    expect(list.has_more).toBe(false);
  });

  test("PATCH changes only the given fields; updated_at moves", async () => {
    const agent = await createAgent(h.client, "before", { description: "keep me", temperature: 0.3 });
    h.api.clock.advance(5_000);
    const res = await h.client.patch(`/agents/${agent.id}`, { name: "after", max_tokens: 100 });
    expect(res.status).toBe(200);
    const updated = expectSchema("Agent", res.json);
    expect(updated).toMatchObject({
      id: agent.id,
      name: "after",
      max_tokens: 100,
      description: "keep me",
      temperature: 0.3,
    });
    expect(updated.created_at).toBe(agent.created_at);
    expect(Date.parse(updated.updated_at)).toBeGreaterThan(Date.parse(agent.updated_at));
    expect((await h.client.get(`/agents/${agent.id}`)).json).toEqual(updated);
  });

  test("PATCH can set nullable fields back to null", async () => {
    const agent = await createAgent(h.client, "n", { description: "x", max_tokens: 10 });
    const updated = (await h.client.patch(`/agents/${agent.id}`, { description: null, max_tokens: null })).json;
    expect(updated).toMatchObject({ description: null, max_tokens: null });
  });

  test.runIf(atLeast("1.2"))("1.2: version is 1 on create and +1 on every update", async () => {
    const agent = await createAgent(h.client, "v");
    expect(agent.version).toBe(1);
    const second = (await h.client.patch(`/agents/${agent.id}`, { name: "v2" })).json;
    expect(second.version).toBe(2);
    const third = (await h.client.patch(`/agents/${agent.id}`, { memory_enabled: true })).json;
    expect(third.version).toBe(3);
    expect((await h.client.get(`/agents/${agent.id}`)).json.version).toBe(3);
    // a refused update does not count
    expect((await h.client.patch(`/agents/${agent.id}`, { temperature: 9 })).status).toBe(422);
    expect((await h.client.get(`/agents/${agent.id}`)).json.version).toBe(3);
  });

  test("DELETE answers 204 with no body; then 404 and gone from the list", async () => {
    const agent = await createAgent(h.client, "doomed");
    const keep = await createAgent(h.client, "keep");
    await expectDeleted(h.client, `/agents/${agent.id}`, "agent_not_found");
    expectError(await h.client.del(`/agents/${agent.id}`), 404, "agent_not_found");
    expect((await h.client.get("/agents")).json.data.map((a: { id: string }) => a.id)).toEqual([keep.id]);
  });

  test("?status= filters", async () => {
    const active = await createAgent(h.client, "on");
    const archived = await createAgent(h.client, "off", { status: "archived" });
    expect((await h.client.get("/agents?status=archived")).json.data.map((a: { id: string }) => a.id)).toEqual([
      archived.id,
    ]);
    expect((await h.client.get("/agents?status=active")).json.data.map((a: { id: string }) => a.id)).toEqual([
      active.id,
    ]);
  });

  test("a malformed id: 404 or 422, never 500", async () => {
    const res = await h.client.get("/agents/not-a-uuid", { anyErrorForm: true });
    expect([400, 404, 422]).toContain(res.status);
  });

  test.runIf(atLeast("1.1"))("1.1+: tool_ids must name existing tools", async () => {
    expectInvalid(await h.client.post("/agents", { name: "t", tool_ids: [missingId()] }), ["tool_ids"]);
    const tool = await h.client.create("/tools", { name: "search", endpoint: "https://tools.example.com/search" });
    const agent = await createAgent(h.client, "t", { tool_ids: [tool.id] });
    expect(agent.tool_ids).toEqual([tool.id]);
    expectInvalid(await h.client.patch(`/agents/${agent.id}`, { tool_ids: [tool.id, missingId()] }), ["tool_ids"]);
    expect((await h.client.get(`/agents/${agent.id}`)).json.tool_ids).toEqual([tool.id]);
  });

  test.runIf(version === "1.0")("1.0: a seeded account's agents answer with 1.0 fields only", async () => {
    h.api.seed({ agents: 3, tools: 2 } as Parameters<typeof h.api.seed>[0]);
    const list = expectSchema("AgentList", (await h.client.get("/agents")).json);
    expect(list.data).toHaveLength(3);
    for (const agent of list.data) {
      expect(agent).not.toHaveProperty("tool_ids");
      expect(agent).not.toHaveProperty("version");
    }
  });
});
