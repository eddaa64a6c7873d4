// docs/protocol.md section 3 (and the 413/422 rules of sections 2 and 5): both
// error forms, 404s per kind, 422 naming every bad field, 400 invalid_json.
import { describe, expect, test } from "vitest";
import {
  atLeast,
  createAgent,
  expectError,
  expectInvalid,
  expectSchema,
  fastapiErrors,
  invalidFields,
  missingId,
  useServer,
  version,
} from "./harness.js";

const h = useServer();

describe("the error form of the version", () => {
  test("404: 1.0/1.1 {detail: string}, 1.2 {error: {code, message, request_id}}", async () => {
    const id = missingId();
    const res = await h.client.get(`/agents/${id}`);
    expectError(res, 404, "agent_not_found");
    if (fastapiErrors) {
      expect(Object.keys(res.json)).toEqual(["detail"]);
      expect(typeof res.json.detail, res.text).toBe("string");
      expect(res.json.detail.length).toBeGreaterThan(0);
    } else {
      expect(Object.keys(res.json)).toEqual(["error"]);
      expect(res.json.error.request_id).toMatch(/^req_/);
      expect(res.json.error.message.length).toBeGreaterThan(0);
    }
  });

  const kinds: [string, string, boolean][] = [
    ["/agents", "agent_not_found", true],
    ["/sessions", "session_not_found", true],
    ["/webhooks", "webhook_not_found", true],
    ["/tools", "tool_not_found", atLeast("1.1")],
    ["/teams", "team_not_found", atLeast("1.2")],
    ["/memories", "memory_not_found", atLeast("1.2")],
    ["/triggers", "trigger_not_found", atLeast("1.2")],
  ];
  for (const [path, code, exists] of kinds)
    test.runIf(exists)(`GET and DELETE ${path}/<missing id>: 404 ${code}`, async () => {
      expectError(await h.client.get(`${path}/${missingId()}`), 404, code);
      expectError(await h.client.del(`${path}/${missingId()}`), 404, code);
    });

  test("PATCH of a missing agent: 404", async () => {
    expectError(await h.client.patch(`/agents/${missingId()}`, { name: "x" }), 404, "agent_not_found");
  });

  test("a route the version lacks is 404 (1.0 has no /tools, 1.1 no /teams)", async () => {
    expectError(await h.client.get("/no-such-resource"), 404, "not_found");
    if (!atLeast("1.1")) expectError(await h.client.get("/tools"), 404);
    if (!atLeast("1.2")) {
      expectError(await h.client.get("/teams"), 404);
      expectError(await h.client.get("/memories"), 404);
      expectError(await h.client.get("/data/export"), 404);
    }
  });
});

