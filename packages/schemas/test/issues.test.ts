import { describe, expect, test } from "vitest";
import { HttpsUrl, ListParams, Metadata, issueMessage, v1_0, v1_1, v1_2 } from "@resonantgenesis/schemas";

/** `path: message` of every issue, parsed with issueMessage as the error map (as the SDK and the mock do). */
function messages(
  schema: {
    safeParse: (
      v: unknown,
      o?: object,
    ) => { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  value: unknown,
): string[] {
  const result = schema.safeParse(value, { error: issueMessage });
  expect(result.success).toBe(false);
  return result.error!.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
}

const uuid = "0b7c4f6e-2a51-4d38-9c1e-7f2d8a6b5e10";

describe("issueMessage as the error map", () => {
  test("lengths, bounds and integers", () => {
    expect(messages(v1_0.AgentCreateParams, { name: "" })).toEqual(["name: must be at least 1 character"]);
    expect(messages(v1_0.AgentCreateParams, { name: "x".repeat(101) })).toEqual([
      "name: must be at most 100 characters",
    ]);
    expect(messages(v1_0.AgentCreateParams, { name: "a", temperature: 3, max_tokens: 0 })).toEqual([
      "temperature: must be at most 2",
      "max_tokens: must be greater than 0",
    ]);
    expect(messages(v1_0.AgentCreateParams, { name: "a", max_tokens: 1.5 })).toEqual([
      "max_tokens: must be an integer, got 1.5",
    ]);
    expect(messages(ListParams, { limit: 0 })).toEqual(["limit: must be at least 1"]);
    expect(messages(v1_2.TeamCreateParams, { name: "t", agent_ids: [] })).toEqual([
      "agent_ids: must have at least 1 item",
    ]);
    expect(messages(v1_2.TeamCreateParams, { name: "t", agent_ids: Array(21).fill(uuid) })).toEqual([
      "agent_ids: must have at most 20 items",
    ]);
  });

  test("types, missing fields, unknown fields and enums", () => {
    expect(messages(v1_0.AgentCreateParams, { name: "a", temperature: "hot" })).toEqual([
      "temperature: must be a number, got string",
    ]);
    expect(messages(v1_0.AgentCreateParams, {})).toEqual(["name: is required"]);
    expect(messages(v1_0.AgentCreateParams, { name: "a", colour: "red", size: 1 })).toEqual([
      "(root): unknown field(s): colour, size",
    ]);
    expect(messages(v1_0.AgentCreateParams, { name: "a", status: "gone" })).toEqual([
      "status: must be one of active, archived",
    ]);
    expect(messages(v1_0.Agent, null)).toEqual(["(root): must be an object, got null"]);
    expect(messages(v1_0.AgentImportRequest, { agents: "x" })).toEqual(["agents: must be an array, got string"]);
    expect(messages(v1_0.AgentList, { object: "page", data: [], has_more: false, next_cursor: null })).toEqual([
      'object: must be "list"',
    ]);
  });

  test("formats", () => {
    // An answer's id is a UUID to the letter; a request sends back any id it was given
    // (docs/protocol.md section 8), so only an empty one is refused there.
    const step = {
      id: uuid,
      object: "step",
      session_id: uuid,
      step_number: 1,
      action: "think",
      input: null,
      output: null,
      status: "running",
      created_at: "2024-05-01T12:00:00Z",
    };
    expect(messages(v1_0.Step, { ...step, id: "nope" })).toEqual(["id: must be a valid UUID"]);
    expect(v1_0.SessionCreateParams.safeParse({ agent_id: "agt_01HZX3K8", goal: "g" }).success).toBe(true);
    expect(messages(v1_0.SessionCreateParams, { agent_id: "", goal: "g" })).toEqual([
      "agent_id: must be at least 1 character",
    ]);
    expect(messages(v1_0.Step, { ...step, created_at: "yesterday" })).toEqual([
      "created_at: must be an ISO-8601 date-time",
    ]);
    expect(messages(HttpsUrl, "http://example.com/hook")).toEqual(["(root): must be an https URL"]);
    expect(messages(HttpsUrl, "not a url")).toEqual(["(root): must be an https URL"]);
    expect(messages(v1_0.WebhookSecret, "secret")).toEqual(['(root): must start with "whsec_"']);
  });

  test("unions say what was expected", () => {
    expect(messages(v1_2.StreamEvent, { type: "nope", data: {} })).toEqual([
      "type: must be one of session, step, message, tool_call, tool_result, error, done",
    ]);
    expect(messages(v1_0.ErrorBody, { detail: 5 })).toEqual([
      "detail: must be a string, an array or an object, got number",
    ]);
  });

  test("a schema's own message is kept, with its path", () => {
    const many = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"]));
    expect(messages(Metadata, many)).toEqual(["(root): must have at most 16 keys"]);
    expect(messages(v1_1.ToolCreateParams, { name: "bad name", endpoint: "https://x.example" })).toEqual([
      "name: must be 1 to 64 letters, digits, _ or -",
    ]);
    expect(messages(v1_2.SessionCreateParams, { goal: "g" })).toEqual([
      "agent_id: exactly one of agent_id and team_id is required",
    ]);
    const other = "5f1c4f6e-2a51-4d38-9c1e-7f2d8a6b5e10";
    expect(messages(v1_2.TeamCreateParams, { name: "t", agent_ids: [uuid], lead_agent_id: other })).toEqual([
      "lead_agent_id: must be one of agent_ids",
    ]);
  });
});

describe("issueMessage on finished issues", () => {
  test("builds a message for zod mini's bare 'Invalid input', without the input zod drops", () => {
    const result = v1_0.AgentCreateParams.safeParse({ temperature: "hot", colour: "red" });
    expect(result.error!.issues.map((i) => i.message)).toContain("Invalid input");
    expect(result.error!.issues.map(issueMessage)).toEqual([
      "must be a string",
      "must be a number",
      "unknown field(s): colour",
    ]);
  });

  test("keeps any other message", () => {
    expect(issueMessage({ code: "custom", message: "must have at most 16 keys" })).toBe("must have at most 16 keys");
    expect(
      issueMessage({ code: "too_small", message: "must be at least 1 character", minimum: 1, origin: "string" }),
    ).toBe("must be at least 1 character");
    expect(issueMessage({ code: "custom", message: "Invalid input" })).toBe("is invalid");
  });

  test("reads the fields of each code", () => {
    expect(issueMessage({ code: "too_small", minimum: 2, origin: "string", inclusive: true, exact: true })).toBe(
      "must be exactly 2 characters",
    );
    expect(issueMessage({ code: "too_big", maximum: 5, origin: "number", inclusive: false })).toBe(
      "must be less than 5",
    );
    expect(issueMessage({ code: "invalid_format", format: "regex", pattern: "/^a$/" })).toBe(
      "must match the pattern /^a$/",
    );
    expect(issueMessage({ code: "invalid_format", format: "url", note: "Invalid protocol", pattern: "^https$" })).toBe(
      "must be an https URL",
    );
    expect(issueMessage({ code: "invalid_format", format: "email" })).toBe("must be a valid email address");
    expect(issueMessage({ code: "not_multiple_of", divisor: 5 })).toBe("must be a multiple of 5");
    expect(issueMessage({ code: "invalid_value", values: [1, 2] })).toBe("must be one of 1, 2");
    expect(issueMessage({ code: "invalid_type", expected: "boolean", input: 1 })).toBe("must be a boolean, got number");
    expect(issueMessage({ code: "invalid_type", expected: "string", input: undefined })).toBe("is required");
    expect(issueMessage({ code: "something_new" })).toBe("is invalid");
  });
});
