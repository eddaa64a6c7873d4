// docs/protocol.md section 5 (1.1 streaming) and section 7's streamed session:
// POST /sessions with stream:true, increasing ids, session first, done last,
// deltas making the result; resume with Last-Event-ID after a cut, every
// later event exactly once; `: ping` comments.
import { describe, expect, test } from "vitest";
import {
  type Client,
  type Json,
  type SseEvent,
  atLeast,
  createAgent,
  direct,
  expectError,
  expectSchema,
  finished,
  missingId,
  readSse,
  until,
  useServer,
  version,
} from "./harness.js";

const h = useServer();
const EVENT_TYPES = ["session", "step", "message", "tool_call", "tool_result", "error", "done"];

async function startStream(client: Client, agentId: string, opts: { signal?: AbortSignal } = {}): Promise<Response> {
  return client.raw("POST", "/sessions", {
    body: { agent_id: agentId, goal: "greet the user", stream: true, max_steps: 3 },
    headers: { Accept: "text/event-stream" },
    ...opts,
  });
}

async function follow(client: Client, sessionId: string, lastEventId?: string): Promise<Response> {
  return client.raw("GET", `/sessions/${sessionId}/stream`, {
    headers: { Accept: "text/event-stream", ...(lastEventId !== undefined ? { "Last-Event-ID": lastEventId } : {}) },
  });
}

/** Every event parses with the version's StreamEvent schema, strictly; ids increase. */
function checkEvents(events: SseEvent[]): void {
  let last = -Infinity;
  for (const e of events) {
    expect(EVENT_TYPES).toContain(e.event);
    expectSchema("StreamEvent", { type: e.event, data: e.data });
    expect(e.id, `event ${e.event} has an id`).toMatch(/^\d+$/);
    const id = Number(e.id);
    expect(id).toBeGreaterThan(last);
    last = id;
  }
}

const deltas = (events: SseEvent[]): string =>
  events
    .filter((e) => e.event === "message")
    .map((e) => e.data.delta)
    .join("");

describe.runIf(!atLeast("1.1"))("1.0", () => {
  test("has no session stream", async () => {
    const agent = await createAgent(h.client);
    const session = await h.client.create("/sessions", { agent_id: agent.id, goal: "g" });
    expectError(await h.client.get(`/sessions/${session.id}/stream`), 404);
  });
});

