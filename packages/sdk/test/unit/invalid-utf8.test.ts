import { expect, test } from "vitest";
import { ResponseValidationError } from "@resonantgenesis/sdk";
import { clientOf, useFaultyServer } from "./use-faulty-server.js";

// Bytes no UTF-8 character has (FF, and C3 before a byte that continues nothing) in an answer: refused, never read
// as U+FFFD, which would reach the caller, and an export's import, in place of what the server sent.
const server = await useFaultyServer();
const BAD = Buffer.from([0xff, 0xc3, 0x28]);
const withBad = (before: string, after: string) => Buffer.concat([Buffer.from(before), BAD, Buffer.from(after)]);
const agent = { id: "a1", object: "agent", name: "x", created_at: "2026-01-01T00:00:00Z" };

test("a JSON answer", async () => {
  server.routes.set("GET /agents/a1", (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(withBad(`${JSON.stringify(agent).slice(0, -1)},"note":"A`, `B"}`));
  });
  const error = await clientOf(server, { maxRetries: 0 })
    .agents.get("a1")
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ResponseValidationError);
  expect((error as Error).message).toMatch(/\(root\): the body of a 200 answer is not UTF-8/);
});

test("an NDJSON export line, named by its number", async () => {
  server.routes.set("GET /data/export", (_req, res) => {
    res.writeHead(200, { "content-type": "application/x-ndjson" });
    const line = (value: unknown) => `${JSON.stringify(value)}\n`;
    res.end(
      Buffer.concat([
        Buffer.from(line({ kind: "agent", data: agent })),
        withBad('{"kind":"agent","data":{"id":"a2","name":"', '"}}\n'),
      ]),
    );
  });
  const seen: unknown[] = [];
  const error = await (async () => {
    for await (const record of clientOf(server, { maxRetries: 0 }).data.exportStream()) seen.push(record);
  })().catch((e: unknown) => e);
  expect(seen).toHaveLength(1);
  expect(error).toBeInstanceOf(ResponseValidationError);
  expect((error as Error).message).toMatch(/line 2/);
  expect((error as Error).message).toMatch(/not UTF-8/);
});

test("a session stream's event", async () => {
  server.routes.set("GET /sessions/s1/stream", (_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.end(withBad('id: 1\nevent: message\ndata: {"delta":"A', 'B"}\n\n'));
  });
  const error = await (async () => {
    for await (const _ of clientOf(server, { maxRetries: 0 }).sessions.follow("s1"));
  })().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ResponseValidationError);
  expect((error as Error).message).toMatch(/not UTF-8/);
});
