/**
 * Ids in another format (docs/protocol.md section 8: "every id is a string,
 * and a client never needs more"): against a server whose ids are not UUIDs
 * (`agt_01HZX3K1`...), every request that names an object by id is sent with
 * that id, in its path, query or body, and nothing is refused before sending.
 *
 * The server is the mock behind a fetch that plays a later server: each UUID
 * the mock answers becomes an id of another format (by its kind: `agt_`,
 * `tool_`, `team_`...), and each such id a request carries is turned back
 * into the mock's UUID. What the SDK sent is recorded before that, as the
 * server would see it.
 */
import { describe, expect, test } from "vitest";
import { createMockApi, DEMO_API_KEY } from "@resonantgenesis/mock";
import { type ApiVersion, type Fetch, ResonantClient } from "@resonantgenesis/sdk";

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const PREFIX: Record<string, string> = {
  agent: "agt",
  tool: "tool",
  team: "team",
  session: "ses",
  step: "stp",
  memory: "mem",
  webhook: "whk",
  trigger: "trg",
};
const OTHER = new RegExp(`\\b(?:${[...Object.values(PREFIX), "obj"].join("|")})_01HZX3K[0-9A-Z]+\\b`, "g");

interface Sent {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

/** The mock, seen through ids of another format. */
function otherFormatServer() {
  const api = createMockApi({
    versionStates: { "1.0": "current", "1.1": "current", "1.2": "current" },
    stepDelayMs: 1,
  });
  const toOther = new Map<string, string>();
  const toUuid = new Map<string, string>();
  const name = (uuid: string, kind = "obj") => {
    let id = toOther.get(uuid.toLowerCase());
    if (id === undefined) {
      id = `${PREFIX[kind] ?? "obj"}_01HZX3K${(toOther.size + 1).toString(36).toUpperCase()}`;
      toOther.set(uuid.toLowerCase(), id);
      toUuid.set(id, uuid);
    }
    return id;
  };
  /** Names every object of an answer by its kind first, so its id and later references to it agree. */
  const register = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) register(item);
    else if (value !== null && typeof value === "object") {
      const { id, object } = value as { id?: unknown; object?: unknown };
      if (typeof id === "string" && typeof object === "string" && UUID.test(id)) name(id, object);
      UUID.lastIndex = 0;
      for (const field of Object.values(value)) register(field);
    }
  };
  const back = (text: string) => text.replace(OTHER, (id) => toUuid.get(id) ?? id);
  const sent: Sent[] = [];
  const fetch: Fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const text = request.method === "GET" || request.method === "HEAD" ? "" : await request.text();
    sent.push({
      method: request.method,
      path: url.pathname.replace(/^\/api\/v[\d.]+\//, ""),
      query: Object.fromEntries(url.searchParams),
      body: text === "" ? undefined : JSON.parse(text),
    });
    const inner = new URL(back(url.pathname), url);
    for (const [key, value] of url.searchParams) inner.searchParams.set(key, back(value));
    const headers = new Headers(request.headers);
    headers.delete("content-length");
    const response = await api.fetch(
      new Request(inner, { method: request.method, headers, body: text === "" ? undefined : back(text) }),
    );
    const answer = await response.text();
    const type = response.headers.get("content-type") ?? "";
    if (type.includes("json")) register(answer === "" ? null : JSON.parse(answer));
    else if (type.includes("event-stream"))
      for (const line of answer.split("\n")) if (line.startsWith("data:")) register(JSON.parse(line.slice(5)));
    const out = new Headers(response.headers);
    out.delete("content-length");
    const status = response.status;
    return new Response(status === 204 ? null : answer.replace(UUID, (uuid) => name(uuid)), { status, headers: out });
  };
  const client = <V extends ApiVersion>(apiVersion: V) =>
    new ResonantClient({ apiKey: DEMO_API_KEY, fetch, apiVersion, logLevel: "off", maxRetries: 0 });
  /** The request the SDK sent last to `method path`. */
  const last = (method: string, path: string): Sent => {
    const found = sent.findLast((s) => s.method === method && s.path === path);
    if (found === undefined) throw new Error(`no ${method} ${path} was sent`);
    return found;
  };
  return { api, client, sent, last };
}

