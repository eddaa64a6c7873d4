import { describe, expect, test } from "vitest";
import { answer } from "./fixtures.js";
import { AGENT, MODES, SESSION, TEAM, TEAM_SESSION, TOOL, TRIGGER, WEBHOOK, goldenClient } from "./golden-api.js";

// Each resource's answer as docs/protocol.md section 5 writes it, read by the SDK's public calls.
describe.each(MODES)("section 5 objects, %s", (mode) => {
  test.each(["1.0", "1.1", "1.2"] as const)("agents.get reads the %s agent as written", async (version) => {
    const { client } = goldenClient(version, mode);
    const fixture = answer(`agent-${version}.json`);
    const agent = await client.agents.get(AGENT);
    expect(agent).toEqual(fixture);
    expect(agent.name).toBe("triage");
  });

  test("agents.list walks both pages, following the cursor to the null one", async () => {
    const { client, requests } = goldenClient("1.2", mode);
    const [first, last] = [answer("agent-list-page-1.json"), answer("agent-list-page-2.json")];
    const page = await client.agents.list();
    expect(page.data).toEqual(first.data);
    expect(page.hasMore).toBe(true);
    expect(page.nextCursor).toBe(first.next_cursor);
    const all = [];
    for await (const agent of client.agents.list()) all.push(agent);
    expect(all).toEqual([...first.data, ...last.data]);
    expect(new URL(requests.at(-1)!.url).searchParams.get("cursor")).toBe(first.next_cursor);
  });

  test("sessions.get reads a 1.0 session", async () => {
    const { client } = goldenClient("1.0", mode);
    expect(await client.sessions.get(SESSION)).toEqual(answer("session-1.0.json"));
  });

  // The protocol never promises team_id on a session not started for a team: if the SDK
  // required it again (issue 9), strict mode would refuse this answer and this test fail.
  test("sessions.get reads a 1.2 session that has no team_id", async () => {
    const { client } = goldenClient("1.2", mode);
    const fixture = answer("session-1.2.json");
    expect(fixture).not.toHaveProperty("team_id");
    const session = await client.sessions.get(SESSION);
    expect(session).toEqual(fixture);
    expect(session.team_id).toBeUndefined();
  });

  test("sessions.get reads a 1.2 session started for a team", async () => {
    const { client } = goldenClient("1.2", mode);
    const session = await client.sessions.get(TEAM_SESSION);
    expect(session).toEqual(answer("session-1.2-team.json"));
    expect(session.team_id).toBe(TEAM);
  });

  test.each(["1.0", "1.2"] as const)("sessions.steps.list reads the steps (%s)", async (version) => {
    const { client } = goldenClient(version, mode);
    const fixture = answer("step-list.json");
    const page = await client.sessions.steps.list(SESSION);
    expect(page.data).toEqual(fixture.data);
    expect(page.data.map((s) => s.action)).toEqual(["think", "tool_call"]);
    expect(page.hasMore).toBe(false);
    expect(page.nextCursor).toBeNull();
  });

  test.each(["1.0", "1.2"] as const)(
    "webhooks.get and create read the %s webhook, the secret only on create",
    async (version) => {
      const { client } = goldenClient(version, mode);
      expect(await client.webhooks.get(WEBHOOK)).toEqual(answer(`webhook-${version}.json`));
      const fixture = answer(`webhook-${version}-create.json`);
      const created = await client.webhooks.create({ url: fixture.url, events: fixture.events });
      expect(created).toEqual(fixture);
      expect(created.secret).toBe("whsec_test_5f3c1b");
    },
  );

  test("a 1.2 webhook keeps its description and filters", async () => {
    const { client } = goldenClient("1.2", mode);
    const webhook = await client.webhooks.get(WEBHOOK);
    expect(webhook.description).toBe("Session results to the CRM");
    expect(webhook.filters).toEqual({ agent_ids: [AGENT], metadata: { team: "support" } });
  });

  test.each(["1.1", "1.2"] as const)("tools.get reads a tool whose headers are masked (%s)", async (version) => {
    const { client } = goldenClient(version, mode);
    const tool = await client.tools.get(TOOL);
    expect(tool).toEqual(answer("tool-1.1.json"));
    expect(tool.headers).toEqual({ Authorization: "***", "X-Tenant": "***" });
  });

  test("teams.get reads a team", async () => {
    const { client } = goldenClient("1.2", mode);
    expect(await client.teams.get(TEAM)).toEqual(answer("team.json"));
  });

  test("memories.search reads hits as {memory, score}, best first", async () => {
    const { client } = goldenClient("1.2", mode);
    const fixture = answer("memory-search.json");
    const result = await client.memories.search({ query: "email" });
    expect(result.data).toEqual(fixture.data);
    expect(result.data.map((hit) => hit.score)).toEqual([0.87, 0.41]);
    expect(result.data[0]!.memory).toEqual(answer("memory.json"));
  });

  test("triggers.get and create, the secret only on create", async () => {
    const { client } = goldenClient("1.2", mode);
    expect(await client.triggers.get(TRIGGER)).toEqual(answer("trigger.json"));
    const fixture = answer("trigger-create.json");
    const created = await client.triggers.create(AGENT, { name: fixture.name, goal_template: fixture.goal_template });
    expect(created).toEqual(fixture);
    expect(created.secret).toBe("whsec_trg_7a1d44");
  });
});
