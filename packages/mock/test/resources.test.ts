import { describe, expect, test } from "vitest";
import { signWebhook } from "../src/index.js";
import { call, mock, raw } from "./helpers.js";

describe("resource rules", () => {
  test("agent version +1 on every update, tool_ids checked (422 naming the bad index)", async () => {
    const api = mock();
    const agent = (await call(api, "POST", "/agents", { body: { name: "a" } })).json;
    expect(agent.version).toBe(1);
    expect((await call(api, "PATCH", `/agents/${agent.id}`, { body: { name: "b" } })).json.version).toBe(2);
    expect((await call(api, "PATCH", `/agents/${agent.id}`, { body: {}, version: "1.0" })).status).toBe(200);
    expect((await call(api, "GET", `/agents/${agent.id}`)).json.version).toBe(3);
    const bad = await call(api, "PATCH", `/agents/${agent.id}`, { body: { tool_ids: [crypto.randomUUID()] } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.error.details.fields)).toEqual(["tool_ids.0"]);
  });

  test("tools: headers shown as ***, names unique (409 name_taken), deleting a tool unlinks it", async () => {
    const api = mock();
    const body = { name: "lookup", endpoint: "https://t.example.com", headers: { Authorization: "Bearer s3cret" } };
    const tool = (await call(api, "POST", "/tools", { body })).json;
    expect(tool.headers).toEqual({ Authorization: "***" });
    expect(JSON.stringify((await call(api, "GET", "/tools")).json)).not.toContain("s3cret");
    const taken = await call(api, "POST", "/tools", { body });
    expect(taken.status).toBe(409);
    expect(taken.json.error.code).toBe("name_taken");
    const agent = (await call(api, "POST", "/agents", { body: { name: "a", tool_ids: [tool.id] } })).json;
    await call(api, "DELETE", `/tools/${tool.id}`);
    expect((await call(api, "GET", `/agents/${agent.id}`)).json.tool_ids).toEqual([]);
  });

  test("memory search: scores fall, min_score and limit apply, zero scores left out", async () => {
    const api = mock();
    for (const content of [
      "the billing team likes short answers",
      "billing invoices are due monthly",
      "unrelated note about cats",
    ])
      await call(api, "POST", "/memories", { body: { content } });
    const res = await call(api, "POST", "/memories/search", { body: { query: "billing short answers" } });
    const scores = res.json.data.map((h: { score: number }) => h.score);
    expect(scores).toEqual([1, 0.3333]);
    expect(res.json.data[0].memory.content).toContain("short answers");
    const strict = await call(api, "POST", "/memories/search", {
      body: { query: "billing short answers", min_score: 0.5 },
    });
    expect(strict.json.data).toHaveLength(1);
  });

  test("teams: members must exist and the lead be one of them, also on PATCH", async () => {
    const api = mock();
    const a = (await call(api, "POST", "/agents", { body: { name: "a" } })).json;
    const b = (await call(api, "POST", "/agents", { body: { name: "b" } })).json;
    const missing = await call(api, "POST", "/teams", { body: { name: "t", agent_ids: [a.id, crypto.randomUUID()] } });
    expect(Object.keys(missing.json.error.details.fields)).toEqual(["agent_ids.1"]);
    const team = (await call(api, "POST", "/teams", { body: { name: "t", agent_ids: [a.id], lead_agent_id: a.id } }))
      .json;
    const badLead = await call(api, "PATCH", `/teams/${team.id}`, { body: { lead_agent_id: b.id } });
    expect(badLead.status).toBe(422);
    const session = await call(api, "POST", "/sessions", { body: { team_id: team.id, goal: "together" } });
    expect(session.json).toMatchObject({ team_id: team.id, agent_id: a.id });
  });
});

