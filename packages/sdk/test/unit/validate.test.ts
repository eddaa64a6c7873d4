import { checks as strict10 } from "@resonantgenesis/schemas/checks/v1.0/strict";
import { describe, expect, it } from "vitest";
import { RequestValidationError, ResponseValidationError } from "../../src/core/errors.js";
import { refuseAnswer, refuseRequest } from "../../src/internal/validate.js";

async function requestError(version: "1.0" | "1.2", name: string, value: unknown, prefix = "") {
  const error = await refuseRequest(version, name, false, value, prefix).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RequestValidationError);
  return error as RequestValidationError;
}

describe("refuseRequest: zod's report after a checker said no", () => {
  it("says in English what is wrong with each field (zod/mini has no locale)", async () => {
    const body = { name: "", temperature: "hot", status: "gone", colour: "red" };
    expect(strict10.AgentCreateParams!(body)).toBe(false);
    const error = await requestError("1.0", "AgentCreateParams", body, "body");
    expect(error.issues).toEqual([
      { path: "body.name", message: "must be at least 1 character" },
      { path: "body.temperature", message: "must be a number, got string" },
      { path: "body.status", message: "must be one of active, archived" },
      { path: "body", message: "unknown field(s): colour" },
    ]);
    expect(error.message).toContain("body.temperature: must be a number, got string");
  });

  it("names missing fields and keeps a schema's own message", async () => {
    expect((await requestError("1.0", "SessionCreateParams", { goal: "g" })).issues).toEqual([
      { path: "agent_id", message: "is required" },
    ]);
    expect((await requestError("1.2", "SessionCreateParams", { goal: "g" })).issues).toEqual([
      { path: "agent_id", message: "exactly one of agent_id and team_id is required" },
    ]);
    const webhook = { url: "http://x.example", events: ["agent.created"] };
    expect((await requestError("1.0", "WebhookCreateParams", webhook)).issues).toEqual([
      { path: "url", message: "must be an https URL" },
    ]);
  });

  it("lets a value zod accepts through", async () => {
    await expect(refuseRequest("1.0", "AgentCreateParams", false, { name: "a" }, "body")).resolves.toBeUndefined();
  });
});

describe("refuseAnswer", () => {
  it("reports bad answers with the same messages", async () => {
    const event = { id: "x", type: "agent.created", created_at: "now", data: { id: "a" } };
    const error = await refuseAnswer({ apiVersion: "1.0" }, "WebhookEvent", "strict", event).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).issues).toEqual([
      { path: "id", message: 'must start with "evt_"' },
      { path: "created_at", message: "must be an ISO-8601 date-time" },
      { path: "data.object", message: "is required" },
    ]);
  });
});
