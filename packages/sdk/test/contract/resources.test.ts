import { describe, expect, test } from "vitest";
import { DEMO_API_KEY } from "@resonantgenesis/mock";
import { schemas } from "@resonantgenesis/schemas";
import { NotFoundError, RequestValidationError, UnsupportedFeatureError } from "@resonantgenesis/sdk";
import { atLeast, BASE_URL, useMock, version } from "./harness.js";

const mock = useMock();
const v = schemas[version];
const keysOf = (schema: { shape: object }) => Object.keys(schema.shape).sort();

describe(`agents (API ${version})`, () => {
  test("create, get, update, list, delete: each answer has exactly this version's fields", async () => {
    const client = mock.client();
    const created = await client.agents.create({ name: "triage", model: "gpt-4-turbo", system_prompt: "Sort" });
    expect(Object.keys(created).sort()).toEqual(keysOf(v.Agent));
    expect(created).toMatchObject({ object: "agent", name: "triage", status: "active" });

    const fetched = await client.agents.get(created.id);
    expect(fetched).toEqual(created);

    const updated = await client.agents.update(created.id, { name: "triage-2" });
    expect(updated.name).toBe("triage-2");
    if (atLeast("1.2")) expect((updated as { version: number }).version).toBe(2);

    const page = await client.agents.list({ limit: 100 });
    expect(page.data.map((a) => a.id)).toContain(created.id);

    await client.agents.delete(created.id);
    await expect(client.agents.get(created.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  test("bad input is refused before anything is sent, naming every bad path", async () => {
    const client = mock.client();
    const before = mock.sent.length;
    const error = await Promise.resolve()
      .then(() => client.agents.create({ name: "", temperature: 5 } as never))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).issues.map((i) => i.path)).toEqual(["body.name", "body.temperature"]);
    expect(mock.sent.length).toBe(before);
  });

  test("an id cannot change the route: it is one encoded path segment", async () => {
    const client = mock.client();
    const agent = await client.agents.create({ name: "kept" });
    for (const id of [`../agents/${agent.id}`, `${agent.id}/../${agent.id}`, `${agent.id}?x=1`, `a/b`, `#`]) {
      await expect(client.agents.get(id)).rejects.toBeInstanceOf(NotFoundError);
    }
    const urls = mock.sent.filter((r) => r.method === "GET").map((r) => new URL(r.url).pathname);
    expect(urls).toHaveLength(5);
    expect(urls.every((p) => p.split("/").length === (p.includes("/v1.") ? 5 : 4))).toBe(true);
    expect(() => client.agents.get("..")).toThrow(RequestValidationError);
  });
});

describe(`sessions, steps and webhooks (API ${version})`, () => {
  test("a session runs, its steps list, it can be cancelled and deleted", async () => {
    const client = mock.client();
    const agent = await client.agents.create({ name: "runner" });
    const session = await client.sessions.create({ agent_id: agent.id, goal: "greet" });
    expect(Object.keys(session).sort()).toEqual(keysOf(v.Session));
    expect(session.status).toBe("running");
    const cancelled = await client.sessions.cancel(session.id);
    expect(cancelled.status).toBe("cancelled");
    const steps = await client.sessions.steps.list(session.id);
    for (const step of steps.data) expect(step.session_id).toBe(session.id);
    const mine = await client.sessions.list({ agent_id: agent.id });
    expect(mine.data.map((s) => s.id)).toEqual([session.id]);
    await client.sessions.delete(session.id);
    await expect(client.sessions.get(session.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  test("a session's create body is docs/protocol.md's {agent_id, goal, context?, max_steps?}: metadata is refused", async () => {
    const client = mock.client();
    const agent = await client.agents.create({ name: "runner" });
    const body = { agent_id: agent.id, goal: "greet", metadata: { ticket: "42" } };
    const before = mock.sent.length;
    const error = await Promise.resolve()
      .then(() => client.sessions.create(body as never))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).message).toMatch(/body: .*metadata/);
    expect(mock.sent.length).toBe(before);
    // The mock, as the server does with an unknown field in a request body (section 5): 422.
    const raw = await fetch(`${BASE_URL}/v${version}/sessions`, {
      method: "POST",
      headers: { authorization: `Bearer ${DEMO_API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(raw.status).toBe(422);
  });

  test("a webhook's secret comes with the create answer only", async () => {
    const client = mock.client();
    const hook = await client.webhooks.create({ url: "https://example.com/hook", events: ["agent.created"] });
    expect(hook.secret).toMatch(/^whsec_/);
    const fetched = await client.webhooks.get(hook.id);
    expect(fetched).not.toHaveProperty("secret");
    expect((await client.webhooks.update(hook.id, { active: false })).active).toBe(false);
    await client.webhooks.delete(hook.id);
  });
});

describe.runIf(atLeast("1.1"))(`tools (API ${version})`, () => {
  test("CRUD, headers masked, names unique", async () => {
    const client = mock.client();
    const tool = await client.tools.create({
      name: `search_${version.replace(".", "")}`,
      endpoint: "https://tools.example.com/s",
      headers: { "x-token": "t0p" },
    });
    expect(tool.headers).toEqual({ "x-token": "***" });
    await expect(
      client.tools.create({ name: tool.name, endpoint: "https://tools.example.com/s" }),
    ).rejects.toMatchObject({ status: 409 });
    const agent = await client.agents.create({ name: "tooled", tool_ids: [tool.id] });
    expect(agent.tool_ids).toEqual([tool.id]);
    expect((await client.tools.update(tool.id, { method: "GET" })).method).toBe("GET");
    await client.tools.delete(tool.id);
  });
});

describe.runIf(atLeast("1.2"))("teams, memories, triggers (API 1.2)", () => {
  test("teams", async () => {
    const client = mock.client();
    const a = await client.agents.create({ name: "a" });
    const team = await client.teams.create({
      name: "t",
      agent_ids: [a.id],
      lead_agent_id: a.id,
      coordination_mode: "parallel",
    });
    expect((await client.teams.get(team.id)).agent_ids).toEqual([a.id]);
    expect((await client.teams.update(team.id, { name: "t2" })).name).toBe("t2");
    const session = await client.sessions.create({ team_id: team.id, goal: "together" });
    expect(session.team_id).toBe(team.id);
    await client.teams.delete(team.id);
  });

  test("memories and search, best first", async () => {
    const client = mock.client();
    await client.memories.create({ content: "the customer prefers email", tags: ["crm"] });
    await client.memories.create({ content: "unrelated note about the weather" });
    const hits = await client.memories.search({ query: "customer email" });
    expect(hits.data[0]?.memory.content).toBe("the customer prefers email");
    const scores = hits.data.map((h) => h.score);
    expect([...scores].sort((x, y) => y - x)).toEqual(scores);
    const tagged = await client.memories.list({ tag: "crm" });
    expect(tagged.data.every((m) => m.tags.includes("crm"))).toBe(true);
  });

  test("triggers: create with secret, pause, resume", async () => {
    const client = mock.client();
    const agent = await client.agents.create({ name: "triggered" });
    const trigger = await client.triggers.create(agent.id, { name: "ticket", goal_template: "Triage {id}" });
    expect(trigger.secret).toMatch(/^whsec_/);
    expect((await client.triggers.pause(trigger.id)).status).toBe("paused");
    expect((await client.triggers.resume(trigger.id)).status).toBe("active");
    expect((await client.triggers.list(agent.id)).data.map((t) => t.id)).toEqual([trigger.id]);
    expect(await client.triggers.get(trigger.id)).not.toHaveProperty("secret");
  });
});

describe("resources of later versions", () => {
  test.runIf(!atLeast("1.2"))("throw UnsupportedFeatureError naming the version that has them", () => {
    const client = mock.client();
    expect(() => client.teams).toThrow(UnsupportedFeatureError);
    expect(() => client.memories).toThrow(/memories needs API version 1\.2; this client is pinned to 1\.[01]/);
    if (!atLeast("1.1")) {
      expect(() => client.tools).toThrow(/tools needs API version 1\.1/);
      expect(() => client.sessions.stream({ agent_id: "x", goal: "g" })).toThrow(UnsupportedFeatureError);
    }
  });
});
