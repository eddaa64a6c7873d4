/**
 * The default interval of the `: ping` comment on an open stream: docs/protocol.md says every 15 seconds, and the
 * other ping tests set a small `pingIntervalMs`, so the default itself went untested. The mock's timers are the
 * global ones, so fake timers drive it; the stream is read in process (`api.fetch`). Only the session's step delay
 * is set, an hour, so that the stream stays open past the pings (the default 20 ms would end it first).
 */
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { call, mock, raw } from "./helpers.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

test("with the default options, an open stream gets its first `: ping` at 15 s, not before, then every 15 s", async () => {
  const api = mock({ stepDelayMs: 3_600_000 });
  const agent = (await call(api, "POST", "/agents", { body: { name: "a" } })).json as { id: string };
  const res = await raw(api, "POST", "/sessions", {
    body: { agent_id: agent.id, goal: "wait", stream: true },
    headers: { Accept: "text/event-stream" },
  });
  expect(res.status).toBe(200);

  // Read in the background: each advance of the fake clock yields to the event loop after each timer it fires, so
  // what a timer enqueued has been read when the advance resolves.
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const reading = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      text += decoder.decode(value, { stream: true });
    }
  })();
  const pings = () => text.split("\n").filter((line) => line === ": ping").length;

  await vi.advanceTimersByTimeAsync(0);
  expect(text).toContain("event: session\n");
  await vi.advanceTimersByTimeAsync(14_999);
  expect(pings()).toBe(0);
  await vi.advanceTimersByTimeAsync(1);
  expect(pings()).toBe(1);
  await vi.advanceTimersByTimeAsync(14_999);
  expect(pings()).toBe(1);
  await vi.advanceTimersByTimeAsync(1);
  expect(pings()).toBe(2);
  // Nothing but the session's first event and the pings: the stream was open all along.
  expect(text).not.toContain("event: step");

  await reader.cancel();
  await reading;
  api.close();
});