describe("422 validation", () => {
  test("an unknown field in the body", async () => {
    const res = await h.client.post("/agents", { name: "ok", colour: "blue" });
    expectInvalid(res, ["colour"]);
    if (fastapiErrors) {
      const item = res.json.detail.find((d: { loc: string[] }) => d.loc.includes("colour"));
      expect(item.loc[0]).toBe("body");
      expect(typeof item.msg).toBe("string");
      expect(typeof item.type).toBe("string");
    }
    // nothing was created
    expect((await h.client.get("/agents")).json.data).toHaveLength(0);
  });

  test("bad values: the answer names every bad path", async () => {
    const res = await h.client.post("/agents", { name: "", temperature: 5, max_tokens: "many", status: "sleeping" });
    expectInvalid(res, ["name", "temperature", "max_tokens", "status"]);
    const named = invalidFields(res);
    expect(named.some((n) => n.startsWith("model") || n.startsWith("description"))).toBe(false);
    if (!fastapiErrors) {
      for (const messages of Object.values(res.json.error.details.fields)) {
        expect(Array.isArray(messages)).toBe(true);
        expect((messages as string[]).length).toBeGreaterThan(0);
      }
    }
  });

  test("a missing required field", async () => {
    expectInvalid(await h.client.post("/agents", { description: "no name" }), ["name"]);
    expectInvalid(await h.client.post("/sessions", { goal: "no agent" }), ["agent_id"]);
  });

  test("name over 100 characters, metadata over 16 keys, a wrong type", async () => {
    const metadata = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"]));
    expectInvalid(await h.client.post("/agents", { name: "x".repeat(101) }), ["name"]);
    expectInvalid(await h.client.post("/agents", { name: "m", metadata }), ["metadata"]);
    expectInvalid(await h.client.post("/agents", { name: "m", metadata: { k: 1 } }), ["metadata"]);
    expectInvalid(await h.client.post("/agents", { name: 42 }), ["name"]);
  });

  test("webhooks: http url and empty events", async () => {
    const res = await h.client.post("/webhooks", { url: "http://example.com/hook", events: [] });
    expectInvalid(res, ["url", "events"]);
    expectInvalid(await h.client.post("/webhooks", { url: "https://example.com/hook", events: ["agent.exploded"] }), [
      "events",
    ]);
  });

  test("sessions: max_steps out of 1..100", async () => {
    const agent = await createAgent(h.client);
    expectInvalid(await h.client.post("/sessions", { agent_id: agent.id, goal: "g", max_steps: 0 }), ["max_steps"]);
    expectInvalid(await h.client.post("/sessions", { agent_id: agent.id, goal: "g", max_steps: 101 }), ["max_steps"]);
  });

  test("PATCH: an unknown field or a bad value changes nothing", async () => {
    const agent = await createAgent(h.client, "before");
    expectInvalid(await h.client.patch(`/agents/${agent.id}`, { name: "after", bogus: true }), ["bogus"]);
    expectInvalid(await h.client.patch(`/agents/${agent.id}`, { name: "after", temperature: -1 }), ["temperature"]);
    const now = await h.client.get(`/agents/${agent.id}`);
    expect(now.json).toEqual(agent);
  });

  test("a field of a later version is unknown to this one", async () => {
    const later: Record<string, unknown> = !atLeast("1.1")
      ? { tool_ids: [] }
      : !atLeast("1.2")
        ? { memory_enabled: true }
        : {};
    if (Object.keys(later).length === 0) {
      // 1.2 accepts both
      const agent = await createAgent(h.client, "all", { tool_ids: [], memory_enabled: true });
      expect(agent.memory_enabled).toBe(true);
      return;
    }
    expectInvalid(await h.client.post("/agents", { name: "x", ...later }), Object.keys(later));
  });
});

describe("400 and 413", () => {
  test("invalid JSON: 400 invalid_json", async () => {
    const res = await h.client.post("/agents", '{"name": "x",');
    expectError(res, 400, "invalid_json");
    const agent = await createAgent(h.client);
    expectError(await h.client.patch(`/agents/${agent.id}`, "nope"), 400, "invalid_json");
  });

  // Section 2: "Request bodies are JSON (Content-Type: application/json)". fetch sends a string body
  // left without a Content-Type as text/plain, which the API does not read as JSON.
  test("a body sent as text/plain or a form is refused (422 on the body), nothing created", async () => {
    const body = JSON.stringify({ name: "typed" });
    for (const type of ["text/plain;charset=UTF-8", "application/x-www-form-urlencoded"]) {
      const res = await h.client.post("/agents", body, { headers: { "Content-Type": type } });
      expectInvalid(res, version === "1.2" ? ["body"] : []);
    }
    const agent = await createAgent(h.client);
    expectError(
      await h.client.patch(`/agents/${agent.id}`, JSON.stringify({ name: "x" }), {
        headers: { "Content-Type": "text/plain" },
      }),
      422,
      "validation_error",
    );
    expect((await h.client.get("/agents")).json.data).toEqual([agent]);
    const charset = await h.client.post("/agents", body, {
      headers: { "Content-Type": "application/json; charset=utf-8" },
    });
    expect(charset.status).toBe(201);
  });

  test("a JSON body that is not an object: 400 or 422", async () => {
    const res = await h.client.post("/agents", "[1,2]");
    expect([400, 422]).toContain(res.status);
  });

  test("a body over 10 MiB: 413 request_too_large", async () => {
    const body = JSON.stringify({ name: "big", description: "x".repeat(10 * 1024 * 1024 + 10) });
    const res = await h.client.post("/agents", body);
    expectError(res, 413, "request_too_large");
    expect((await h.client.get("/agents")).json.data).toHaveLength(0);
  });

  test("the error bodies parse with the version's ErrorBody schema only", async () => {
    const res = await h.client.get(`/agents/${missingId()}`);
    expectSchema("ErrorBody", res.json);
    // and not with the other form
    const otherForm = version === "1.2" ? "1.0" : "1.2";
    expect(() => expectSchema("ErrorBody", res.json, otherForm)).toThrow();
  });
});
