import { describe, expect, test } from "vitest";
import {
  type ApiVersion,
  BadRequestError,
  NotFoundError,
  RateLimitError,
  ResonantClient,
  ResponseValidationError,
} from "@resonantgenesis/sdk";
import { answer, answerLines, answerText } from "./fixtures.js";
import { AGENT, SESSION, TEAM, TOOL, TRIGGER, WEBHOOK } from "./golden-api.js";

// docs/protocol.md section 8, on answers written here by hand (the evolved mock shows objects through our
// own schemas, so it cannot catch a schema that shares the SDK's mistake): the 1.2 server of next year may
// add fields and enum values, relax limits, give ids in another format, add error codes, record kinds and
// archive kinds, and leave out what the page does not list. A client keeps working and loses nothing.
const MEMORY = answer("memory.json").id;
const obj = (file: string) => answer<Record<string, unknown>>(file);
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** A client of `version` whose every answer is `reply`'s; `sent` records the requests. */
function serve(version: ApiVersion, reply: (request: Request) => Response, mode?: "strict") {
  const sent: Request[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    sent.push(request.clone());
    return reply(request);
  };
  const options = { apiKey: "rg_test_sk_x", apiVersion: version, fetch, maxRetries: 0, logLevel: "off" as const };
  return { sent, client: new ResonantClient({ ...options, ...(mode ? { validateResponses: mode } : {}) }) };
}

const list = (data: unknown[]) => ({ object: "list", data, has_more: false, next_cursor: null });
const step = answer("step-list.json").data[0];
// [what, version, the call, the answer of next year's server]: each must reach the caller as it came.
const EVOLVED: [string, ApiVersion, (c: ResonantClient<"1.2">) => Promise<unknown>, unknown][] = [
  [
    "an agent with a new field, a new status, a longer name, a wider temperature, more metadata keys",
    "1.2",
    (c) => c.agents.get(AGENT),
    {
      ...obj("agent-1.2.json"),
      status: "paused",
      name: "n".repeat(300),
      temperature: 3.5,
      metadata: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, "v"])),
      labels: { tier: "gold" },
    },
  ],
  [
    "an agent whose ids are in another format",
    "1.1",
    (c) => c.agents.get("agt_01J9Z"),
    {
      ...obj("agent-1.1.json"),
      id: "agt_01J9Z",
      tool_ids: ["tool_7", "42"],
    },
  ],
  [
    "a 1.0 session with a new status",
    "1.0",
    (c) => c.sessions.get(SESSION),
    {
      ...obj("session-1.0.json"),
      status: "expired",
    },
  ],
  [
    "steps with a new action and a new status",
    "1.0",
    async (c) => (await c.sessions.steps.list(SESSION)).data,
    [{ ...step, action: "reflect", status: "skipped", step_number: 1, cost: { tokens: 3 } }],
  ],
  [
    "a tool with a new method and a name past the old pattern",
    "1.1",
    (c) => c.tools.get(TOOL),
    {
      ...obj("tool-1.1.json"),
      method: "PUT",
      name: "search.v2 (beta)",
    },
  ],
  [
    "a team with a new coordination mode and more than 20 agents",
    "1.2",
    (c) => c.teams.get(TEAM),
    {
      ...obj("team.json"),
      coordination_mode: "consensus",
      agent_ids: Array.from({ length: 25 }, (_, i) => `agent-${i}`),
    },
  ],
  [
    "a memory with a wider importance and longer content",
    "1.2",
    (c) => c.memories.get(MEMORY),
    {
      ...obj("memory.json"),
      importance: 7,
      content: "c".repeat(9000),
    },
  ],
  [
    "a trigger with a new status and a longer debounce",
    "1.2",
    (c) => c.triggers.get(TRIGGER),
    {
      ...obj("trigger.json"),
      status: "scheduled",
      debounce_seconds: 86_400,
    },
  ],
  [
    "a 1.0 webhook with a new event type",
    "1.0",
    (c) => c.webhooks.get(WEBHOOK),
    {
      ...obj("webhook-1.0.json"),
      events: ["agent.created", "session.evaluated"],
    },
  ],
  [
    "a 1.2 webhook with a new event type and a new filter",
    "1.2",
    (c) => c.webhooks.get(WEBHOOK),
    {
      ...obj("webhook-1.2.json"),
      events: ["memory.created", "workflow.finished"],
      filters: { agent_ids: [AGENT], tags: ["vip"] },
    },
  ],
];

