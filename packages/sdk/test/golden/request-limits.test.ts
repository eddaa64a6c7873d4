import { describe, expect, test } from "vitest";
import { type ApiVersion, RequestValidationError, ResonantClient } from "@resonantgenesis/sdk";
import { AGENT } from "./golden-api.js";

// The limits of docs/protocol.md sections 4, 5 and 6, written out from its text (not from our schemas):
// section 8 says "a client checks what it sends against its own version, strictly", so a value at a
// limit is sent and one past it is refused before anything is sent, naming the field. A schema whose
// bound drifted (a name of 64, a limit of 50, 20 metadata keys) fails here whichever way it drifted.
type Call = (client: ResonantClient<"1.2">) => Promise<unknown>;
const AGENTS = (n: number) => Array.from({ length: n }, (_, i) => `${AGENT.slice(0, -2)}${String(i).padStart(2, "0")}`);
const meta = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
const agent =
  (more: object): Call =>
  (c) =>
    c.agents.create({ name: "triage", model: "gpt-4-turbo", ...more });
const tool =
  (more: object): Call =>
  (c) =>
    c.tools.create({
      name: "search",
      description: "d",
      parameters: {},
      endpoint: "https://t.example",
      method: "GET",
      ...more,
    });
const team =
  (more: object): Call =>
  (c) =>
    c.teams.create({ name: "t", agent_ids: [AGENT], coordination_mode: "parallel", ...more });
const webhook =
  (more: object): Call =>
  (c) =>
    c.webhooks.create({ url: "https://h.example/in", events: ["agent.created"], ...more });
const drain = async (pages: AsyncIterable<unknown>) => {
  for await (const _ of pages) break;
};

