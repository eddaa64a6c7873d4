/**
 * A stream's record is held whole before it is handed on, so its size bounds memory: an NDJSON line and an
 * SSE event are held up to 64 MiB (the cap of an answer read whole), and one that runs past it, or never
 * ends, fails the stream instead of filling memory.
 */
import type { ServerResponse } from "node:http";
import { ResponseValidationError } from "@resonantgenesis/sdk";
import { describe, expect, test } from "vitest";
import { parseNDJSON } from "../../src/internal/ndjson.js";
import { parseSSE } from "../../src/internal/sse.js";
import { streamOf } from "./test-helpers.js";
import { clientOf, useFaultyServer } from "./use-faulty-server.js";

const server = await useFaultyServer();
const enc = new TextEncoder();
const CAP = 64 * 1024 * 1024;

/** `text` in chunks of `size` bytes, as a socket would deliver it. */
const chunked = (text: string, size: number) => {
  const bytes = enc.encode(text);
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.slice(at, at + size));
  return streamOf(chunks);
};

async function drain<T>(items: AsyncIterable<T>): Promise<{ got: T[]; error: unknown }> {
  const got: T[] = [];
  try {
    for await (const item of items) got.push(item);
  } catch (error) {
    return { got, error };
  }
  return { got, error: undefined };
}

/** Writes `head`, then `bytes` of `fill`, then `tail`, without holding the whole body at once. */
function writeLong(res: ServerResponse, contentType: string, head: string, bytes: number, tail: string): void {
  res.writeHead(200, { "content-type": contentType });
  res.write(head);
  res.write(Buffer.alloc(bytes, "x"));
  res.end(tail);
}

describe("parseNDJSON", () => {
  test("hands on a line of exactly maxLineBytes and fails one byte longer, naming its line", async () => {
    const line = (n: number) => JSON.stringify({ pad: "x".repeat(n - 10) });
    expect(line(1024)).toHaveLength(1024);
    const fits = await drain(parseNDJSON(chunked(`{"a":1}\n${line(1024)}\n`, 100), { maxLineBytes: 1024 }));
    expect(fits).toEqual({ got: [{ a: 1 }, { pad: "x".repeat(1014) }], error: undefined });
    const over = await drain(parseNDJSON(chunked(`{"a":1}\n${line(1025)}\n`, 100), { maxLineBytes: 1024 }));
    expect(over.got).toEqual([{ a: 1 }]);
    expect(over.error).toBeInstanceOf(ResponseValidationError);
    expect((over.error as Error).message).toBe(
      "NDJSON line 2 runs past 1024 bytes, the most the SDK holds of one record; it stopped reading",
    );
  });
});

describe("parseSSE", () => {
  test("dispatches an event within maxEventChars and fails one whose data lines run past it", async () => {
    const lines = (n: number) => Array.from({ length: n }, () => `data: ${"x".repeat(94)}\n`).join("");
    const fits = await drain(parseSSE(chunked(`event: a\n${lines(10)}\n`, 64), 1024));
    expect(fits.got.map((e) => [e.event, e.data.length])).toEqual([["a", 10 * 95 - 1]]);
    expect(fits.error).toBeUndefined();
    const over = await drain(parseSSE(chunked(`event: a\n${lines(20)}\n`, 64), 1024));
    expect(over.got).toEqual([]);
    expect((over.error as Error).message).toBe(
      "The event stream's an event runs past 1024 characters, the most the SDK holds of one event; it stopped reading",
    );
  });

  test("fails a line that never ends", async () => {
    const over = await drain(parseSSE(chunked(`data: ${"x".repeat(5000)}`, 256), 1024));
    expect(over.error).toBeInstanceOf(ResponseValidationError);
  });
});

describe("through the client, at the default 64 MiB", () => {
  test("exportStream() fails on a record line past it, after the records before it", async () => {
    server.routes.set("GET /data/export", (_req, res) =>
      writeLong(
        res,
        "application/x-ndjson",
        '{"kind":"agent","data":{"id":"a1","object":"agent"}}\n{"kind":"agent","data":{"pad":"',
        CAP,
        '"}}\n',
      ),
    );
    const { got, error } = await drain(clientOf(server, { maxRetries: 0 }).data.exportStream());
    expect(got).toHaveLength(1);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as Error).message).toBe(
      `NDJSON line 2 runs past ${CAP} bytes, the most the SDK holds of one record; it stopped reading`,
    );
  }, 60_000);

  test("sessions.follow() fails on an event past it, without reconnecting", async () => {
    server.routes.set("GET /sessions/s1/stream", (_req, res) =>
      writeLong(res, "text/event-stream", "event: message\ndata: ", CAP, "\n\n"),
    );
    const before = server.received.length;
    const { error } = await drain(clientOf(server).sessions.follow("s1"));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as Error).message).toMatch(/an event runs past 67108864 characters/);
    expect(server.received.slice(before).filter((r) => r.path === "/sessions/s1/stream")).toHaveLength(1);
  }, 60_000);
});
