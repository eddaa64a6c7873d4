// The README: `reset()` is "back to the state right after creation". The seeded objects are part of
// that state, so a test may keep an id read before a reset (a `beforeAll`) and use it after one.
import { expect, test } from "vitest";
import { DEMO_SEED } from "../src/index.js";
import { call, mock, raw } from "./helpers.js";

const KINDS = ["tools", "agents", "teams", "sessions", "memories", "webhooks"] as const;

/** Every export of the account (1.2), and each agent's triggers: the account's whole visible state. */
async function everything(api: ReturnType<typeof mock>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const kind of KINDS) out[kind] = (await call(api, "GET", `/${kind}/export`)).json[kind];
  out.triggers = (await call(api, "GET", "/triggers/export")).json.triggers;
  return out;
}

test("reset() brings the seeded objects back with the same ids and fields", async () => {
  const api = mock({ seed: true });
  const before = await everything(api);
  expect((before.agents as unknown[]).length).toBe(DEMO_SEED.agents);
  const firstAgent = (before.agents as { id: string }[])[0]!.id;
  // Changes a test makes, then the reset between tests.
  await call(api, "PATCH", `/agents/${firstAgent}`, { body: { name: "renamed" } });
  await call(api, "DELETE", `/agents/${(before.agents as { id: string }[])[1]!.id}`);
  await call(api, "POST", "/agents", { body: { name: "new one", model: "gpt-4-turbo" } });
  api.reset();
  expect(await everything(api)).toEqual(before);
  expect((await call(api, "GET", `/agents/${firstAgent}`)).json.name).toBe("agent-1");
});

test("after reset() a seeded session streams its whole log again, and seeded secrets stay", async () => {
  const api = mock({ seed: { agents: 1, sessions: 1, webhooks: 1 } });
  const [session] = (await call(api, "GET", "/sessions")).json.data;
  const [webhook] = (await call(api, "GET", "/webhooks")).json.data;
  const secret = api.webhookSecret(webhook.id);
  const stream = async () =>
    (
      await (
        await raw(api, "GET", `/sessions/${session.id}/stream`, { headers: { Accept: "text/event-stream" } })
      ).text()
    )
      .split("\n")
      .filter((line) => line.startsWith("event:"));
  const events = await stream();
  expect(events).toContain("event: message");
  api.reset();
  expect(await stream()).toEqual(events);
  expect(api.webhookSecret(webhook.id)).toBe(secret);
});

test("objects added after creation by api.seed() are gone after reset(), as the README says", async () => {
  const api = mock({ seed: { agents: 2 } });
  const [added] = api.seed({ agents: 1 }).agents;
  api.reset();
  expect((await call(api, "GET", `/agents/${added}`)).status).toBe(404);
  expect((await call(api, "GET", "/agents")).json.data).toHaveLength(2);
});

test("the evolved server's own kinds come back after reset() too", async () => {
  const api = mock({ seed: { agents: 2 }, evolve: true });
  const before = (await call(api, "GET", "/data/export")).json;
  await call(api, "POST", "/data/import", { body: { ...before, workflows: [{ id: "w-extra", object: "workflow" }] } });
  api.reset();
  const after = (await call(api, "GET", "/data/export")).json;
  expect({ ...after, exported_at: null }).toEqual({ ...before, exported_at: null });
});
