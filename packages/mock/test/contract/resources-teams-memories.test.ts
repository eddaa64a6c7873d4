// docs/protocol.md section 5, 1.2: agent teams and the memory system (search
// answers hits with falling scores). Before 1.2 neither exists.
import { describe, expect, test } from "vitest";
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

describe.runIf(!atLeast("1.2"))("before 1.2", () => {
  test("no /teams, no /memories", async () => {
    expectError(await h.client.get("/teams"), 404);
    expectError(await h.client.post("/memories", { content: "x" }), 404);
    expectError(await h.client.post("/memories/search", { query: "x" }), 404);
  });
});

describe.runIf(atLeast("1.2"))("teams", () => {
  test("create, get, list, update, delete", async () => {
    const a = await createAgent(h.client, "a");
    const b = await createAgent(h.client, "b");
    const res = await h.client.post("/teams", {
      name: "crew",
      agent_ids: [a.id, b.id],
      lead_agent_id: a.id,
      coordination_mode: "hierarchical",
    });
    expect(res.status).toBe(201);
    const team = expectSchema("Team", res.json);
    expect(team).toMatchObject({
      object: "team",
      name: "crew",
      description: null,
      agent_ids: [a.id, b.id],
      lead_agent_id: a.id,
      coordination_mode: "hierarchical",
    });
    expect((await h.client.get(`/teams/${team.id}`)).json).toEqual(team);
    expect(expectSchema("TeamList", (await h.client.get("/teams")).json).data).toEqual([team]);
    h.api.clock.advance(1000);
    const updated = expectSchema(
      "Team",
      (await h.client.patch(`/teams/${team.id}`, { agent_ids: [b.id], lead_agent_id: b.id, description: "smaller" }))
        .json,
    );
    expect(updated).toMatchObject({
      agent_ids: [b.id],
      lead_agent_id: b.id,
      description: "smaller",
      name: "crew",
      coordination_mode: "hierarchical",
    });
    expect(Date.parse(updated.updated_at)).toBeGreaterThan(Date.parse(team.updated_at));
    const del = await h.client.del(`/teams/${team.id}`);
    expect(del.status).toBe(204);
    expectError(await h.client.get(`/teams/${team.id}`), 404, "team_not_found");
  });

  // Section 5: `updated_at` is when an object last changed; a team that loses a deleted member has changed.
  test("deleting a member updates the team: agent_ids, lead, updated_at, team.updated", async () => {
    const [a, b] = [await createAgent(h.client, "a"), await createAgent(h.client, "b")];
    const team = await h.client.create("/teams", { name: "pair", agent_ids: [a.id, b.id], lead_agent_id: b.id });
    const hook = await h.client.create("/webhooks", { url: "https://hooks.example.com/t", events: ["team.updated"] });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await h.client.del(`/agents/${b.id}`)).status).toBe(204);
    const after = expectSchema("Team", (await h.client.get(`/teams/${team.id}`)).json);
    expect(after).toMatchObject({ agent_ids: [a.id], lead_agent_id: null });
    expect(Date.parse(after.updated_at)).toBeGreaterThan(Date.parse(team.updated_at));
    const sent = (await h.api.flushDeliveries()).filter((d) => d.webhookId === hook.id);
    expect(sent.map((d) => [d.event.type, (d.event.data as { id: string }).id])).toEqual([["team.updated", team.id]]);
  });

  test("defaults: no lead, a coordination mode of the enum", async () => {
    const a = await createAgent(h.client, "a");
    const team = await h.client.create("/teams", { name: "t", agent_ids: [a.id] });
    expect(team.lead_agent_id).toBeNull();
    expect(["sequential", "parallel", "hierarchical"]).toContain(team.coordination_mode);
  });

  test("refused: no agents, over 20, a lead outside the team, an unknown agent, a bad mode", async () => {
    const a = await createAgent(h.client, "a");
    const b = await createAgent(h.client, "b");
    expectInvalid(await h.client.post("/teams", { name: "t", agent_ids: [] }), ["agent_ids"]);
    expectInvalid(await h.client.post("/teams", { name: "t", agent_ids: Array.from({ length: 21 }, () => a.id) }), [
      "agent_ids",
    ]);
    expectInvalid(await h.client.post("/teams", { name: "t", agent_ids: [a.id], lead_agent_id: b.id }), [
      "lead_agent_id",
    ]);
    expectInvalid(await h.client.post("/teams", { name: "t", agent_ids: [a.id], coordination_mode: "chaotic" }), [
      "coordination_mode",
    ]);
    const unknown = await h.client.post("/teams", { name: "t", agent_ids: [a.id, missingId()] });
    expect([404, 422]).toContain(unknown.status);
    expect((await h.client.get("/teams")).json.data).toHaveLength(0);
  });
});

