import { expect, test } from "vitest";
import { type ApiVersion, RequestValidationError, ResonantClient } from "@resonantgenesis/sdk";
import { answer } from "./fixtures.js";
import { AGENT, SESSION, TEAM, TOOL, TRIGGER, WEBHOOK } from "./golden-api.js";

// Every call of docs/sdk.md's resource table and the request it makes, as docs/protocol.md sections 5 and 6
// write the route: method, path and query. The mock's routes come from the same kinds table as the SDK's,
// so only a route written out here can tell a path both got wrong.
const MEMORY = "2d6c8ed0-f179-45c6-a38b-ca7e60d19f5c";
type C = ResonantClient<"1.2">;
const first = async (items: AsyncIterable<unknown>) => {
  for await (const _ of items) return;
};
const agentBody = { name: "triage", model: "gpt-4-turbo" };
const toolBody = { name: "search", description: "d", parameters: {}, endpoint: "https://t.example", method: "GET" };
const ROUTES: [string, ApiVersion, (c: C) => unknown][] = [
  ["GET /agents", "1.0", (c) => c.agents.list()],
  ["GET /agents?status=archived", "1.0", (c) => c.agents.list({ status: "archived" })],
  [`GET /agents/${AGENT}`, "1.0", (c) => c.agents.get(AGENT)],
  ["POST /agents", "1.0", (c) => c.agents.create(agentBody)],
  [`PATCH /agents/${AGENT}`, "1.0", (c) => c.agents.update(AGENT, { name: "n" })],
  [`DELETE /agents/${AGENT}`, "1.0", (c) => c.agents.delete(AGENT)],
  ["GET /agents/export", "1.0", (c) => first(c.agents.export())],
  ["POST /agents/import", "1.0", (c) => c.agents.import({ agents: [] })],
  [
    `GET /sessions?agent_id=${AGENT}&status=running`,
    "1.0",
    (c) => c.sessions.list({ agent_id: AGENT, status: "running" }),
  ],
  [`GET /sessions/${SESSION}`, "1.0", (c) => c.sessions.get(SESSION)],
  ["POST /sessions", "1.0", (c) => c.sessions.create({ agent_id: AGENT, goal: "g" })],
  [`POST /sessions/${SESSION}/cancel`, "1.0", (c) => c.sessions.cancel(SESSION)],
  [`DELETE /sessions/${SESSION}`, "1.0", (c) => c.sessions.delete(SESSION)],
  ["GET /sessions/export", "1.0", (c) => first(c.sessions.export())],
  [`GET /sessions/${SESSION}/steps`, "1.0", (c) => c.sessions.steps.list(SESSION)],
  [`GET /sessions/${SESSION}/stream`, "1.1", (c) => first(c.sessions.follow(SESSION))],
  ["POST /sessions/import", "1.2", (c) => c.sessions.import({ sessions: [] })],
  ["GET /webhooks", "1.0", (c) => c.webhooks.list()],
  [`GET /webhooks/${WEBHOOK}`, "1.0", (c) => c.webhooks.get(WEBHOOK)],
  ["POST /webhooks", "1.0", (c) => c.webhooks.create({ url: "https://h.example", events: ["agent.created"] })],
  [`PATCH /webhooks/${WEBHOOK}`, "1.0", (c) => c.webhooks.update(WEBHOOK, { active: false })],
  [`DELETE /webhooks/${WEBHOOK}`, "1.0", (c) => c.webhooks.delete(WEBHOOK)],
  ["GET /webhooks/export", "1.2", (c) => first(c.webhooks.export())],
  ["POST /webhooks/import", "1.2", (c) => c.webhooks.import({ webhooks: [] })],
  ["GET /tools", "1.1", (c) => c.tools.list()],
  [`GET /tools/${TOOL}`, "1.1", (c) => c.tools.get(TOOL)],
  ["POST /tools", "1.1", (c) => c.tools.create(toolBody as never)],
  [`PATCH /tools/${TOOL}`, "1.1", (c) => c.tools.update(TOOL, { description: "e" })],
  [`DELETE /tools/${TOOL}`, "1.1", (c) => c.tools.delete(TOOL)],
  ["GET /tools/export", "1.1", (c) => first(c.tools.export())],
  ["POST /tools/import", "1.2", (c) => c.tools.import({ tools: [] })],
  ["GET /teams", "1.2", (c) => c.teams.list()],
  [`GET /teams/${TEAM}`, "1.2", (c) => c.teams.get(TEAM)],
  ["POST /teams", "1.2", (c) => c.teams.create({ name: "t", agent_ids: [AGENT], coordination_mode: "parallel" })],
  [`PATCH /teams/${TEAM}`, "1.2", (c) => c.teams.update(TEAM, { name: "u" })],
  [`DELETE /teams/${TEAM}`, "1.2", (c) => c.teams.delete(TEAM)],
  ["GET /teams/export", "1.2", (c) => first(c.teams.export())],
  ["POST /teams/import", "1.2", (c) => c.teams.import({ teams: [] })],
  [`GET /memories?agent_id=${AGENT}&tag=crm`, "1.2", (c) => c.memories.list({ agent_id: AGENT, tag: "crm" })],
  [`GET /memories/${MEMORY}`, "1.2", (c) => c.memories.get(MEMORY)],
  ["POST /memories", "1.2", (c) => c.memories.create({ content: "c" })],
  [`DELETE /memories/${MEMORY}`, "1.2", (c) => c.memories.delete(MEMORY)],
  ["POST /memories/search", "1.2", (c) => c.memories.search({ query: "q" })],
  ["GET /memories/export", "1.2", (c) => first(c.memories.export())],
  ["POST /memories/import", "1.2", (c) => c.memories.import({ memories: [] })],
  [`GET /agents/${AGENT}/triggers`, "1.2", (c) => c.triggers.list(AGENT)],
  [`POST /agents/${AGENT}/triggers`, "1.2", (c) => c.triggers.create(AGENT, { name: "t", goal_template: "g" })],
  [`GET /triggers/${TRIGGER}`, "1.2", (c) => c.triggers.get(TRIGGER)],
  [`PATCH /triggers/${TRIGGER}`, "1.2", (c) => c.triggers.update(TRIGGER, { name: "u" })],
  [`DELETE /triggers/${TRIGGER}`, "1.2", (c) => c.triggers.delete(TRIGGER)],
  [`POST /triggers/${TRIGGER}/pause`, "1.2", (c) => c.triggers.pause(TRIGGER)],
  [`POST /triggers/${TRIGGER}/resume`, "1.2", (c) => c.triggers.resume(TRIGGER)],
  ["GET /triggers/export", "1.2", (c) => first(c.triggers.export())],
  ["POST /triggers/import", "1.2", (c) => c.triggers.import({ triggers: [] })],
  ["GET /data/export", "1.2", (c) => c.data.exportAll()],
];

