import { describe, expect, test } from "vitest";
import * as z from "zod/mini";
import { AGENT_10, AGENT_12, NOW } from "./samples.js";
import {
  API_VERSIONS,
  HttpsUrl,
  Metadata,
  reading,
  schemas,
  v1_0,
  v1_1,
  v1_2,
  versionAtLeast,
} from "@resonantgenesis/schemas";
import * as strict10 from "../src/checks/v1.0/strict.js";
import * as strict11 from "../src/checks/v1.1/strict.js";
import * as strict12 from "../src/checks/v1.2/strict.js";

const now = NOW;
const agent10 = AGENT_10;
const agent12 = { ...AGENT_12, tool_ids: [] as string[] };

describe("versions extend each other", () => {
  test("each later agent keeps every earlier field and adds its own", () => {
    const keys = (v: keyof typeof schemas) => Object.keys(schemas[v].Agent.shape);
    expect(keys("1.1")).toEqual([...keys("1.0"), "tool_ids"]);
    expect(keys("1.2")).toEqual([...keys("1.1"), "version", "memory_enabled"]);
  });

  test("a 1.2 agent parsed as 1.0 loses the later fields", () => {
    expect(v1_0.Agent.parse(agent12)).toEqual(agent10);
    expect(() => v1_2.Agent.parse(agent10)).toThrow(/tool_ids|version/);
  });

  test("the later kinds exist only from their version on", () => {
    expect("Tool" in v1_0).toBe(false);
    expect("Tool" in v1_1).toBe(true);
    expect("Team" in v1_1).toBe(false);
    expect("Team" in v1_2 && "Memory" in v1_2 && "Trigger" in v1_2).toBe(true);
  });
});

