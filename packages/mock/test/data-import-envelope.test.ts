// POST /data/import and the archive's top level (docs/protocol.md sections 5, 6 and 8):
// "Unknown fields in a request body get 422", and "the kinds that the archive's api_version lacks
// are left out" of an archive. A member the server would not import is refused, naming it, rather
// than dropped while the answer's counts say nothing of it; nothing of the archive goes in.
import { describe, expect, test } from "vitest";
import { archiveHeader } from "@resonantgenesis/schemas/meta";
import { AGENT_12 } from "../../schemas/test/samples.js";
import { call, mock } from "./helpers.js";

const AGENT = AGENT_12;
const TEAM = {
  id: "5d0c0000-0000-4000-8000-000000000001",
  object: "team",
  name: "t",
  description: null,
  agent_ids: [AGENT.id],
  lead_agent_id: null,
  coordination_mode: "sequential",
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
};
const head = (version: "1.0" | "1.1" | "1.2") => archiveHeader(version, "2026-01-01T00:00:00Z");

/** The error's field names (1.2's details.fields). */
const fieldsOf = (json: { error: { details?: { fields?: Record<string, string[]> } } }) =>
  Object.keys(json.error.details?.fields ?? {});

async function expectRefused(body: unknown, fields: string[]) {
  const api = mock();
  const res = await call(api, "POST", "/data/import", { body });
  expect(res.status).toBe(422);
  expect(res.json.error.code).toBe("validation_error");
  expect(fieldsOf(res.json).sort()).toEqual([...fields].sort());
  // Refused as a whole: not even the agent went in.
  expect((await call(api, "GET", `/agents/${AGENT.id}`)).status).toBe(404);
}

describe("an archive's unknown top-level members are a 422 naming each", () => {
  test("a kind the server does not have", () =>
    expectRefused({ ...head("1.2"), agents: [AGENT], widgets: [{ id: "w1", object: "widget" }] }, ["widgets"]));
  test("any other field", () => expectRefused({ ...head("1.2"), agents: [AGENT], foo: "bar" }, ["foo"]));
});

describe("a kind the archive's api_version lacks is a 422 naming it", () => {
  test("teams in a 1.0 archive", () => expectRefused({ ...head("1.0"), agents: [AGENT], teams: [TEAM] }, ["teams"]));
  test("tools in a 1.0 archive", () => expectRefused({ ...head("1.0"), agents: [AGENT], tools: [] }, ["tools"]));
  test("teams in a 1.1 archive", () => expectRefused({ ...head("1.1"), agents: [AGENT], teams: [] }, ["teams"]));
});

test("an archive of known members still imports, each version's kinds and on_conflict included", async () => {
  const api = mock();
  const v11 = await call(api, "POST", "/data/import", {
    body: { ...head("1.1"), tools: [], agents: [AGENT], sessions: [], webhooks: [], on_conflict: "skip" },
  });
  expect(v11.status).toBe(200);
  expect(v11.json.imported.agents).toBe(1);
  const v12 = await call(api, "POST", "/data/import", { body: { ...head("1.2"), teams: [TEAM] } });
  expect(v12.status).toBe(200);
  expect(v12.json.imported.teams).toBe(1);
});

test("the evolved server takes its own kinds, and refuses one it does not have", async () => {
  const api = mock({ evolve: true });
  const ok = await call(api, "POST", "/data/import", { body: { ...head("1.2"), workflows: [{ id: "w1" }] } });
  expect(ok.status).toBe(200);
  const refused = await call(api, "POST", "/data/import", { body: { ...head("1.2"), policies: [{ id: "p1" }] } });
  expect(refused.status).toBe(422);
  expect(fieldsOf(refused.json)).toEqual(["policies"]);
});
