import { v1_0, v1_2 } from "@resonantgenesis/schemas";
import { describe, expect, it } from "vitest";
import { RequestValidationError, ResponseValidationError } from "../../src/core/errors.js";
import { toIssues, validateRequest, validateResponse } from "../../src/internal/validate.js";

function requestError(
  schema: Parameters<typeof validateRequest>[0],
  value: unknown,
  prefix = "",
): RequestValidationError {
  try {
    validateRequest(schema, value, prefix);
  } catch (error) {
    expect(error).toBeInstanceOf(RequestValidationError);
    return error as RequestValidationError;
  }
  throw new Error("expected a RequestValidationError");
}

describe("validateRequest", () => {
  it("says in English what is wrong with each field (zod/mini has no locale)", () => {
    const error = requestError(
      v1_0.AgentCreateParams,
      { name: "", temperature: "hot", status: "gone", colour: "red" },
      "body",
    );
    expect(error.issues).toEqual([
      { path: "body.name", message: "must be at least 1 character" },
      { path: "body.temperature", message: "must be a number, got string" },
      { path: "body.status", message: "must be one of active, archived" },
      { path: "body", message: "unknown field(s): colour" },
    ]);
    expect(error.message).toContain("body.temperature: must be a number, got string");
  });

  it("names missing fields and keeps a schema's own message", () => {
    expect(requestError(v1_0.SessionCreateParams, { goal: "g" }).issues).toEqual([
      { path: "agent_id", message: "is required" },
    ]);
    expect(requestError(v1_2.SessionCreateParams, { goal: "g" }).issues).toEqual([
      { path: "agent_id", message: "exactly one of agent_id and team_id is required" },
    ]);
    expect(
      requestError(v1_0.WebhookCreateParams, { url: "http://x.example", events: ["agent.created"] }).issues,
    ).toEqual([{ path: "url", message: "must be an https URL" }]);
  });

  it("returns the value as given when it is valid", () => {
    const body = { name: "a" };
    expect(validateRequest(v1_0.AgentCreateParams, body)).toBe(body);
  });
});

describe("validateResponse", () => {
  it("reports bad answers with the same messages", () => {
    try {
      validateResponse(
        v1_0.WebhookEvent,
        { id: "x", type: "agent.created", created_at: "now", data: { id: "a" } },
        { apiVersion: "1.0" },
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ResponseValidationError);
      expect((error as ResponseValidationError).issues).toEqual([
        { path: "id", message: 'must start with "evt_"' },
        { path: "created_at", message: "must be an ISO-8601 date-time" },
        { path: "data.object", message: "is required" },
      ]);
    }
  });
});

describe("toIssues", () => {
  it("builds messages for issues parsed without the error map", () => {
    const result = v1_0.AgentCreateParams.safeParse({ name: 5, colour: "red" });
    expect(toIssues(result.error!.issues, "body")).toEqual([
      { path: "body.name", message: "must be a string" },
      { path: "body", message: "unknown field(s): colour" },
    ]);
  });
});
