// docs/protocol.md section 8: a later 1.x server may answer ids in another format, so a client may send
// one back. The mock's own ids stay UUIDs; an id of another format names nothing it holds, and is
// answered as any unknown id is (404 or 422 naming the field, an empty page for a list filter), never
// refused for its format alone, never a 500.
import { describe, expect, test } from "vitest";
import { atLeast, createAgent, expectError, expectInvalid, expectSchema, useServer } from "./harness.js";

const h = useServer();
const ID = "agt_01HZX3K8";

describe("an id of another format in a request", () => {
  test("the mock's own ids are UUIDs", async () => {
    expect((await createAgent(h.client)).id).toMatch(/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/);
  });

  test("POST /sessions with it as agent_id: 404 agent_not_found (422 on the FastAPI form), nothing created", async () => {
    const res = await h.client.post("/sessions", { agent_id: ID, goal: "g" });
    if (atLeast("1.2")) expectError(res, 404, "agent_not_found");
    else expect([404, 422]).toContain(res.status);
    expect((await h.client.get("/sessions")).json.data).toHaveLength(0);
  });

  test("GET /sessions?agent_id= with it: an empty page", async () => {
    await h.client.create("/sessions", { agent_id: (await createAgent(h.client)).id, goal: "g" });
    const res = await h.client.get(`/sessions?agent_id=${ID}`);
    expect(res.status).toBe(200);
    expect(expectSchema("SessionList", res.json).data).toEqual([]);
  });

  test.runIf(atLeast("1.1"))("tool_ids with it: 422 naming tool_ids, on create and on update", async () => {
    expectInvalid(await h.client.post("/agents", { name: "a", tool_ids: ["tool_01HZX3K9"] }), ["tool_ids"]);
    const agent = await createAgent(h.client);
    expectInvalid(await h.client.patch(`/agents/${agent.id}`, { tool_ids: ["tool_01HZX3K9"] }), ["tool_ids"]);
  });

  test.runIf(atLeast("1.2"))("1.2: teams, team sessions, memories, their search and webhooks' filters", async () => {
    const agent = await createAgent(h.client);
    expectInvalid(await h.client.post("/teams", { name: "t", agent_ids: [agent.id, ID] }), ["agent_ids"]);
    expectInvalid(await h.client.post("/teams", { name: "t", agent_ids: [agent.id], lead_agent_id: ID }), [
      "lead_agent_id",
    ]);
    expectError(await h.client.post("/sessions", { team_id: "team_01HZX3KA", goal: "g" }), 404, "team_not_found");
    expect((await h.client.get("/sessions?team_id=team_01HZX3KA")).json.data).toEqual([]);
    expectError(await h.client.post("/memories", { content: "c", agent_id: ID }), 404, "agent_not_found");
    await h.client.create("/memories", { content: "the sky", agent_id: agent.id });
    expect((await h.client.get(`/memories?agent_id=${ID}`)).json.data).toEqual([]);
    const search = await h.client.post("/memories/search", { query: "sky", agent_id: ID });
    expect(search.status).toBe(200);
    expect(search.json.data).toEqual([]);
    // A filter names the agents whose events are delivered; one that names no agent of the account hears nothing.
    const webhook = await h.client.create("/webhooks", {
      url: "https://hooks.example.com/in",
      events: ["agent.created"],
      filters: { agent_ids: [ID] },
    });
    expect(webhook.filters).toEqual({ agent_ids: [ID] });
  });

  test("an empty id is still refused: 422 naming the field (400 for a query parameter)", async () => {
    expectInvalid(await h.client.post("/sessions", { agent_id: "", goal: "g" }), ["agent_id"]);
    expect((await h.client.get("/sessions?agent_id=")).status).toBe(400);
  });
});