describe.runIf(atLeast("1.2"))("memories", () => {
  test("create with defaults, get, list, delete", async () => {
    const res = await h.client.post("/memories", { content: "the deploy key rotates monthly" });
    expect(res.status).toBe(201);
    const memory = expectSchema("Memory", res.json);
    expect(memory).toMatchObject({
      object: "memory",
      content: "the deploy key rotates monthly",
      agent_id: null,
      tags: [],
      importance: 0.5,
      metadata: {},
    });
    expect((await h.client.get(`/memories/${memory.id}`)).json).toEqual(memory);
    expect(expectSchema("MemoryList", (await h.client.get("/memories")).json).data).toEqual([memory]);
    await expectDeleted(h.client, `/memories/${memory.id}`, "memory_not_found");
  });

  test("list filters by agent_id and tag", async () => {
    const agent = await createAgent(h.client);
    const m1 = await h.client.create("/memories", { content: "one", agent_id: agent.id, tags: ["ops"] });
    const m2 = await h.client.create("/memories", { content: "two", tags: ["ops", "db"] });
    await h.client.create("/memories", { content: "three", tags: ["db"] });
    expect((await h.client.listAll(`/memories?agent_id=${agent.id}`)).map((m) => m.id)).toEqual([m1.id]);
    expect((await h.client.listAll("/memories?tag=ops")).map((m) => m.id)).toEqual([m1.id, m2.id]);
  });

  test("refused: empty or 8001-char content, importance over 1, unknown agent", async () => {
    expectInvalid(await h.client.post("/memories", { content: "" }), ["content"]);
    expectInvalid(await h.client.post("/memories", { content: "x".repeat(8001) }), ["content"]);
    expect((await h.client.post("/memories", { content: "x".repeat(8000) })).status).toBe(201);
    expectInvalid(await h.client.post("/memories", { content: "x", importance: 1.5 }), ["importance"]);
    const unknown = await h.client.post("/memories", { content: "x", agent_id: missingId() });
    expect([404, 422]).toContain(unknown.status);
  });

  test("search: hits with scores falling; the matching memory first; limit and min_score hold", async () => {
    const contents = [
      "the cat sat on the mat",
      "postgres connection pool exhausted during deploy",
      "deploy pipeline uses blue green strategy",
      "lunch is at noon",
      "postgres deploy checklist: migrate, then deploy",
      "weather is sunny",
    ];
    for (const content of contents) await h.client.create("/memories", { content });
    const res = await h.client.post("/memories/search", { query: "postgres deploy" });
    expect(res.status).toBe(200);
    const result = expectSchema("MemorySearchResult", res.json);
    const hits = result.data as Json[];
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.length).toBeLessThanOrEqual(10);
    const scores = hits.map((hit) => hit.score);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
    // a memory holding both words beats one holding neither
    const rank = (text: string) => hits.findIndex((hit) => hit.memory.content === text);
    const both = Math.min(rank(contents[1]!), rank(contents[4]!));
    expect(both).toBeGreaterThanOrEqual(0);
    const neither = rank("weather is sunny");
    if (neither !== -1) expect(both).toBeLessThan(neither);

    const limited = await h.client.post("/memories/search", { query: "postgres deploy", limit: 2 });
    expect(limited.json.data.length).toBeLessThanOrEqual(2);
    expect(limited.json.data.map((x: Json) => x.memory.id)).toEqual(
      hits.slice(0, limited.json.data.length).map((x) => x.memory.id),
    );
    const min = scores[1] ?? scores[0];
    const filtered = await h.client.post("/memories/search", { query: "postgres deploy", min_score: min });
    for (const hit of filtered.json.data) expect(hit.score).toBeGreaterThanOrEqual(min);
    expect(filtered.json.data.length).toBeLessThanOrEqual(hits.filter((x) => x.score >= min).length);
  });

  test("search answers at most 10 hits by default", async () => {
    for (let i = 0; i < 12; i++)
      await h.client.create("/memories", { content: `incident ${i}: the incident runbook says restart` });
    const res = await h.client.post("/memories/search", { query: "incident runbook" });
    expect(res.json.data).toHaveLength(10);
    const all = await h.client.post("/memories/search", { query: "incident runbook", limit: 12 });
    expect(all.json.data).toHaveLength(12);
  });

  test("search by agent_id sees only that agent's memories", async () => {
    const agent = await createAgent(h.client);
    const mine = await h.client.create("/memories", { content: "deploy on fridays is banned", agent_id: agent.id });
    await h.client.create("/memories", { content: "deploy on fridays is fine" });
    const res = await h.client.post("/memories/search", { query: "deploy fridays", agent_id: agent.id });
    expect(res.json.data.map((x: Json) => x.memory.id)).toEqual([mine.id]);
  });

  test("search refused: no query, unknown field", async () => {
    expectInvalid(await h.client.post("/memories/search", {}), ["query"]);
    expectInvalid(await h.client.post("/memories/search", { query: "x", fuzzy: true }), ["fuzzy"]);
  });
});
