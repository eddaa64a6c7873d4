import { describe, expectTypeOf, test } from "vitest";
import { type RequestOptions, ResonantClient } from "@resonantgenesis/sdk";

// docs/sdk.md: "every call takes request options last: { signal, timeout, maxRetries, idempotencyKey, headers }".
// Each call of the resource table, written out, with all five; and a misspelt option does not compile.
const c = new ResonantClient({ apiKey: "rg_test_sk_x" });
const o = {
  signal: new AbortController().signal,
  timeout: 1_000,
  maxRetries: 1,
  idempotencyKey: "key-1",
  headers: { "x-trace": "t" },
};

describe("request options last", () => {
  test("the five options are RequestOptions", () => {
    expectTypeOf(o).toExtend<RequestOptions>();
  });

  test("every call of every resource takes them", () => {
    void [c.agents.list({}, o), c.agents.get("a", o), c.agents.create({ name: "n" }, o), c.agents.update("a", {}, o)];
    void [c.agents.delete("a", o), c.agents.export({}, o), c.agents.import({ agents: [] }, o)];
    void [c.sessions.list({}, o), c.sessions.get("s", o), c.sessions.create({ agent_id: "a", goal: "g" }, o)];
    void [c.sessions.cancel("s", o), c.sessions.delete("s", o), c.sessions.export({}, o)];
    void [c.sessions.steps.list("s", {}, o), c.sessions.stream({ agent_id: "a", goal: "g" }, o)];
    void [c.sessions.follow("s", o), c.sessions.import({ sessions: [] }, o)];
    void [c.webhooks.list({}, o), c.webhooks.get("w", o), c.webhooks.update("w", {}, o), c.webhooks.delete("w", o)];
    void [c.webhooks.create({ url: "https://h.example", events: ["agent.created"] }, o)];
    void [c.webhooks.export({}, o), c.webhooks.import({ webhooks: [] }, o)];
    void [c.tools.list({}, o), c.tools.get("t", o), c.tools.update("t", {}, o), c.tools.delete("t", o)];
    void [c.tools.export({}, o), c.tools.import({ tools: [] }, o)];
    void [c.teams.list({}, o), c.teams.get("t", o), c.teams.update("t", {}, o), c.teams.delete("t", o)];
    void [c.teams.export({}, o), c.teams.import({ teams: [] }, o)];
    void [c.memories.list({}, o), c.memories.get("m", o), c.memories.create({ content: "c" }, o)];
    void [c.memories.delete("m", o), c.memories.search({ query: "q" }, o)];
    void [c.memories.export({}, o), c.memories.import({ memories: [] }, o)];
    void [c.triggers.list("a", {}, o), c.triggers.create("a", { name: "n", goal_template: "g" }, o)];
    void [c.triggers.get("t", o), c.triggers.update("t", {}, o), c.triggers.delete("t", o)];
    void [c.triggers.pause("t", o), c.triggers.resume("t", o), c.triggers.export({}, o)];
    void [c.triggers.import({ triggers: [] }, o)];
    void [c.data.exportAll(o), c.data.exportStream(o)];
    void c.data.importAll({} as never, {
      onConflict: "skip",
      onProgress: ({ kind, done, total }) => void [kind, done, total],
      ...o,
    });
  });

  test("an option that is not one does not compile", () => {
    // @ts-expect-error idempotency_key is the wire's spelling, not the option's
    void c.agents.get("a", { idempotency_key: "k" });
  });
});
