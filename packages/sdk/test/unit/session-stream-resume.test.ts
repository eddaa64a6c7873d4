import { expect, test } from "vitest";
import { clientOf, useFaultyServer } from "./use-faulty-server.js";

// Where a resumed session stream starts again: never before an event the caller already has
// (docs/streaming.md: "none is lost and none is seen twice").
const server = await useFaultyServer();

const sse = (id: number, event: string, data: unknown) =>
  `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

test("follow({ lastEventId }) cut before any new event resumes after that id, not from the session's start", async () => {
  const session = { id: "s42", object: "session", status: "running" };
  server.routes.set("GET /sessions/s42/stream", (req, res, n) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    if (n === 0) {
      // A comment, then the connection closes: no event arrived, so the caller still stands at 42.
      res.end(": ping\n\n");
      return;
    }
    // A server that honours Last-Event-ID; without it, the whole log from event 1 again.
    const after = Number(req.headers["last-event-id"] ?? 0);
    const log = [sse(1, "session", session), sse(42, "message", { delta: "old" }), sse(43, "done", session)];
    res.end(log.filter((_, i) => [1, 42, 43][i]! > after).join(""));
  });
  const types: string[] = [];
  for await (const event of clientOf(server, { maxRetries: 1 }).sessions.follow("s42", { lastEventId: "42" }))
    types.push(event.type);
  const asked = server.received.filter((r) => r.path === "/sessions/s42/stream");
  expect(asked.map((r) => r.headers["last-event-id"])).toEqual(["42", "42"]);
  expect(types).toEqual(["done"]);
}, 20_000);

test("follow() given Last-Event-ID as a header resumes after the last event that came, not from that header again", async () => {
  const session = { id: "s7", object: "session", status: "running" };
  const log = [
    sse(1, "session", session),
    sse(2, "message", { delta: "a" }),
    sse(3, "message", { delta: "b" }),
    sse(4, "done", session),
  ];
  server.routes.set("GET /sessions/s7/stream", (req, res, n) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    const after = Number(req.headers["last-event-id"] ?? 0);
    // The first connection sends event 2 and closes before `done`; the next honours Last-Event-ID.
    res.end(n === 0 ? log[after]! : log.slice(after).join(""));
  });
  const deltas: string[] = [];
  const follow = clientOf(server, { maxRetries: 1 }).sessions.follow("s7", { headers: { "Last-Event-ID": "1" } });
  for await (const event of follow) deltas.push(event.type === "message" ? event.data.delta : event.type);
  const asked = server.received.filter((r) => r.path === "/sessions/s7/stream");
  expect(asked.map((r) => r.headers["last-event-id"])).toEqual(["1", "2"]);
  expect(deltas).toEqual(["a", "b", "done"]);
}, 20_000);

test("a server that replays the stream from its start on each reconnect gives no event twice, and the reconnects run out", async () => {
  const session = { id: "s9", object: "session", status: "running" };
  // Ignores Last-Event-ID: event 1 and 2 again on every connection, then closes before `done`.
  server.routes.set("GET /sessions/s9/stream", (_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.end(sse(1, "session", session) + sse(2, "message", { delta: "a" }));
  });
  const types: string[] = [];
  const error = await (async () => {
    for await (const event of clientOf(server, { maxRetries: 2 }).sessions.follow("s9")) types.push(event.type);
  })().catch((e: unknown) => e);
  expect(types).toEqual(["session", "message"]);
  expect((error as Error).message).toMatch(/ended before its done event/);
  // The first connection and two reconnects: the replays were no progress, so the budget ran out.
  expect(server.received.filter((r) => r.path === "/sessions/s9/stream")).toHaveLength(3);
}, 20_000);