describe("section 8: next year's answers, read by today's client (compatible, the default)", () => {
  test.each(EVOLVED)("%s (API %s)", async (_what, version, call, body) => {
    const wire = Array.isArray(body) ? list(body) : body;
    const { client } = serve(version, () => json(wire));
    expect(await call(client as ResonantClient<"1.2">)).toEqual(body);
    // The harness reaches the schemas: strict refuses the same answer.
    const strict = serve(version, () => json(wire), "strict").client as ResonantClient<"1.2">;
    await expect(call(strict)).rejects.toBeInstanceOf(ResponseValidationError);
  });

  test("a list envelope's new members reach the caller on the page's body, on every version", async () => {
    for (const version of ["1.0", "1.1", "1.2"] as const) {
      const wire = { ...list([step]), total_count: 7, facets: { status: { completed: 1 } } };
      const { client } = serve(version, () => json(wire));
      const page = await client.sessions.steps.list(SESSION);
      expect(page.body).toEqual(wire);
      expect(page.data).toEqual([step]);
    }
    // An export page, which is not in the list envelope, keeps its own.
    const exported = { ...obj("agent-export-page.json"), total: 1, snapshot_at: "2027-01-01T00:00:00Z" };
    const { client } = serve("1.2", () => json(exported));
    expect((await client.agents.export()).body).toEqual(exported);
  });

  test.each([
    [429, "quota_exceeded", RateLimitError],
    [404, "workflow_not_found", NotFoundError],
    [400, "invalid_cursor", BadRequestError],
  ] as const)("a new error code under %i keeps its status's class and its own code", async (status, code, Class) => {
    const body = { error: { code, message: "Something new", request_id: "req_N3w" } };
    const { client } = serve("1.2", () => json(body, status));
    const error = await client.agents.get(AGENT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Class);
    expect(error).toMatchObject({ status, code, requestId: "req_N3w" });
  });
});

describe("section 8: new record kinds and archive kinds", () => {
  const workflow = { id: "wf_1", object: "workflow", name: "nightly", agent_ids: [AGENT] };

  test("exportStream hands a new NDJSON kind on as it came and ends at the end line that counts it", async () => {
    const lines = answerText("data-export.ndjson.txt").trimEnd().split("\n");
    const end = JSON.parse(lines.pop()!);
    const text = [
      ...lines,
      JSON.stringify({ kind: "workflow", data: workflow }),
      JSON.stringify({
        kind: "end",
        counts: { ...end.counts, workflows: 1 },
      }),
    ].join("\n");
    const { client } = serve("1.2", () => new Response(text, { headers: { "content-type": "application/x-ndjson" } }));
    const records = [];
    for await (const record of client.data.exportStream()) records.push(record);
    expect(records.slice(0, 3)).toEqual(answerLines("data-export.ndjson.txt").slice(0, 3));
    expect(records[3]).toEqual({ kind: "unknown", raw: { kind: "workflow", data: workflow } });
    expect(records[4]).toEqual({ kind: "end", counts: { ...end.counts, workflows: 1 } });
  });

  test("exportAll keeps a new top-level kind, and importAll sends it last, after section 6's order", async () => {
    const archive = {
      ...obj("archive-1.2.json"),
      workflows: [workflow],
      webhooks: [answer("webhook-1.2.json")],
      triggers: [answer("trigger.json")],
      memories: [answer("memory.json")],
      sessions: [{ ...obj("session-1.2.json"), steps: answer("step-list.json").data }],
      teams: [answer("team.json")],
      agents: [answer("agent-1.2.json")],
      tools: [answer("tool-1.1.json")],
    };
    const exported = serve("1.2", () => json(archive));
    expect(await exported.client.data.exportAll()).toEqual(archive);

    const { client, sent } = serve("1.2", () => json({ imported: 1, skipped: 0, failed: [] }));
    const report = await client.data.importAll(archive as never);
    // "Importing goes in dependency order (tools, agents, teams, sessions, memories, triggers, webhooks)".
    const order = ["tools", "agents", "teams", "sessions", "memories", "triggers", "webhooks", "workflows"];
    expect(sent.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual(
      order.map((kind) => `POST /api/v1.2/${kind}/import`),
    );
    expect(await sent.at(-1)!.json()).toEqual({ workflows: [workflow], on_conflict: "skip" });
    expect(report.imported).toEqual(Object.fromEntries(order.map((kind) => [kind, 1])));
  });
});
