// docs/protocol.md section 8: within 1.x a server may send "new values of any enum" and "new webhook
// event types" to any client, and "an export then import made by an older client must carry them over".
// So an object a 1.2 client stored with values 1.0 and 1.1 lack is answered to those versions with the
// values as stored (not a 500, not left out), and an older client's archive holding them imports whole.
import { describe, expect, test } from "vitest";
import { archiveHeader } from "@resonantgenesis/schemas/meta";
import { call, mock } from "./helpers.js";

const HOOK = { url: "https://hooks.example.com/a", events: ["agent.created", "team.created"] };

describe("a webhook with 1.2-only events, read and changed through 1.0 and 1.1", () => {
  test.each(["1.0", "1.1"] as const)("%s lists it and gets it with every stored event", async (version) => {
    const api = mock();
    const created = await call(api, "POST", "/webhooks", { body: HOOK });
    expect(created.status).toBe(201);
    const list = await call(api, "GET", "/webhooks", { version });
    expect(list.status).toBe(200);
    expect(list.json.data[0].events).toEqual(HOOK.events);
    // The older version's shape: 1.2's fields are still left out.
    expect(list.json.data[0]).not.toHaveProperty("filters");
    const one = await call(api, "GET", `/webhooks/${created.json.id}`, { version });
    expect(one.status).toBe(200);
    expect(one.json.events).toEqual(HOOK.events);
  });

  test.each(["1.0", "1.1"] as const)("%s PATCH answers 200 and keeps the events it did not name", async (version) => {
    const api = mock();
    const created = await call(api, "POST", "/webhooks", {
      body: { url: "https://hooks.example.com/b", events: ["memory.created", "trigger.fired"] },
    });
    const patched = await call(api, "PATCH", `/webhooks/${created.json.id}`, { version, body: { active: false } });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ active: false, events: ["memory.created", "trigger.fired"] });
    const after = await call(api, "GET", `/webhooks/${created.json.id}`);
    expect(after.json).toMatchObject({ active: false, events: ["memory.created", "trigger.fired"] });
  });

  test("a request still names only its own version's values (section 8: a client checks what it sends)", async () => {
    const api = mock();
    const created = await call(api, "POST", "/webhooks", { body: HOOK });
    const patched = await call(api, "PATCH", `/webhooks/${created.json.id}`, {
      version: "1.1",
      body: { events: HOOK.events },
    });
    expect(patched.status).toBe(422);
    // Refused before anything changed.
    expect((await call(api, "GET", `/webhooks/${created.json.id}`)).json.updated_at).toBe(created.json.updated_at);
  });
});

describe("an older client's archive carries the values it was answered", () => {
  test.each(["1.0", "1.1"] as const)("a %s archive of such a webhook imports with its events", async (version) => {
    const source = mock();
    await call(source, "POST", "/webhooks", { body: HOOK });
    // Before 1.2 an archive takes webhooks from the list (there is no /webhooks/export).
    expect((await call(source, "GET", "/webhooks/export", { version })).status).toBe(404);
    const listed = (await call(source, "GET", "/webhooks", { version })).json.data;
    const agents = (await call(source, "GET", "/agents/export", { version })).json.agents;
    const sessions = (await call(source, "GET", "/sessions/export", { version })).json.sessions;
    const archive = { ...archiveHeader(version, new Date().toISOString()), agents, sessions, webhooks: listed };
    const target = mock();
    const result = await call(target, "POST", "/data/import", { body: archive });
    expect(result.status).toBe(200);
    expect(result.json.imported.webhooks).toBe(1);
    expect(result.json.failed).toEqual([]);
    const imported = await call(target, "GET", `/webhooks/${listed[0].id}`);
    expect(imported.json.events).toEqual(HOOK.events);
  });

  test("a value no version has still fails its item", async () => {
    const api = mock();
    const webhook = {
      id: "5d0c0000-0000-4000-8000-0000000000aa",
      object: "webhook",
      url: "https://hooks.example.com/c",
      events: ["agent.created", "agent.exploded"],
      active: true,
      created_at: "2026-01-01T00:00:00Z",
      updated_at: "2026-01-01T00:00:00Z",
    };
    const archive = { ...archiveHeader("1.0", "2026-01-01T00:00:00Z"), agents: [], sessions: [], webhooks: [webhook] };
    const result = await call(api, "POST", "/data/import", { body: archive });
    expect(result.status).toBe(200);
    expect(result.json.imported.webhooks).toBe(0);
    expect(result.json.failed).toMatchObject([{ kind: "webhooks", id: webhook.id }]);
  });
});