test.each(ROUTES)("%s (API %s)", async (route, version, call) => {
  const sent: Request[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push(new Request(input, init));
    // Whatever it answers, only the request is under test here.
    return new Response(JSON.stringify(answer("archive-1.2.json")), {
      headers: { "content-type": "application/json" },
    });
  };
  const client = new ResonantClient({
    apiKey: "rg_test_sk_x",
    apiVersion: version,
    fetch,
    maxRetries: 0,
    logLevel: "off",
  });
  const outcome = await Promise.resolve()
    .then(() => call(client as unknown as C))
    .catch((e: unknown) => e);
  expect(outcome).not.toBeInstanceOf(RequestValidationError);
  const url = new URL(sent[0]!.url);
  const [method, path] = route.split(" ") as [string, string];
  const expected = new URL(`https://resonantgenesis.xyz/api/v${version}${path}`);
  expect(`${sent[0]!.method} ${url.pathname}`).toBe(`${method} ${expected.pathname}`);
  // Section 2: a body is JSON, said so; and sdk.md: the SDK sets an Idempotency-Key on every POST.
  const request = sent[0]!;
  if (request.body !== null) expect(request.headers.get("content-type")).toBe("application/json");
  if (method === "POST") expect(request.headers.get("idempotency-key")).toMatch(/^.{1,255}$/);
  // A page size the SDK picks (`limit`) is its own business; the filters are the route's.
  url.searchParams.delete("limit");
  expect(Object.fromEntries(url.searchParams)).toEqual(Object.fromEntries(expected.searchParams));
});

test("exportStream asks GET /data/export for NDJSON (API 1.2)", async () => {
  const sent: Request[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push(new Request(input, init));
    return new Response('{"kind":"end","counts":{}}\n', { headers: { "content-type": "application/x-ndjson" } });
  };
  const client = new ResonantClient({ apiKey: "rg_test_sk_x", fetch, logLevel: "off" });
  for await (const _ of client.data.exportStream());
  expect(`${sent[0]!.method} ${new URL(sent[0]!.url).pathname}`).toBe("GET /api/v1.2/data/export");
  expect(sent[0]!.headers.get("accept")).toContain("application/x-ndjson");
});