/** An id as the server above answers it: of another format, never a UUID. */
function expectOther(id: string, prefix: string): void {
  expect(id).toMatch(new RegExp(`^${prefix}_01HZX3K[0-9A-Z]+$`));
  expect(id).not.toMatch(UUID);
}

describe.each(["1.0", "1.1", "1.2"] as const)("ids in another format on API %s", (version) => {
  test("sessions.create({ agent_id }) and sessions.list({ agent_id }) send the id as it came", async () => {
    const server = otherFormatServer();
    const client = server.client(version);
    const agent = await client.agents.create({ name: "a" });
    expectOther(agent.id, "agt");

    const session = await client.sessions.create({ agent_id: agent.id, goal: "say hello" });
    expect(server.last("POST", "sessions").body).toEqual({ agent_id: agent.id, goal: "say hello" });
    expect(session.agent_id).toBe(agent.id);
    expectOther(session.id, "ses");

    const page = await client.sessions.list({ agent_id: agent.id });
    expect(server.last("GET", "sessions").query).toEqual({ agent_id: agent.id });
    expect(page.data.map((s) => s.id)).toEqual([session.id]);

    // And by path, as before: get, steps, cancel.
    expect((await client.sessions.get(session.id)).id).toBe(session.id);
    expect(server.last("GET", `sessions/${session.id}`)).toBeDefined();
    await client.sessions.steps.list(session.id);
    await client.sessions.cancel(session.id);
  });
});

describe.each(["1.1", "1.2"] as const)("ids in another format on API %s", (version) => {
  test("agents.create and agents.update({ tool_ids }) send the tools' ids as they came", async () => {
    const server = otherFormatServer();
    const client = server.client(version);
    const tool = await client.tools.create({ name: "search", endpoint: "https://tools.example.com/search" });
    const other = await client.tools.create({ name: "fetch", endpoint: "https://tools.example.com/fetch" });
    expectOther(tool.id, "tool");

    const agent = await client.agents.create({ name: "a", tool_ids: [tool.id] });
    expect(server.last("POST", "agents").body).toEqual({ name: "a", tool_ids: [tool.id] });
    expectOther(agent.id, "agt");
    expect(agent.tool_ids).toEqual([tool.id]);

    const updated = await client.agents.update(agent.id, { tool_ids: [tool.id, other.id] });
    expect(server.last("PATCH", `agents/${agent.id}`).body).toEqual({ tool_ids: [tool.id, other.id] });
    expect(updated.tool_ids).toEqual([tool.id, other.id]);
  });

  test("sessions.stream({ agent_id }) sends the id as it came and runs to done", async () => {
    const server = otherFormatServer();
    const client = server.client(version);
    const agent = await client.agents.create({ name: "streamer" });
    const types: string[] = [];
    for await (const event of client.sessions.stream({ agent_id: agent.id, goal: "greet the world" }))
      types.push(event.type);
    expect(server.last("POST", "sessions").body).toEqual({ agent_id: agent.id, goal: "greet the world", stream: true });
    expect(types[0]).toBe("session");
    expect(types.at(-1)).toBe("done");
  });
});