// [what, version, sent at the limit, refused past it, the path the refusal names]
const LIMITS: [string, ApiVersion, Call, Call, string][] = [
  [
    "list limit up to 100 (section 4)",
    "1.2",
    (c) => c.agents.list({ limit: 100 }),
    (c) => c.agents.list({ limit: 101 }),
    "params.limit",
  ],
  ["list limit from 1", "1.2", (c) => c.agents.list({ limit: 1 }), (c) => c.agents.list({ limit: 0 }), "params.limit"],
  [
    "agent name up to 100 characters",
    "1.0",
    agent({ name: "n".repeat(100) }),
    agent({ name: "n".repeat(101) }),
    "body.name",
  ],
  // "1 to 100 chars": characters, so 100 emoji (200 UTF-16 units) are a good name.
  [
    "agent name of 100 emoji",
    "1.2",
    agent({ name: "\u{1F600}".repeat(100) }),
    agent({ name: "\u{1F600}".repeat(101) }),
    "body.name",
  ],
  ["agent name from 1 character", "1.2", agent({ name: "n" }), agent({ name: "" }), "body.name"],
  ["temperature up to 2", "1.0", agent({ temperature: 2 }), agent({ temperature: 2.01 }), "body.temperature"],
  ["temperature from 0", "1.2", agent({ temperature: 0 }), agent({ temperature: -0.01 }), "body.temperature"],
  ["metadata up to 16 keys", "1.0", agent({ metadata: meta(16) }), agent({ metadata: meta(17) }), "body.metadata"],
  ["metadata of strings", "1.2", agent({ metadata: { a: "1" } }), agent({ metadata: { a: 1 } }), "body.metadata.a"],
  ["agent status active | archived", "1.2", agent({ status: "archived" }), agent({ status: "paused" }), "body.status"],
  ...[1, 100].map((ok, i): [string, ApiVersion, Call, Call, string] => [
    `max_steps ${i ? "up to 100" : "from 1"}`,
    "1.0",
    (c) => c.sessions.create({ agent_id: AGENT, goal: "g", max_steps: ok }),
    (c) => c.sessions.create({ agent_id: AGENT, goal: "g", max_steps: i ? 101 : 0 }),
    "body.max_steps",
  ]),
  ["webhook url https", "1.0", webhook({}), webhook({ url: "http://h.example/in" }), "body.url"],
  ["webhook events non-empty", "1.0", webhook({}), webhook({ events: [] }), "body.events"],
  [
    "webhook events of 1.0's six",
    "1.0",
    webhook({ events: ["session.failed"] }),
    webhook({ events: ["team.created"] }),
    "body.events.0",
  ],
  [
    "webhook events of 1.2's eleven",
    "1.2",
    webhook({ events: ["trigger.fired"] }),
    webhook({ events: ["session.evaluated"] }),
    "body.events.0",
  ],
  [
    "tool name up to 64 of [a-zA-Z0-9_-]",
    "1.1",
    tool({ name: `aZ0_-${"x".repeat(59)}` }),
    tool({ name: "x".repeat(65) }),
    "body.name",
  ],
  ["tool name pattern", "1.1", tool({ name: "a-b_C9" }), tool({ name: "a.b" }), "body.name"],
  ["tool endpoint https", "1.1", tool({}), tool({ endpoint: "http://t.example" }), "body.endpoint"],
  ["tool method GET | POST", "1.1", tool({ method: "POST" }), tool({ method: "PUT" }), "body.method"],
  [
    "team agent_ids up to 20",
    "1.2",
    team({ agent_ids: AGENTS(20) }),
    team({ agent_ids: AGENTS(21) }),
    "body.agent_ids",
  ],
  ["team agent_ids from 1", "1.2", team({}), team({ agent_ids: [] }), "body.agent_ids"],
  [
    "coordination mode",
    "1.2",
    team({ coordination_mode: "hierarchical" }),
    team({ coordination_mode: "consensus" }),
    "body.coordination_mode",
  ],
  [
    "memory content up to 8000",
    "1.2",
    (c) => c.memories.create({ content: "m".repeat(8000) }),
    (c) => c.memories.create({ content: "m".repeat(8001) }),
    "body.content",
  ],
  [
    "memory content from 1",
    "1.2",
    (c) => c.memories.create({ content: "m" }),
    (c) => c.memories.create({ content: "" }),
    "body.content",
  ],
  [
    "importance up to 1",
    "1.2",
    (c) => c.memories.create({ content: "m", importance: 1 }),
    (c) => c.memories.create({ content: "m", importance: 1.01 }),
    "body.importance",
  ],
  [
    "importance from 0",
    "1.2",
    (c) => c.memories.create({ content: "m", importance: 0 }),
    (c) => c.memories.create({ content: "m", importance: -0.01 }),
    "body.importance",
  ],
  [
    "debounce up to 3600",
    "1.2",
    (c) => c.triggers.create(AGENT, { name: "t", goal_template: "g", debounce_seconds: 3600 }),
    (c) => c.triggers.create(AGENT, { name: "t", goal_template: "g", debounce_seconds: 3601 }),
    "body.debounce_seconds",
  ],
  [
    "debounce from 0",
    "1.2",
    (c) => c.triggers.create(AGENT, { name: "t", goal_template: "g", debounce_seconds: 0 }),
    (c) => c.triggers.create(AGENT, { name: "t", goal_template: "g", debounce_seconds: -1 }),
    "body.debounce_seconds",
  ],
  [
    "export limit up to 10,000 (section 6)",
    "1.0",
    (c) => drain(c.agents.export({ limit: 10_000 })),
    (c) => drain(c.agents.export({ limit: 10_001 })),
    "params.limit",
  ],
  [
    "import up to 1,000 items",
    "1.0",
    (c) => c.agents.import({ agents: [] }),
    (c) => c.agents.import({ agents: Array(1001).fill({}) }),
    "body.agents",
  ],
  [
    "on_conflict skip | overwrite | fail",
    "1.0",
    (c) => c.agents.import({ agents: [], on_conflict: "overwrite" }),
    (c) => c.agents.import({ agents: [], on_conflict: "replace" as never }),
    "body.on_conflict",
  ],
];

/** A client whose server answers every request 500 (not retried here): what matters is whether it was sent. */
function recording(apiVersion: ApiVersion) {
  const sent: Request[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push(new Request(input, init));
    return new Response('{"detail": "stop here"}', { status: 500, headers: { "content-type": "application/json" } });
  };
  return {
    sent,
    client: new ResonantClient({ apiKey: "rg_test_sk_x", apiVersion, fetch, maxRetries: 0, logLevel: "off" }),
  };
}

describe("request limits of docs/protocol.md", () => {
  test.each(LIMITS)("%s (API %s)", async (_what, version, atLimit, pastLimit, path) => {
    const ok = recording(version);
    const sentError = await atLimit(ok.client as ResonantClient<"1.2">).catch((e: unknown) => e);
    expect(sentError).not.toBeInstanceOf(RequestValidationError);
    expect(ok.sent).toHaveLength(1);

    const past = recording(version);
    const refused = await pastLimit(past.client as ResonantClient<"1.2">).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RequestValidationError);
    expect((refused as RequestValidationError).issues.map((i) => i.path)).toContain(path);
    expect(past.sent).toHaveLength(0);
  });
});
