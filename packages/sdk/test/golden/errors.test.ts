import { describe, expect, test } from "vitest";
import { NotFoundError, ResponseValidationError, UnprocessableEntityError } from "@resonantgenesis/sdk";
import { answer } from "./fixtures.js";
import { AGENT, MISSING_AGENT, MODES, goldenClient } from "./golden-api.js";

// Section 3's error bodies, both forms, and answers that break what the SDK relies on.
describe.each(MODES)("section 3 errors, %s", (mode) => {
  test("a 1.2 not-found gives its code and the request id of its body", async () => {
    const { client } = goldenClient("1.2", mode);
    const { error } = answer("error-404-1.2.json");
    const thrown = await client.agents.get(MISSING_AGENT).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(NotFoundError);
    expect(thrown).toMatchObject({ status: 404, code: error.code, requestId: error.request_id });
    expect((thrown as Error).message).toContain(error.message);
  });

  test("a 1.0 not-found with a string detail", async () => {
    const { client } = goldenClient("1.0", mode);
    const thrown = await client.agents.get(MISSING_AGENT).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(NotFoundError);
    expect((thrown as Error).message).toContain(answer("error-404-1.0.json").detail);
  });

  test("a 1.0 validation list gives field details", async () => {
    const { client } = goldenClient("1.0", mode);
    const [item] = answer("error-422-1.0.json").detail;
    const thrown = await client.agents.create({ name: "triage", model: "gpt-4-turbo" }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(UnprocessableEntityError);
    // loc ["body", "name"] is the field "name": the location kind is dropped.
    expect((thrown as UnprocessableEntityError).details).toEqual({ [item.loc[1]]: [item.msg] });
  });

  test("a 1.2 validation error gives details.fields", async () => {
    const { client } = goldenClient("1.2", mode);
    const { error } = answer("error-422-1.2.json");
    const thrown = await client.agents.create({ name: "triage", model: "gpt-4-turbo" }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(UnprocessableEntityError);
    expect(thrown).toMatchObject({ code: error.code, requestId: error.request_id, details: error.details.fields });
  });

  test("a list without has_more is refused", async () => {
    const { client } = goldenClient("1.2", mode, [
      { method: "GET", path: "/api/v1.2/agents", file: "agent-list-no-has-more.json", broken: true },
    ]);
    await expect(client.agents.list()).rejects.toBeInstanceOf(ResponseValidationError);
    await expect(client.agents.list()).rejects.toThrow(/has_more/);
  });

  test("an agent whose id is a number is refused", async () => {
    const path = `/api/v1.2/agents/${AGENT}`;
    const { client } = goldenClient("1.2", mode, [{ method: "GET", path, file: "agent-id-number.json", broken: true }]);
    await expect(client.agents.get(AGENT)).rejects.toBeInstanceOf(ResponseValidationError);
    await expect(client.agents.get(AGENT)).rejects.toThrow(/\bid\b/);
  });
});

// The harness itself: "strict" must really reach the client, or every strict test above would run compatible.
test("strict mode is on where the tests say so: an unknown field is refused in strict and kept in compatible", async () => {
  const extra = [{ method: "GET", path: `/api/v1.2/agents/${AGENT}`, file: "agent-extra-field.json", broken: true }];
  await expect(goldenClient("1.2", "strict", extra).client.agents.get(AGENT)).rejects.toThrow(/nickname/);
  expect(await goldenClient("1.2", "compatible", extra).client.agents.get(AGENT)).toMatchObject({ nickname: "tri" });
});