describe("request bodies", () => {
  test("unknown fields are refused with their path", () => {
    const result = v1_2.AgentCreateParams.safeParse({ name: "a", colour: "red" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ code: "unrecognized_keys", keys: ["colour"] });
  });

  test("1.0 refuses 1.1's tool_ids; 1.1 takes them", () => {
    expect(v1_0.AgentCreateParams.safeParse({ name: "a", tool_ids: [] }).success).toBe(false);
    expect(v1_1.AgentCreateParams.safeParse({ name: "a", tool_ids: [] }).success).toBe(true);
  });

  test("ranges and patterns are checked", () => {
    const bad = v1_2.AgentCreateParams.safeParse({ name: "", temperature: 3 });
    expect(bad.error?.issues.map((issue) => issue.path.join("."))).toEqual(["name", "temperature"]);
    expect(v1_1.ToolCreateParams.safeParse({ name: "no spaces", endpoint: "https://x.example" }).success).toBe(false);
    expect(v1_1.ToolCreateParams.safeParse({ name: "ok_name-1", endpoint: "http://x.example" }).success).toBe(false);
    expect(Metadata.safeParse(Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"]))).success).toBe(
      false,
    );
  });

  test("a 1.2 session names an agent or a team, not both or neither", () => {
    const agentId = agent10.id;
    expect(v1_2.SessionCreateParams.safeParse({ agent_id: agentId, goal: "g" }).success).toBe(true);
    expect(v1_2.SessionCreateParams.safeParse({ team_id: agentId, goal: "g" }).success).toBe(true);
    expect(v1_2.SessionCreateParams.safeParse({ goal: "g" }).success).toBe(false);
    expect(v1_2.SessionCreateParams.safeParse({ agent_id: agentId, team_id: agentId, goal: "g" }).success).toBe(false);
  });

  test("a team's lead must be one of its agents", () => {
    const other = "9b7c4f6e-2a51-4d38-9c1e-7f2d8a6b5e10";
    const bad = v1_2.TeamCreateParams.safeParse({ name: "t", agent_ids: [agent10.id], lead_agent_id: other });
    expect(bad.error?.issues[0]?.path).toEqual(["lead_agent_id"]);
  });
});

describe("ids in requests (docs/protocol.md section 8: ids in another format)", () => {
  // What a later 1.x server may answer as an id, and a client must be able to send back.
  const ID = "agt_01HZX3K8";
  const OTHER = "tool_01HZX3K9";
  const strict = { "1.0": strict10, "1.1": strict11, "1.2": strict12 } as const;
  /** Every request body and query that carries an id, each with one naming objects by `id` and `other`. */
  type Row = [version: keyof typeof strict, schema: string, value: unknown];
  const requests = (id: string, other: string): Row[] => [
    ...(["1.0", "1.1", "1.2"] as const).flatMap((v): Row[] => [
      [v, "SessionCreateParams", { agent_id: id, goal: "g" }],
      [v, "SessionListParams", { agent_id: id }],
    ]),
    ...(["1.1", "1.2"] as const).flatMap((v): Row[] => [
      [v, "AgentCreateParams", { name: "a", tool_ids: [id] }],
      [v, "AgentUpdateParams", { tool_ids: [other, id] }],
      [v, "SessionCreateParams", { agent_id: id, goal: "g", stream: true }],
    ]),
    ["1.2", "SessionCreateParams", { team_id: id, goal: "g" }],
    ["1.2", "SessionListParams", { agent_id: id, team_id: other }],
    ["1.2", "TeamCreateParams", { name: "t", agent_ids: [id, other], lead_agent_id: other }],
    ["1.2", "TeamUpdateParams", { agent_ids: [id], lead_agent_id: id }],
    ["1.2", "MemoryCreateParams", { content: "c", agent_id: id }],
    ["1.2", "MemoryListParams", { agent_id: id }],
    ["1.2", "MemorySearchParams", { query: "q", agent_id: id }],
    [
      "1.2",
      "WebhookCreateParams",
      { url: "https://x.example/h", events: ["agent.created"], filters: { agent_ids: [id] } },
    ],
    ["1.2", "WebhookUpdateParams", { filters: { agent_ids: [id, other] } }],
  ];
  const schemaOf = (v: keyof typeof schemas, name: string) =>
    (schemas[v] as unknown as Record<string, z.ZodMiniType>)[name]!;
  const checkOf = (v: keyof typeof strict, name: string) =>
    (strict[v].checks as Readonly<Record<string, (value: unknown) => boolean>>)[name]!;

  test.each(requests(ID, OTHER))("%s %s takes an id in another format, as zod and as its checker", (v, name, value) => {
    expect(schemaOf(v, name).safeParse(value).success).toBe(true);
    expect(checkOf(v, name)(value)).toBe(true);
  });

  test.each(requests("", OTHER))("%s %s refuses an empty id, as zod and as its checker", (v, name, value) => {
    // The second id stays valid, so the empty one alone is refused (a team's lead is then not a member, also refused).
    expect(schemaOf(v, name).safeParse(value).success).toBe(false);
    expect(checkOf(v, name)(value)).toBe(false);
  });

  test("unknown fields and wrong types next to such an id are still refused", () => {
    expect(v1_2.SessionCreateParams.safeParse({ agent_id: ID, goal: "g", colour: "red" }).success).toBe(false);
    expect(v1_2.SessionCreateParams.safeParse({ agent_id: 42, goal: "g" }).success).toBe(false);
    expect(v1_1.AgentCreateParams.safeParse({ name: "a", tool_ids: ID }).success).toBe(false);
    expect(v1_2.SessionListParams.safeParse({ agent_id: [ID] }).success).toBe(false);
    expect(strict12.checks.SessionCreateParams({ agent_id: ID, goal: "g", colour: "red" })).toBe(false);
  });

  test("answers keep their ids strictly UUIDs to the letter; their compatible reading takes any string", () => {
    const agent = { ...agent12, id: ID };
    expect(v1_2.Agent.safeParse(agent).success).toBe(false);
    expect(strict12.checks.Agent(agent)).toBe(false);
    expect(reading(v1_2.Agent, "compatible").safeParse(agent).success).toBe(true);
  });
});

describe("errors, events and exports", () => {
  test("both error forms parse in their own version only", () => {
    const legacy = { detail: [{ loc: ["body", "name"], msg: "field required", type: "value_error.missing" }] };
    const modern = { error: { code: "agent_not_found", message: "No agent", request_id: "req_1" } };
    expect(v1_1.ErrorBody.safeParse(legacy).success).toBe(true);
    expect(v1_1.ErrorBody.safeParse(modern).success).toBe(false);
    expect(v1_2.ErrorBody.safeParse(modern).success).toBe(true);
    expect(v1_2.ErrorBody.safeParse(legacy).success).toBe(false);
  });

  test("stream events are typed by their name", () => {
    const event = v1_1.StreamEvent.parse({ type: "message", data: { delta: "hello " } });
    expect(event).toEqual({ type: "message", data: { delta: "hello " } });
    expect(v1_1.StreamEvent.safeParse({ type: "message", data: { text: "x" } }).success).toBe(false);
  });

  test("the NDJSON records and the end line parse", () => {
    expect(v1_2.ExportRecord.parse({ kind: "agent", data: agent12 }).kind).toBe("agent");
    expect(v1_2.ExportRecord.parse({ kind: "end", counts: { agents: 1 } })).toEqual({
      kind: "end",
      counts: { agents: 1 },
    });
    expect(v1_2.ExportRecord.safeParse({ kind: "agent", data: agent10 }).success).toBe(false);
  });

  test("an archive of each version holds exactly its kinds", () => {
    const base = { format: "resonantgenesis.export", format_version: 1, exported_at: now };
    const empty12 = {
      ...base,
      api_version: "1.2",
      agents: [],
      sessions: [],
      webhooks: [],
      tools: [],
      teams: [],
      memories: [],
      triggers: [],
    };
    expect(Object.keys(v1_2.Archive.parse(empty12)).sort()).toEqual(Object.keys(empty12).sort());
    expect(Object.keys(v1_0.Archive.shape)).not.toContain("tools");
    expect(Object.keys(v1_1.Archive.shape)).toContain("tools");
    expect(v1_2.Archive.safeParse({ ...empty12, api_version: "1.1" }).success).toBe(false);
  });

  test("the webhook test vector's event parses", () => {
    const body = `{"id":"evt_01","type":"agent.created","created_at":"2026-11-24T10:00:00Z","data":{"id":"0b7c4f6e-2a51-4d38-9c1e-7f2d8a6b5e10","object":"agent","name":"triage"}}`;
    expect(v1_2.WebhookEvent.parse(JSON.parse(body)).data.name).toBe("triage");
    expect(v1_0.WebhookEvent.safeParse({ ...JSON.parse(body), type: "team.created" }).success).toBe(false);
  });
});

test("the lifecycle table matches docs/protocol.md", () => {
  expect(API_VERSIONS["1.0"]).toEqual({
    status: "deprecated",
    deprecatedSince: "2025-09-01",
    sunset: "2026-03-01",
    upgradeTo: "v1.2",
  });
  expect(API_VERSIONS["1.2"].sunset).toBeNull();
  expect(versionAtLeast("1.1", "1.0") && !versionAtLeast("1.1", "1.2")).toBe(true);
});

describe("HttpsUrl", () => {
  test("uses zod's own hostname pattern, written out for tree-shaking", () => {
    const hostname = (HttpsUrl._zod.def as { hostname?: RegExp }).hostname;
    expect(hostname?.source).toBe(z.regexes.hostname.source);
  });

  test("takes https URLs with a valid host only", () => {
    expect(HttpsUrl.safeParse("https://hooks.example.com/x").success).toBe(true);
    expect(HttpsUrl.safeParse("http://hooks.example.com/x").success).toBe(false);
    expect(HttpsUrl.safeParse("https://bad_host!/x").success).toBe(false);
  });
});