describe("ids in another format on API 1.2", () => {
  test("teams, sessions of a team, memories, webhooks' filters and triggers send the ids as they came", async () => {
    const server = otherFormatServer();
    const client = server.client("1.2");
    const first = await client.agents.create({ name: "first" });
    const second = await client.agents.create({ name: "second" });

    const team = await client.teams.create({ name: "t", agent_ids: [first.id, second.id], lead_agent_id: second.id });
    expect(server.last("POST", "teams").body).toEqual({
      name: "t",
      agent_ids: [first.id, second.id],
      lead_agent_id: second.id,
    });
    expectOther(team.id, "team");
    expect(team).toMatchObject({ agent_ids: [first.id, second.id], lead_agent_id: second.id });
    const changed = await client.teams.update(team.id, { agent_ids: [second.id], lead_agent_id: second.id });
    expect(server.last("PATCH", `teams/${team.id}`).body).toEqual({ agent_ids: [second.id], lead_agent_id: second.id });
    expect(changed.agent_ids).toEqual([second.id]);

    const session = await client.sessions.create({ team_id: team.id, goal: "g" });
    expect(server.last("POST", "sessions").body).toEqual({ team_id: team.id, goal: "g" });
    expect(session).toMatchObject({ team_id: team.id, agent_id: second.id });
    const page = await client.sessions.list({ agent_id: second.id, team_id: team.id });
    expect(server.last("GET", "sessions").query).toEqual({ agent_id: second.id, team_id: team.id });
    expect(page.data.map((s) => s.id)).toEqual([session.id]);

    const memory = await client.memories.create({ content: "the sky is blue", agent_id: first.id });
    expect(server.last("POST", "memories").body).toEqual({ content: "the sky is blue", agent_id: first.id });
    expectOther(memory.id, "mem");
    expect(memory.agent_id).toBe(first.id);
    const listed = await client.memories.list({ agent_id: first.id });
    expect(server.last("GET", "memories").query).toEqual({ agent_id: first.id });
    expect(listed.data.map((m) => m.id)).toEqual([memory.id]);
    const hits = await client.memories.search({ query: "sky", agent_id: first.id });
    expect(server.last("POST", "memories/search").body).toEqual({ query: "sky", agent_id: first.id });
    expect(hits.data.map((h) => h.memory.id)).toEqual([memory.id]);

    const webhook = await client.webhooks.create({
      url: "https://hooks.example.com/in",
      events: ["session.completed"],
      filters: { agent_ids: [first.id] },
    });
    expect(server.last("POST", "webhooks").body).toMatchObject({ filters: { agent_ids: [first.id] } });
    expect(webhook.filters.agent_ids).toEqual([first.id]);
    await client.webhooks.update(webhook.id, { filters: { agent_ids: [first.id, second.id] } });
    expect(server.last("PATCH", `webhooks/${webhook.id}`).body).toEqual({
      filters: { agent_ids: [first.id, second.id] },
    });

    const trigger = await client.triggers.create(first.id, { name: "on call", goal_template: "do {x}" });
    expect(server.last("POST", `agents/${first.id}/triggers`).body).toEqual({
      name: "on call",
      goal_template: "do {x}",
    });
    expect(trigger.agent_id).toBe(first.id);
    expect((await client.triggers.list(first.id)).data.map((t) => t.id)).toEqual([trigger.id]);

    // Every id the SDK sent, anywhere in a request, was one the server gave: none was a UUID.
    expect(JSON.stringify(server.sent)).not.toMatch(UUID);
  });

  test("sessions.stream({ team_id }) sends the id as it came", async () => {
    const server = otherFormatServer();
    const client = server.client("1.2");
    const agent = await client.agents.create({ name: "lead" });
    const team = await client.teams.create({ name: "t", agent_ids: [agent.id] });
    const types: string[] = [];
    for await (const event of client.sessions.stream({ team_id: team.id, goal: "g" })) types.push(event.type);
    expect(server.last("POST", "sessions").body).toEqual({ team_id: team.id, goal: "g", stream: true });
    expect(types.at(-1)).toBe("done");
  });

  test("an empty id is still refused before sending, and so is an unknown field beside a good one", async () => {
    const server = otherFormatServer();
    const client = server.client("1.2");
    const agent = await client.agents.create({ name: "a" });
    const before = server.sent.length;
    await expect(client.sessions.create({ agent_id: "", goal: "g" })).rejects.toMatchObject({
      name: "RequestValidationError",
    });
    await expect(
      client.memories.create({ content: "c", agent_id: agent.id, colour: "red" } as never),
    ).rejects.toMatchObject({ name: "RequestValidationError" });
    await expect(client.sessions.list({ agent_id: 42 as never })).rejects.toMatchObject({
      name: "RequestValidationError",
    });
    expect(server.sent.length).toBe(before);
  });
});
