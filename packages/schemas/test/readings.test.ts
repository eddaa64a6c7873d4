import { describe, expect, test } from "vitest";
import { carriedItems, reading, tolerant, v1_0, v1_2 } from "../src/index.js";
import { AGENT_12 } from "./samples.js";

const agent = AGENT_12;

/** What docs/protocol.md section 8 lets a later 1.2 server send. */
const evolved = {
  ...agent,
  id: "agt_01HZY", // ids in another format
  name: "n".repeat(300), // a longer name
  temperature: 3.5, // a wider range
  status: "paused", // a new enum value
  metadata: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, "v"])), // more keys
  created_at: "2026-11-24 10:00", // another date format
  region: { name: "eu-1" }, // a new field
};

describe("the compatible reading", () => {
  const compatible = reading(v1_2.Agent, "compatible");

  test("accepts every change section 8 allows, and keeps unknown fields verbatim", () => {
    expect(compatible.parse(evolved)).toEqual(evolved);
  });

  test("still checks types, required fields and literals", () => {
    const issues = (value: unknown) => (compatible.safeParse(value).error?.issues ?? []).map((i) => i.path.join("."));
    expect(issues({ ...agent, name: 42 })).toEqual(["name"]);
    const { model: _, ...noModel } = agent;
    expect(issues(noModel)).toEqual(["model"]);
    expect(issues({ ...agent, object: "team" })).toEqual(["object"]);
    expect(issues({ ...agent, tool_ids: "x" })).toEqual(["tool_ids"]);
  });

  test("reads a record's kind and the counts of kinds it does not know", () => {
    const end = { kind: "end", counts: { agents: 1, workflows: 2 } };
    expect(reading(v1_2.ExportRecord, "compatible").parse(end)).toEqual(end);
    expect(v1_2.ExportRecord.safeParse(end).success).toBe(false);
  });

  test("is built once per schema and kept", () => {
    expect(reading(v1_2.Agent, "compatible")).toBe(compatible);
    expect(reading(v1_2.Agent, "strict")).toBe(reading(v1_2.Agent, "strict"));
  });
});

describe("the strict reading", () => {
  const strict = reading(v1_2.Agent, "strict");

  test("accepts the letter of the version and refuses an unknown field, where the schema as written strips it", () => {
    expect(strict.parse(agent)).toEqual(agent);
    expect(strict.safeParse({ ...agent, region: "eu" }).error?.issues[0]?.code).toBe("unrecognized_keys");
    expect(v1_2.Agent.parse({ ...agent, region: "eu" })).toEqual(agent);
  });

  test("keeps every limit and format, nested objects included", () => {
    expect(strict.safeParse({ ...agent, name: "n".repeat(101) }).success).toBe(false);
    expect(strict.safeParse({ ...agent, status: "paused" }).success).toBe(false);
    const session = reading(v1_2.ExportedSession, "strict");
    const step = {
      id: agent.id,
      object: "step",
      session_id: agent.id,
      step_number: 1,
      action: "think",
      input: null,
      output: null,
      status: "completed",
      created_at: agent.created_at,
    };
    const exported = {
      id: agent.id,
      object: "session",
      agent_id: agent.id,
      goal: "g",
      context: null,
      status: "completed",
      result: "r",
      steps_completed: 1,
      tokens_used: 1,
      metadata: {},
      created_at: agent.created_at,
      completed_at: agent.created_at,
      steps: [step],
    };
    expect(session.parse(exported)).toEqual(exported);
    expect(session.safeParse({ ...exported, steps: [{ ...step, extra: 1 }] }).error?.issues[0]?.path).toEqual([
      "steps",
      0,
    ]);
  });

  test("leaves a schema that passes unknown keys on as it is (an event's data)", () => {
    const event = {
      id: "evt_1",
      type: "agent.created",
      created_at: agent.created_at,
      data: { id: "x", object: "agent", name: "n" },
    };
    expect(reading(v1_0.WebhookEvent, "strict").parse(event)).toEqual(event);
  });
});

describe("carriedItems: an import's body", () => {
  const body = carriedItems(v1_2.AgentImportRequest);

  test("keeps a later server's objects as they came, and the envelope strict", () => {
    expect(body.parse({ agents: [evolved], on_conflict: "skip" })).toEqual({ agents: [evolved], on_conflict: "skip" });
    expect(body.safeParse({ agents: [evolved], on_conflit: "skip" }).success).toBe(false);
    expect(body.safeParse({ agents: [evolved], on_conflict: "merge" }).success).toBe(false);
    expect(body.safeParse({ agents: Array.from({ length: 1001 }, () => agent) }).success).toBe(false);
    expect(body.safeParse({ agents: [{ ...agent, name: 42 }] }).success).toBe(false);
  });
});

describe("tolerant: the compatible reading that drops unknown keys", () => {
  test("shows an object as a version has it, whatever limits and values have moved on", () => {
    const shown = tolerant(v1_0.Agent).parse(evolved);
    expect(shown).not.toHaveProperty("region");
    expect(shown).not.toHaveProperty("tool_ids");
    expect(shown).toMatchObject({ status: "paused", name: evolved.name });
  });
});
