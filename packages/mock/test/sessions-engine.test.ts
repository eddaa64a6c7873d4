import { describe, expect, test } from "vitest";
import { answerFor, deltasOf } from "../src/domain/sessions-engine.js";
import { call, mock, raw, readSse, type Sse } from "./helpers.js";
import type { MockApi } from "../src/index.js";

async function agent(api: MockApi, extra: Record<string, unknown> = {}): Promise<{ id: string }> {
  return (await call(api, "POST", "/agents", { body: { name: "a", ...extra } })).json;
}

async function streamed(api: MockApi, body: Record<string, unknown>, version: "1.1" | "1.2" = "1.2") {
  const res = await raw(api, "POST", "/sessions", {
    body: { ...body, stream: true },
    headers: { Accept: "text/event-stream" },
    version,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
  return readSse(res);
}

const names = (events: Sse[]) => events.map((e) => e.event);

describe("the script", () => {
  test("deltas concatenate to the answer", () => {
    const answer = answerFor("a goal with quite a lot of words in it, more than eight surely");
    expect(deltasOf(answer).join("")).toBe(answer);
    expect(deltasOf(answer).length).toBeLessThanOrEqual(8);
  });

  test("no tools: session, think, respond with messages, done; ids 1..n; result = deltas", async () => {
    const api = mock();
    const { events } = await streamed(api, { agent_id: (await agent(api)).id, goal: "greet" });
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]!.event).toBe("session");
    expect(events.at(-1)!.event).toBe("done");
    const kinds = names(events).filter((n) => n !== "message");
    expect(kinds).toEqual(["session", "step", "step", "step", "step", "done"]);
    const done = events.at(-1)!.data as { status: string; result: string; steps_completed: number };
    expect(done.status).toBe("completed");
    expect(
      events
        .filter((e) => e.event === "message")
        .map((e) => (e.data as { delta: string }).delta)
        .join(""),
    ).toBe(done.result);
    expect(done.steps_completed).toBe(2);
    const steps = (await call(api, "GET", `/sessions/${(events[0]!.data as { id: string }).id}/steps`)).json.data;
    expect(steps.map((s: { action: string; step_number: number }) => [s.step_number, s.action])).toEqual([
      [1, "think"],
      [2, "respond"],
    ]);
  });

  test("an agent with tools gets tool_call and tool_result events naming its tool", async () => {
    const api = mock();
    const tool = (await call(api, "POST", "/tools", { body: { name: "search", endpoint: "https://t.example.com/s" } }))
      .json;
    const { events } = await streamed(api, { agent_id: (await agent(api, { tool_ids: [tool.id] })).id, goal: "find" });
    const call1 = events.find((e) => e.event === "tool_call")!.data as { tool_id: string; step_id: string };
    const result = events.find((e) => e.event === "tool_result")!.data as { tool_id: string; step_id: string };
    expect(call1.tool_id).toBe(tool.id);
    expect(result.step_id).toBe(call1.step_id);
    expect(names(events).indexOf("tool_call")).toBeLessThan(names(events).indexOf("tool_result"));
  });

  test("max_steps 1: only a respond step", async () => {
    const api = mock();
    const { events } = await streamed(api, { agent_id: (await agent(api)).id, goal: "short", max_steps: 1 });
    const steps = events.filter((e) => e.event === "step").map((e) => (e.data as { action: string }).action);
    expect(new Set(steps)).toEqual(new Set(["respond"]));
  });

  test("#fail in the goal: an error event in the version's form, then done with failed", async () => {
    const api = mock();
    const { events } = await streamed(api, { agent_id: (await agent(api)).id, goal: "please #fail" }, "1.1");
    const error = events.find((e) => e.event === "error")!.data as { detail: unknown };
    expect(error.detail).toBeDefined();
    expect((events.at(-1)!.data as { status: string }).status).toBe("failed");
  });

  test("1.1 stream data has no 1.2 fields", async () => {
    const api = mock();
    const { events } = await streamed(api, { agent_id: (await agent(api)).id, goal: "x" }, "1.1");
    expect(events[0]!.data).not.toHaveProperty("team_id");
  });
});

describe("resume with Last-Event-ID", () => {
  test("replays exactly the events after the id, and the whole log equals a fresh read", async () => {
    const api = mock();
    const { events } = await streamed(api, { agent_id: (await agent(api)).id, goal: "resume me" });
    const id = (events[0]!.data as { id: string }).id;
    for (const last of [0, 1, 2, 5, events.length]) {
      const res = await raw(api, "GET", `/sessions/${id}/stream`, { headers: { "Last-Event-ID": String(last) } });
      const after = await readSse(res);
      expect(after.events.map((e) => e.id)).toEqual(events.filter((e) => e.id > last).map((e) => e.id));
      expect(after.events).toEqual(events.filter((e) => e.id > last));
    }
  });

  test("following a running session: past events, then live ones, none twice", async () => {
    const api = mock({ stepDelayMs: 15 });
    const created = await call(api, "POST", "/sessions", {
      body: { agent_id: (await agent(api)).id, goal: "live one" },
    });
    expect(created.status).toBe(201);
    expect(created.json.status).toBe("running");
    await new Promise((r) => setTimeout(r, 40));
    const { events } = await readSse(
      await raw(api, "GET", `/sessions/${created.json.id}/stream`, { headers: { "Last-Event-ID": "1" } }),
    );
    expect(events[0]!.id).toBe(2);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 2));
    expect(events.at(-1)!.event).toBe("done");
  });

  test("a bad Last-Event-ID is a 400", async () => {
    const api = mock();
    const { events } = await streamed(api, { agent_id: (await agent(api)).id, goal: "x" });
    const res = await call(api, "GET", `/sessions/${(events[0]!.data as { id: string }).id}/stream`, {
      headers: { "Last-Event-ID": "abc" },
    });
    expect(res.status).toBe(400);
  });
});