describe.runIf(atLeast("1.1"))("streaming sessions", () => {
  test("POST /sessions stream:true: 200 text/event-stream, session first, done last, deltas make the result", async () => {
    const agent = await createAgent(h.client);
    const res = await startStream(h.client, agent.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const { events, ended } = await readSse(res);
    expect(ended).toBe(true);
    checkEvents(events);
    expect(events[0]!.event).toBe("session");
    expect(events[0]!.data.status).toBe("running");
    const done = events.at(-1)!;
    expect(done.event).toBe("done");
    expect(events.filter((e) => e.event === "done")).toHaveLength(1);
    expect(done.data.status).toBe("completed");
    expect(deltas(events)).toBe(done.data.result);
    expect(done.data.result.length).toBeGreaterThan(0);
    const id = events[0]!.data.id;
    for (const e of events) if (e.event === "step") expect(e.data.session_id).toBe(id);
    // the stream agrees with the REST view of the session and its steps
    const got = await h.client.get(`/sessions/${id}`);
    expect(got.json).toEqual(done.data);
    const steps = await h.client.listAll(`/sessions/${id}/steps`);
    const lastStepEvent = new Map<string, Json>();
    for (const e of events) if (e.event === "step") lastStepEvent.set(e.data.id, e.data);
    expect([...lastStepEvent.values()]).toEqual(steps);
    // a step event each time a step starts and each time it ends
    for (const step of steps) {
      const seen = events.filter((e) => e.event === "step" && e.data.id === step.id).map((e) => e.data.status);
      expect(seen, `step ${step.step_number}`).toEqual(["running", step.status]);
    }
    expect(done.data.steps_completed).toBe(steps.length);
  });

  test("an agent with a tool: tool_call and tool_result name a tool_call step of the stream and the tool", async () => {
    const tool = await h.client.create("/tools", { name: "lookup", endpoint: "https://tools.example.com/lookup" });
    const agent = await createAgent(h.client, "tooled", { tool_ids: [tool.id] });
    const { events } = await readSse(await startStream(h.client, agent.id));
    checkEvents(events);
    const calls = events.filter((e) => e.event === "tool_call");
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call.data.tool_id).toBe(tool.id);
      const step = events.find((e) => e.event === "step" && e.data.id === call.data.step_id);
      expect(step?.data.action).toBe("tool_call");
      const result = events.find((e) => e.event === "tool_result" && e.data.step_id === call.data.step_id);
      expect(Number(result?.id)).toBeGreaterThan(Number(call.id));
    }
  });

  test("GET /sessions/{id}/stream follows a session started without streaming", async () => {
    const agent = await createAgent(h.client);
    const session = await h.client.create("/sessions", { agent_id: agent.id, goal: "g", max_steps: 3 });
    const { events, ended } = await readSse(await follow(h.client, session.id));
    expect(ended).toBe(true);
    checkEvents(events);
    const done = events.at(-1)!;
    expect(done.event).toBe("done");
    expect(done.data.id).toBe(session.id);
    expect((await finished(h.client, session.id)).result).toBe(done.data.result);
  });

  test("a stream for a missing session: 404 session_not_found", async () => {
    expectError(await h.client.get(`/sessions/${missingId()}/stream`), 404, "session_not_found");
  });

  /** The whole stream after `afterId`, read from a finished session (the reference). */
  async function replay(sessionId: string, afterId: string): Promise<SseEvent[]> {
    await finished(h.client, sessionId);
    const { events } = await readSse(await follow(h.client, sessionId, afterId));
    return events;
  }

  test.each([1, 2, 3, 5])(
    "abort the fetch after %i events, resume with Last-Event-ID: every later event exactly once",
    async (n) => {
      const agent = await createAgent(h.client);
      const abort = new AbortController();
      const res = await startStream(h.client, agent.id, { signal: abort.signal });
      const cut = await readSse(res, { stopAfter: n, abort });
      expect(cut.events).toHaveLength(n);
      const sessionId = cut.events[0]!.data.id;
      const lastId = cut.events.at(-1)!.id!;
      const resumed = await readSse(await follow(h.client, sessionId, lastId));
      expect(resumed.ended).toBe(true);
      const all = [...cut.events, ...resumed.events];
      checkEvents(all);
      expect(all[0]!.event).toBe("session");
      expect(all.at(-1)!.event).toBe("done");
      expect(resumed.events.every((e) => Number(e.id) > Number(lastId))).toBe(true);
      expect(deltas(all)).toBe(all.at(-1)!.data.result);
      // nothing lost: the same as an uncut replay of everything after the first event
      const reference = await replay(sessionId, cut.events[0]!.id!);
      expect(all.slice(1).map((e) => [e.id, e.event, e.raw])).toEqual(reference.map((e) => [e.id, e.event, e.raw]));
    },
  );

  test("the server cuts the stream (fault cutStreamAfter: 2), resume after event 2 answers 3, 4, ... done", async () => {
    const agent = await createAgent(h.client);
    h.api.faults.once({ cutStreamAfter: 2, method: "POST", path: "/sessions" });
    const first = await readSse(await startStream(h.client, agent.id));
    expect(first.events).toHaveLength(2);
    expect(first.events.at(-1)!.event).not.toBe("done");
    const sessionId = first.events[0]!.data.id;
    const rest = await readSse(await follow(h.client, sessionId, first.events[1]!.id));
    const all = [...first.events, ...rest.events];
    checkEvents(all);
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    expect(all.at(-1)!.event).toBe("done");
    const reference = await replay(sessionId, first.events[0]!.id!);
    expect(all.slice(1).map((e) => e.raw)).toEqual(reference.map((e) => e.raw));
    expect(deltas(all)).toBe(all.at(-1)!.data.result);
  });

  test("cut twice, resumed twice: still every event once", async () => {
    const agent = await createAgent(h.client);
    h.api.faults.once({ cutStreamAfter: 1, method: "POST", path: "/sessions" });
    const a = await readSse(await startStream(h.client, agent.id));
    const sessionId = a.events[0]!.data.id;
    h.api.faults.once({ cutStreamAfter: 1, method: "GET", path: "/sessions/*/stream" });
    const b = await readSse(await follow(h.client, sessionId, a.events.at(-1)!.id));
    expect(b.events).toHaveLength(1);
    const c = await readSse(await follow(h.client, sessionId, b.events.at(-1)!.id));
    const all = [...a.events, ...b.events, ...c.events];
    checkEvents(all);
    expect(all.at(-1)!.event).toBe("done");
    expect(all.slice(1).map((e) => e.raw)).toEqual((await replay(sessionId, a.events[0]!.id!)).map((e) => e.raw));
  });

  test("Last-Event-ID of the done event: nothing more, the stream ends", async () => {
    const agent = await createAgent(h.client);
    const { events } = await readSse(await startStream(h.client, agent.id));
    const done = events.at(-1)!;
    const after = await readSse(await follow(h.client, done.data.id, done.id));
    expect(after.ended).toBe(true);
    expect(after.events).toEqual([]);
  });

  test("`: ping` comments with a small pingIntervalMs (through api.fetch)", async () => {
    const slow = direct({ pingIntervalMs: 20, stepDelayMs: 120 });
    const agent = await createAgent(slow.client);
    const { events, comments } = await readSse(await startStream(slow.client, agent.id));
    expect(comments.filter((c) => c === "ping").length).toBeGreaterThanOrEqual(2);
    checkEvents(events);
    expect(events.at(-1)!.event).toBe("done");
    slow.api.close();
  });

  test("cancelling a streamed session ends its stream with done, status cancelled", async () => {
    const slow = direct({ stepDelayMs: 200 });
    const agent = await createAgent(slow.client);
    const res = await startStream(slow.client, agent.id);
    const reading = readSse(res);
    const sessionId = (await until(async () => (await slow.client.get("/sessions")).json.data[0]?.id)) as string;
    expect((await slow.client.post(`/sessions/${sessionId}/cancel`)).status).toBe(200);
    const { events, ended } = await reading;
    expect(ended).toBe(true);
    checkEvents(events);
    expect(events.at(-1)!.event).toBe("done");
    expect(events.at(-1)!.data.status).toBe("cancelled");
    slow.api.close();
  });

  test(`the stream events carry ${version} objects`, async () => {
    const agent = await createAgent(h.client);
    const { events } = await readSse(await startStream(h.client, agent.id));
    const session = events[0]!.data;
    expectSchema("Session", session);
    if (version === "1.2") expect(session).toHaveProperty("team_id");
    else expect(session).not.toHaveProperty("team_id");
  });
});
