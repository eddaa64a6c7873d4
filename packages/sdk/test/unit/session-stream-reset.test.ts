import type { ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { describe, expect, test } from "vitest";
import { APIConnectionError, ResonantClient, type Fetch } from "@resonantgenesis/sdk";
import { useFaultyServer } from "./use-faulty-server.js";

// A session stream whose connection is reset mid-body fails as docs/streaming.md and docs/errors.md
// promise: an APIConnectionError (the platform's TypeError as its cause), never the raw TypeError,
// whether the resume budget ran out (follow) or there was nothing to resume from (stream, before `session`).
const server = await useFaultyServer();

const AGENT_ID = "0b7c4f6e-2a51-4d38-9c1e-7f2d8a6b5e10";
const undici: Fetch = (request, init) => globalThis.fetch(request, init);

/** The head and a comment, then the connection reset: a FIN (`destroy`) or a TCP RST (`resetAndDestroy`). */
function resetAfterPing(res: ServerResponse, how: "destroy" | "resetAndDestroy"): void {
  res.writeHead(200, { "content-type": "text/event-stream" });
  res.write(": ping\n\n", () =>
    setTimeout(() => {
      const socket = res.socket as (Socket & { resetAndDestroy?: () => Socket }) | null;
      if (how === "resetAndDestroy") socket?.resetAndDestroy?.();
      else socket?.destroy();
    }, 20),
  );
}

function client(fetch: Fetch | undefined) {
  return new ResonantClient<"1.2">({
    apiKey: "rg_test_sk_x",
    baseURL: server.baseURL,
    logLevel: "off",
    validateResponses: false,
    maxRetries: 1,
    fetch,
  });
}

async function failure(events: AsyncIterable<unknown>): Promise<unknown> {
  try {
    for await (const _ of events);
  } catch (error) {
    return error;
  }
  return new Error("the stream ended without an error");
}

describe.each([
  ["the Node transport", undefined],
  ["a fetch option (undici)", undici],
] as const)("a session stream reset mid-body (%s)", (_name, fetch) => {
  test.each(["destroy", "resetAndDestroy"] as const)(
    "follow(): once the resume budget is spent, an APIConnectionError whose cause is the reset (%s)",
    async (how) => {
      server.routes.set("GET /sessions/r1/stream", (_req, res) => resetAfterPing(res, how));
      const before = server.received.length;
      const error = await failure(client(fetch).sessions.follow("r1"));
      expect(error).toBeInstanceOf(APIConnectionError);
      expect((error as Error).message).toMatch(/session stream/);
      expect((error as Error).cause).toBeInstanceOf(TypeError);
      // The first stream and one resume (maxRetries 1).
      expect(server.received.slice(before).filter((r) => r.path === "/sessions/r1/stream")).toHaveLength(2);
      server.routes.delete("GET /sessions/r1/stream");
    },
    20_000,
  );

  test.each(["destroy", "resetAndDestroy"] as const)(
    "stream(): a reset before the session event (nothing to resume) is an APIConnectionError (%s)",
    async (how) => {
      server.routes.set("POST /sessions", (_req, res) => resetAfterPing(res, how));
      const before = server.received.length;
      const error = await failure(client(fetch).sessions.stream({ agent_id: AGENT_ID, goal: "greet" }));
      expect(error).toBeInstanceOf(APIConnectionError);
      expect((error as Error).cause).toBeInstanceOf(TypeError);
      expect(server.received.slice(before).filter((r) => r.path === "/sessions")).toHaveLength(1);
      server.routes.delete("POST /sessions");
    },
    20_000,
  );
});