describe("cancel, ping, delete", () => {
  test("cancel stops the run: status cancelled, the stream ends with done, no more steps", async () => {
    const api = mock({ stepDelayMs: 30 });
    const s = (await call(api, "POST", "/sessions", { body: { agent_id: (await agent(api)).id, goal: "cancel me" } }))
      .json;
    const streamRes = await raw(api, "GET", `/sessions/${s.id}/stream`);
    await new Promise((r) => setTimeout(r, 45));
    const cancelled = await call(api, "POST", `/sessions/${s.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.status).toBe("cancelled");
    expect(cancelled.json.completed_at).not.toBeNull();
    const { events } = await readSse(streamRes);
    expect(events.at(-1)!.event).toBe("done");
    expect((events.at(-1)!.data as { status: string }).status).toBe("cancelled");
    const stepsBefore = (await call(api, "GET", `/sessions/${s.id}/steps`)).json.data.length;
    await new Promise((r) => setTimeout(r, 100));
    expect((await call(api, "GET", `/sessions/${s.id}/steps`)).json.data.length).toBe(stepsBefore);
    expect((await call(api, "GET", `/sessions/${s.id}`)).json.status).toBe("cancelled");
    // cancelling again is a no-op
    expect((await call(api, "POST", `/sessions/${s.id}/cancel`)).json.status).toBe("cancelled");
  });

  test("`: ping` comments at pingIntervalMs while a stream is open", async () => {
    const api = mock({ stepDelayMs: 60, pingIntervalMs: 15 });
    const { comments, events } = await streamed(api, { agent_id: (await agent(api)).id, goal: "slow" });
    expect(comments.filter((c) => c === "ping").length).toBeGreaterThanOrEqual(2);
    expect(events.at(-1)!.event).toBe("done");
  });

  test("seeded sessions are completed, with steps, and stream their whole log", async () => {
    const api = mock();
    const { sessions } = api.seed({ agents: 2, sessions: 3 });
    for (const id of sessions) {
      const s = (await call(api, "GET", `/sessions/${id}`)).json;
      expect(s.status).toBe("completed");
      expect((await call(api, "GET", `/sessions/${id}/steps`)).json.data.length).toBeGreaterThan(0);
      const { events } = await readSse(await raw(api, "GET", `/sessions/${id}/stream`));
      expect(events.at(-1)!.data).toEqual(s);
    }
  });

  test("deleting a running session ends its stream and stops its timers", async () => {
    const api = mock({ stepDelayMs: 30 });
    const s = (await call(api, "POST", "/sessions", { body: { agent_id: (await agent(api)).id, goal: "gone" } })).json;
    const streamRes = raw(api, "GET", `/sessions/${s.id}/stream`);
    expect((await call(api, "DELETE", `/sessions/${s.id}`)).status).toBe(204);
    const { events } = await readSse(await streamRes);
    expect(events.some((e) => e.event === "done")).toBe(false);
    expect((await call(api, "GET", `/sessions/${s.id}`)).status).toBe(404);
  });
});

describe("a session that nothing runs any more still streams to its done", () => {
  test("an imported running session is played out from where it is, its running step failed", async () => {
    const api = mock();
    const [id] = api.seed({ agents: 1, sessions: 1 }).sessions;
    const exported = (await call(api, "GET", "/sessions/export")).json.sessions[0];
    const [first] = exported.steps;
    expect((await call(api, "DELETE", `/sessions/${id}`)).status).toBe(204);
    const running = { ...exported, status: "running", result: null, completed_at: null };
    const imported = { ...running, steps: [{ ...first, status: "running", output: null }] };
    expect((await call(api, "POST", "/sessions/import", { body: { sessions: [imported] } })).status).toBe(200);

    const { events } = await readSse(await raw(api, "GET", `/sessions/${id}/stream`));
    expect(events[1]).toMatchObject({ event: "step", data: { id: first.id, status: "failed" } });
    expect(events.at(-1)).toMatchObject({ event: "done", data: { id, status: "completed" } });
    const steps = (await call(api, "GET", `/sessions/${id}/steps`)).json.data;
    expect(steps[0]).toMatchObject({ id: first.id, step_number: 1, status: "failed" });
    expect(steps.slice(1).map((s: { step_number: number }) => s.step_number)).toEqual([2, 3]);
  });

  test("a session running when close() stopped the timers ends when its stream is asked for again", async () => {
    const api = mock({ stepDelayMs: 20 });
    const s = (await call(api, "POST", "/sessions", { body: { agent_id: (await agent(api)).id, goal: "later" } })).json;
    api.close();
    expect((await call(api, "GET", `/sessions/${s.id}`)).json.status).toBe("running");
    const { events } = await readSse(await raw(api, "GET", `/sessions/${s.id}/stream`));
    expect(events.at(-1)).toMatchObject({ event: "done", data: { id: s.id, status: "completed" } });
    api.close();
  });

  test("a streamed create replayed after its session was deleted is a 404, not the mock's own 500", async () => {
    const api = mock();
    const body = { agent_id: (await agent(api)).id, goal: "once", stream: true };
    const headers = { Accept: "text/event-stream", "Idempotency-Key": "stream-then-delete" };
    const { events } = await readSse(await raw(api, "POST", "/sessions", { body, headers }));
    const id = (events[0]!.data as { id: string }).id;
    expect((await call(api, "DELETE", `/sessions/${id}`)).status).toBe(204);
    const replay = await call(api, "POST", "/sessions", { body, headers });
    expect(replay.status).toBe(404);
    expect(replay.json.error).toMatchObject({ code: "session_not_found" });
  });
});
