// The harness checks themselves: the strict key check catches leaked fields
// and secrets, and the SSE reader handles chunking, comments and cuts. If
// these did not fail on bad input, the contract tests would assert nothing.
import { describe, expect, test } from "vitest";
import { AGENT_10 } from "../../../schemas/test/samples.js";
import { expectSchema, ndjson, readSse } from "./harness.js";

const agent10 = AGENT_10;

describe("expectSchema is strict", () => {
  test("a 1.0 agent passes as 1.0, fails as 1.1 (missing tool_ids)", () => {
    expect(expectSchema("Agent", agent10, "1.0")).toEqual(agent10);
    expect(() => expectSchema("Agent", agent10, "1.1")).toThrow();
  });

  test("a 1.1 field leaking into a 1.0 answer fails, even nested in a list", () => {
    expect(() => expectSchema("Agent", { ...agent10, tool_ids: [] }, "1.0")).toThrow(/no keys besides/);
    const list = { object: "list", data: [agent10, { ...agent10, version: 1 }], has_more: false, next_cursor: null };
    expect(() => expectSchema("AgentList", list, "1.0")).toThrow(/no keys besides/);
  });

  test("a secret on a plain webhook fails; on the create answer it is required", () => {
    const hook = {
      id: agent10.id,
      object: "webhook",
      url: "https://x.example.com",
      events: ["agent.created"],
      active: true,
      created_at: agent10.created_at,
      updated_at: agent10.updated_at,
    };
    expectSchema("Webhook", hook, "1.0");
    expect(() => expectSchema("Webhook", { ...hook, secret: "whsec_x" }, "1.0")).toThrow();
    expect(() => expectSchema("WebhookWithSecret", hook, "1.0")).toThrow();
    expectSchema("WebhookWithSecret", { ...hook, secret: "whsec_x" }, "1.0");
  });

  test("an exported session's steps are checked too", () => {
    const step = {
      id: agent10.id,
      object: "step",
      session_id: agent10.id,
      step_number: 1,
      action: "respond",
      input: null,
      output: "hi",
      status: "completed",
      created_at: agent10.created_at,
    };
    const session = {
      id: agent10.id,
      object: "session",
      agent_id: agent10.id,
      goal: "g",
      context: null,
      status: "completed",
      result: "hi",
      steps_completed: 1,
      tokens_used: 3,
      metadata: {},
      created_at: agent10.created_at,
      completed_at: agent10.created_at,
    };
    expectSchema("ExportedSession", { ...session, steps: [step] }, "1.0");
    expect(() => expectSchema("ExportedSession", { ...session, steps: [{ ...step, extra: 1 }] }, "1.0")).toThrow();
  });
});

describe("readSse", () => {
  function streamOf(chunks: string[]): Response {
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
        controller.close();
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  }

  test("events split across chunks, CRLF, comments, multi-line data", async () => {
    const res = streamOf([
      ": ping\n\nid: 1\nevent: sess",
      'ion\ndata: {"a":1}\n\r\n',
      'id: 2\r\nevent: message\r\ndata: {"delta":',
      '"hi"}\r\n\r\n: ping\n\nid: 3\nevent: x\ndata: line1\ndata: line2\n\n',
    ]);
    const { events, comments, ended } = await readSse(res);
    expect(ended).toBe(true);
    expect(comments).toEqual(["ping", "ping"]);
    expect(events.map((e) => [e.id, e.event])).toEqual([
      ["1", "session"],
      ["2", "message"],
      ["3", "x"],
    ]);
    expect(events[0]!.data).toEqual({ a: 1 });
    expect(events[1]!.data).toEqual({ delta: "hi" });
    expect(events[2]!.data).toBe("line1\nline2");
  });

  test("stopAfter stops reading (a cut) and says the stream did not end", async () => {
    const res = streamOf(["id: 1\nevent: a\ndata: 1\n\nid: 2\nevent: b\ndata: 2\n\nid: 3\nevent: c\ndata: 3\n\n"]);
    const { events, ended } = await readSse(res, { stopAfter: 2 });
    expect(events.map((e) => e.id)).toEqual(["1", "2"]);
    expect(ended).toBe(false);
  });

  test("ndjson skips blank lines", () => {
    expect(ndjson('{"a":1}\n\n{"b":2}\n')).toEqual([{ a: 1 }, { b: 2 }]);
  });
});
