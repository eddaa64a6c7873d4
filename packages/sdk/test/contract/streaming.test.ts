import { describe, expect, test } from "vitest";
import type { SessionStreamEvent } from "@resonantgenesis/sdk";
import { atLeast, useMock, version } from "./harness.js";

const mock = useMock();
const client = () => mock.client();

async function collect(events: AsyncIterable<SessionStreamEvent>): Promise<SessionStreamEvent[]> {
  const out: SessionStreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

function checkWhole(events: SessionStreamEvent[]) {
  expect(events[0]?.type).toBe("session");
  const last = events.at(-1);
  expect(last?.type).toBe("done");
  const text = events.flatMap((e) => (e.type === "message" ? [e.data.delta] : [])).join("");
  if (last?.type === "done") expect(last.data.result).toBe(text);
}

describe.runIf(atLeast("1.1"))(`streaming (API ${version})`, () => {
  test("stream() runs a session and yields typed events, session first and done last", async () => {
    const c = client();
    const agent = await c.agents.create({ name: "streamer" });
    const events = await collect(c.sessions.stream({ agent_id: agent.id, goal: "greet the world" }));
    checkWhole(events);
    expect(events.some((e) => e.type === "step")).toBe(true);
  });

  test("a cut connection is resumed with Last-Event-ID: nothing lost, nothing twice", async () => {
    const c = client();
    const agent = await c.agents.create({ name: "resumer" });
    const whole = await collect(c.sessions.stream({ agent_id: agent.id, goal: "count to five" }));
    mock.sent.length = 0;
    mock.api.faults.once({ cutStreamAfter: 2, method: "POST", path: "/sessions" });
    const resumed = await collect(c.sessions.stream({ agent_id: agent.id, goal: "count to five" }));
    checkWhole(resumed);
    expect(resumed.map((e) => e.type)).toEqual(whole.map((e) => e.type));
    const follow = mock.sent.find((r) => r.method === "GET" && r.url.endsWith("/stream"));
    expect(follow?.headers.get("last-event-id")).toBe("2");
  });

  test("follow() reads a running session from the start", async () => {
    const c = client();
    const agent = await c.agents.create({ name: "followed" });
    const session = await c.sessions.create({ agent_id: agent.id, goal: "say hello" });
    const events = await collect(c.sessions.follow(session.id));
    checkWhole(events);
    expect(events[0]?.data).toMatchObject({ id: session.id });
  });

  test("leaving the loop closes the request", async () => {
    const signals: AbortSignal[] = [];
    const c = mock.client({
      fetch: (input, init) => {
        signals.push(input.signal);
        return fetch(input, init);
      },
    });
    const agent = await c.agents.create({ name: "leaver" });
    const seen: string[] = [];
    for await (const event of c.sessions.stream({ agent_id: agent.id, goal: "a long goal with many words to say" })) {
      seen.push(event.type);
      if (seen.length === 2) break;
    }
    expect(seen).toHaveLength(2);
    // The agents.create call's signal stays as it was; the stream's is aborted.
    expect(signals.map((s) => s.aborted)).toEqual([false, true]);
  });

  test("an abort signal stops the stream", async () => {
    const c = client();
    const agent = await c.agents.create({ name: "aborted" });
    const controller = new AbortController();
    const error = await (async () => {
      for await (const event of c.sessions.stream(
        { agent_id: agent.id, goal: "abort me" },
        { signal: controller.signal },
      )) {
        if (event.type === "session") controller.abort();
      }
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).name).toBe("AbortError");
  });
});