describe("trigger fire calls", () => {
  test("a signed call starts a session with the filled goal; a bad signature is 401; paused is ignored", async () => {
    const api = mock({ now: "2026-11-24T10:00:00Z" });
    const agent = (await call(api, "POST", "/agents", { body: { name: "a" } })).json;
    const trigger = (
      await call(api, "POST", `/agents/${agent.id}/triggers`, {
        body: { name: "t", goal_template: "Handle ticket {ticket_id}" },
      })
    ).json;
    expect(trigger.secret).toMatch(/^whsec_/);
    expect((await call(api, "GET", `/triggers/${trigger.id}`)).json).not.toHaveProperty("secret");
    const body = JSON.stringify({ ticket_id: "T-42" });
    const fire = async (headers: Record<string, string>) =>
      api.fetch(
        new Request(trigger.webhook_url, {
          method: "POST",
          body,
          headers: { "Content-Type": "application/json", ...headers },
        }),
      );
    const signed = await signWebhook({ secret: trigger.secret, body, timestamp: api.clock.now() });
    const res = await fire(signed);
    expect(res.status).toBe(202);
    const answer = await res.json();
    expect(answer.status).toBe("started");
    expect((await call(api, "GET", `/sessions/${answer.session_id}`)).json.goal).toBe("Handle ticket T-42");
    expect((await fire({ ...signed, "X-Webhook-Signature": "sha256=00" })).status).toBe(401);
    api.clock.advance(301_000);
    expect((await fire(signed)).status).toBe(401);
    await call(api, "POST", `/triggers/${trigger.id}/pause`);
    const paused = await fire(await signWebhook({ secret: trigger.secret, body, timestamp: api.clock.now() }));
    expect((await paused.json()).status).toBe("paused");
  });

  const fireAt = async (api: ReturnType<typeof mock>, url: string, secret: string) => {
    const body = JSON.stringify({ ticket_id: "T-1" });
    const headers = await signWebhook({ secret, body, timestamp: api.clock.now() });
    const res = await api.fetch(new Request(url, { method: "POST", body, headers }));
    return { status: res.status, json: await res.json() };
  };

  test("a trigger imported into a second account keeps its id: each account's copy fires with its own secret", async () => {
    const api = mock({ now: "2026-11-24T10:00:00Z" });
    const agent = (await call(api, "POST", "/agents", { body: { name: "a" } })).json;
    const trigger = (
      await call(api, "POST", `/agents/${agent.id}/triggers`, { body: { name: "t", goal_template: "Do {ticket_id}" } })
    ).json;
    const { key } = api.createAccount();
    await call(api, "POST", "/agents/import", { key, body: { agents: [agent] } });
    const copy = (await call(api, "GET", `/triggers/${trigger.id}`)).json;
    const imported = await call(api, "POST", "/triggers/import", { key, body: { triggers: [copy] } });
    expect(imported.status).toBe(200);
    const secondSecret = api.webhookSecret(trigger.id, { key })!;
    expect(secondSecret).not.toBe(trigger.secret);

    const first = await fireAt(api, trigger.webhook_url, trigger.secret);
    expect(first).toMatchObject({ status: 202, json: { status: "started" } });
    expect((await call(api, "GET", `/sessions/${first.json.session_id}`)).status).toBe(200);
    const second = await fireAt(api, trigger.webhook_url, secondSecret);
    expect(second).toMatchObject({ status: 202, json: { status: "started" } });
    expect((await call(api, "GET", `/sessions/${second.json.session_id}`, { key })).status).toBe(200);
    expect((await fireAt(api, trigger.webhook_url, "whsec_wrong")).status).toBe(401);
  });

  test("a mock clock set back before the last fire starts the debounce afresh", async () => {
    const api = mock({ now: "2026-11-24T10:00:00Z" });
    const agent = (await call(api, "POST", "/agents", { body: { name: "a" } })).json;
    const trigger = (
      await call(api, "POST", `/agents/${agent.id}/triggers`, {
        body: { name: "t", goal_template: "Do {ticket_id}", debounce_seconds: 60 },
      })
    ).json;
    expect((await fireAt(api, trigger.webhook_url, trigger.secret)).json.status).toBe("started");
    expect((await fireAt(api, trigger.webhook_url, trigger.secret)).json.status).toBe("debounced");
    api.clock.set("2026-11-24T09:00:00Z");
    expect((await fireAt(api, trigger.webhook_url, trigger.secret)).json.status).toBe("started");
  });

  test("a fire call whose id holds a malformed escape is a 404, as on every route", async () => {
    const api = mock();
    const res = await raw(api, "POST", "/triggers/%ZZ/fire", { key: null, body: {} });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "trigger_not_found" } });
  });
});

describe("paths", () => {
  test("a path with `//` below /api is a 404, never another route or the mock's own error", async () => {
    const api = mock();
    for (const path of ["/api//v1.2/agents", "/api//evil.example/agents", "/api//agents"]) {
      const res = await raw(api, "GET", path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
  });
});
