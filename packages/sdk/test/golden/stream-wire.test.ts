import { beforeEach, describe, expect, test } from "vitest";
import { ResonantClient } from "@resonantgenesis/sdk";
import { useFaultyServer } from "../unit/use-faulty-server.js";
import { answer, answerText } from "./fixtures.js";
import { AGENT, MODES, SESSION } from "./golden-api.js";

// docs/protocol.md sections 5 (1.1) and 7, on a loopback server that answers only as they are written:
// `POST /sessions` with `"stream": true` and `Accept: text/event-stream`; after a cut following event 2,
// `GET /sessions/5d0c…/stream` with `Last-Event-ID: 2` answers events 3, 4 and 5; and the events the
// golden wire lacks: `tool_call` / `tool_result` (`{"step_id", "tool_id", "data"}`) and `error` (an error
// body as in section 3, so 1.1's FastAPI form and 1.2's).
const server = await useFaultyServer();
const wire = answerText("session-stream.sse.txt");
/** The wire's blocks (a blank line ends each), the `: ping` comment first. */
const blocks = wire.split(/\n\n/).filter((b) => b !== "");
const idOf = (block: string) => /^id: (\d+)$/m.exec(block)?.[1];
const written = blocks.flatMap((b) => {
  const m = /^event: (\w+)\ndata: (.*)$/m.exec(b);
  return m ? [{ type: m[1], data: JSON.parse(m[2]!) }] : [];
});
const sse = (res: import("node:http").ServerResponse) => res.writeHead(200, { "content-type": "text/event-stream" });

const client = (apiVersion: "1.1" | "1.2", mode: string) =>
  new ResonantClient({
    apiKey: "rg_test_sk_x",
    baseURL: server.baseURL,
    apiVersion,
    logLevel: "off",
    ...(mode === "strict" ? { validateResponses: "strict" as const } : {}),
  });

beforeEach(() => {
  server.received.length = 0;
});

describe.each(MODES)("session streams on the wire, %s", (mode) => {
  test("a cut after event 2 is resumed with GET /sessions/{id}/stream and Last-Event-ID: 2, which answers 3, 4 and 5", async () => {
    server.routes.set("POST /sessions", (_req, res) => {
      sse(res);
      // Up to the end of event 2, then the connection drops.
      const upTo = blocks.findIndex((b) => idOf(b) === "2");
      res.write(`${blocks.slice(0, upTo + 1).join("\n\n")}\n\n`, () => setTimeout(() => res.socket?.destroy(), 20));
    });
    server.routes.set(`GET /sessions/${SESSION}/stream`, (req, res) => {
      if (req.headers["last-event-id"] !== "2") return void res.writeHead(400).end();
      sse(res);
      res.end(`${blocks.filter((b) => Number(idOf(b)) > 2).join("\n\n")}\n\n`);
    });
    const events: unknown[] = [];
    for await (const event of client("1.2", mode).sessions.stream({ agent_id: AGENT, goal: "greet" }))
      events.push(event);

    expect(events).toEqual(written);
    const [post, get, ...more] = server.received;
    expect(more).toHaveLength(0);
    expect(post!.headers.accept).toContain("text/event-stream");
    expect(JSON.parse(post!.body)).toEqual({ agent_id: AGENT, goal: "greet", stream: true });
    expect([get!.method, get!.path, get!.headers["last-event-id"]]).toEqual([
      "GET",
      `/sessions/${SESSION}/stream`,
      "2",
    ]);
    expect(get!.headers.accept).toContain("text/event-stream");
  });

  const step = answer("step-list.json").data[1];
  const errors = {
    "1.1": { detail: "The tool's endpoint did not answer" },
    "1.2": { error: { code: "upstream_error", message: "The tool's endpoint did not answer", request_id: "req_9Zt3" } },
  } as const;
  test.each(["1.1", "1.2"] as const)(
    "tool_call, tool_result and error (in the %s error form) reach the caller as written",
    async (version) => {
      const session = written[0]!.data;
      const toolCall = { step_id: step.id, tool_id: "9b4a6cbe-df57-43a4-8169-a85c4ebf7d3a", data: { query: "inbox" } };
      const toolResult = { ...toolCall, data: [{ subject: "hi" }] };
      const done = { ...written.at(-1)!.data, status: "failed", result: null };
      const events = [
        { type: "session", data: session },
        { type: "step", data: step },
        { type: "tool_call", data: toolCall },
        { type: "tool_result", data: toolResult },
        { type: "error", data: errors[version] },
        { type: "done", data: done },
      ];
      const text = events.map((e, i) => `id: ${i + 1}\nevent: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`).join("");
      const path = version === "1.2" ? "/sessions" : "/v1.1/sessions";
      server.routes.set(`POST ${path}`, (_req, res) => {
        sse(res);
        res.end(`: ping\n\n${text}`);
      });
      const got: unknown[] = [];
      for await (const event of client(version, mode).sessions.stream({ agent_id: AGENT, goal: "greet" }))
        got.push(event);
      expect(got).toEqual(events);
      expect(server.received).toHaveLength(1);
    },
  );
});
