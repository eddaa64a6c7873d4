// The MSW path: the same mock answers global fetch to the production base URL
// through `setupServer(...handlers(api))`, with the same contract.
import { setupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { handlers } from "@resonantgenesis/mock/msw";
import {
  Client,
  type MockApi,
  atLeast,
  direct,
  expectError,
  expectInvalid,
  expectSchema,
  missingId,
  prepare,
  readSse,
  version,
} from "./harness.js";

const BASE = "https://resonantgenesis.xyz/api";
const { api }: { api: MockApi } = direct();
const server = setupServer(...handlers(api, { baseURL: BASE }));
const client = new Client((request) => fetch(request), BASE);

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
beforeEach(() => prepare(api));
afterAll(() => {
  server.close();
  api.close();
});

describe("through MSW at https://resonantgenesis.xyz/api", () => {
  test("create, get, list, update, delete an agent", async () => {
    const created = await client.post("/agents", { name: "via-msw" });
    expect(created.status).toBe(201);
    expect(created.headers.get("x-api-version")).toBe(version);
    const agent = expectSchema("Agent", created.json);
    expect((await client.get(`/agents/${agent.id}`)).json).toEqual(agent);
    expect(expectSchema("AgentList", (await client.get("/agents")).json).data).toEqual([agent]);
    expect((await client.patch(`/agents/${agent.id}`, { name: "renamed" })).json.name).toBe("renamed");
    expect((await client.del(`/agents/${agent.id}`)).status).toBe(204);
    expectError(await client.get(`/agents/${agent.id}`), 404, "agent_not_found");
  });

  test("the store is the api's: what MSW created, api.fetch sees", async () => {
    const created = await client.create("/agents", { name: "shared" });
    const viaApi = new Client((request) => api.fetch(request), BASE);
    expect((await viaApi.get(`/agents/${created.id}`)).json).toEqual(created);
  });

  test("version by header on /api/agents, and the version errors", async () => {
    const res = await client.get("/api/agents", { headers: { "X-API-Version": version } });
    expect(res.headers.get("x-api-version")).toBe(version);
    expect((await client.get("/api/agents", { headers: { "X-API-Version": "7.0" }, anyErrorForm: true })).status).toBe(
      400,
    );
  });

  test("errors in the version's form: 401, 404, 422", async () => {
    expectError(await client.get("/agents", { key: null }), 401);
    expectError(await client.get(`/sessions/${missingId()}`), 404, "session_not_found");
    expectInvalid(await client.post("/agents", { name: "x", extra: 1 }), ["extra"]);
  });

  test("deprecated and gone states hold here too", async () => {
    api.setVersionState(version, "gone");
    expectError(await client.get("/agents"), 410, "api_version_gone", { strictCode: true });
    api.setVersionState(version, "current");
    expect((await client.get("/agents")).status).toBe(200);
  });

  test("rate limit: the 4th call is 429", async () => {
    api.setRateLimit(3, 60);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await client.get("/agents")).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  test.runIf(atLeast("1.1"))("a streamed session arrives whole", async () => {
    const agent = await client.create("/agents", { name: "s" });
    const res = await client.raw("POST", "/sessions", {
      body: { agent_id: agent.id, goal: "greet", stream: true },
      headers: { Accept: "text/event-stream" },
    });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const { events } = await readSse(res);
    expect(events[0]!.event).toBe("session");
    expect(events.at(-1)!.event).toBe("done");
    const result = events
      .filter((e) => e.event === "message")
      .map((e) => e.data.delta)
      .join("");
    expect(result).toBe(events.at(-1)!.data.result);
  });

  test.runIf(atLeast("1.2"))("the NDJSON export streams through MSW", async () => {
    api.seed({ agents: 2, sessions: 1 } as Parameters<typeof api.seed>[0]);
    const res = await client.get("/data/export", { headers: { Accept: "application/x-ndjson" } });
    const lines = res.text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ kind: "end", counts: { agents: 2, sessions: 1 } });
  });
});
