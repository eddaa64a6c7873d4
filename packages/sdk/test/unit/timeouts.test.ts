import { describe, expect, test } from "vitest";
import {
  Agents,
  APIConnectionError,
  APITimeoutError,
  RequestValidationError,
  ResonantCore,
  type ClientOptions,
  type Fetch,
} from "@resonantgenesis/sdk";
import { drip } from "./faulty-server.js";
import { clientOf, failure, useFaultyServer } from "./use-faulty-server.js";

// A call's `timeout` bounds the whole attempt, its body included, and a
// stream's stall is a cut that resumes: against a real loopback server.
const server = await useFaultyServer();

const AGENT = JSON.stringify({ id: "a1", object: "agent", name: "triage", padding: "x".repeat(150) });
// Node's own fetch (undici), to check the wrapped-fetch road as well as the SDK's Node transport.
const undici: Fetch = (request, init) => globalThis.fetch(request, init);

const client = (options: ClientOptions<"1.2"> = {}) => clientOf(server, options);

/** ResonantCore's agents: outside Node, or given a fetch, it sends through fetch itself rather than ky. */
function coreAgents(options: ClientOptions<"1.2"> = {}) {
  return new ResonantCore<"1.2">({
    apiKey: "rg_test_sk_x",
    baseURL: server.baseURL,
    logLevel: "off",
    validateResponses: false,
    ...options,
  }).use(Agents);
}

describe("timeout bounds the answer's body", () => {
  // The body (~200 bytes at one byte per 200 ms) takes 40 s: only a timeout that covers the body ends the call.
  test.each([
    ["the Node transport", undefined, false],
    ["a fetch option (undici)", undici, false],
    ["ResonantCore, a fetch option (undici)", undici, true],
  ])(
    "a body dripped one byte per 200 ms fails with APITimeoutError (%s)",
    async (_name, fetch, core) => {
      server.routes.set("GET /agents/a1", (_req, res) => drip(res, AGENT, 200));
      const started = Date.now();
      const options = { timeout: 3000, maxRetries: 0, fetch };
      const error = await failure((core ? coreAgents(options) : client(options).agents).get("a1"));
      expect(error).toBeInstanceOf(APITimeoutError);
      expect(Date.now() - started).toBeLessThan(15_000);
    },
    20_000,
  );

  test("a timed-out body is retried like any timeout, and the retry's answer is the call's", async () => {
    server.routes.set("GET /agents/a2", (_req, res, n) =>
      n === 0 ? drip(res, AGENT, 200) : res.writeHead(200, { "content-type": "application/json" }).end(AGENT),
    );
    const before = server.received.length;
    const agent = await client({ timeout: 1000, maxRetries: 1 }).agents.get("a2");
    expect(agent).toMatchObject({ id: "a1", name: "triage" });
    expect(server.received.slice(before).filter((r) => r.path === "/agents/a2")).toHaveLength(2);
  }, 20_000);
});

const enc = (value: unknown) => `${JSON.stringify(value)}\n`;
const tool = { kind: "tool", data: { id: "t1", object: "tool" } };
const agents = ["a1", "a2", "a3", "a4"].map((id) => ({ kind: "agent", data: { id, object: "agent" } }));
const END = {
  kind: "end",
  counts: { tools: 1, agents: 4, teams: 0, sessions: 0, memories: 0, triggers: 0, webhooks: 0 },
};

describe("a stalled stream is a cut, and resumes", () => {
  test("the NDJSON export resumes after a stall from where it was, every record once", async () => {
    server.routes.set("GET /data/export", (_req, res, n) => {
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      // The first answer stalls after two whole records and half a third; the second is whole.
      if (n === 0) res.write(enc(tool) + enc(agents[0]) + enc(agents[1]).slice(0, 10));
      else res.end([tool, ...agents, END].map(enc).join(""));
    });
    const before = server.received.length;
    const records: unknown[] = [];
    const info: unknown[] = [];
    const logger = { ...console, info: (line: unknown) => info.push(line) };
    for await (const record of client({
      streamIdleTimeout: 300,
      maxRetries: 1,
      logger,
      logLevel: "info",
    }).data.exportStream())
      records.push(record);
    expect(records).toEqual([tool, ...agents, END]);
    expect(info).toEqual([
      expect.stringMatching(
        /^\[resonant\] resuming the export in [\d.]+ s after 1 agent record\(s\) \(retry 1 of 1\): /,
      ),
    ]);
    expect(server.received.slice(before).filter((r) => r.path === "/data/export")).toHaveLength(2);
  }, 20_000);

  test("with no streamIdleTimeout, the call's timeout is the idle timeout; out of retries, the stall throws APITimeoutError", async () => {
    server.routes.set("GET /data/export", (_req, res) => {
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      res.write(enc(tool));
    });
    const records: unknown[] = [];
    const error = await failure(
      (async () => {
        for await (const record of client({ timeout: 500, maxRetries: 0 }).data.exportStream()) records.push(record);
      })(),
    );
    expect(error).toBeInstanceOf(APITimeoutError);
    expect((error as Error).message).toMatch(/sent nothing for 500 ms/);
    expect(records).toEqual([tool]);
  }, 20_000);

  test("a session stream that stalls reconnects with Last-Event-ID and loses nothing", async () => {
    const session = { id: "s1", object: "session", status: "running" };
    const sse = (id: number, event: string, data: unknown) =>
      `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    server.routes.set("GET /sessions/s1/stream", (req, res, n) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      if (n === 0) return void res.write(sse(1, "session", session) + sse(2, "message", { delta: "hello " }));
      expect(req.headers["last-event-id"]).toBe("2");
      res.end(sse(3, "message", { delta: "world" }) + sse(4, "done", { ...session, status: "completed" }));
    });
    const events: { type: string; data: unknown }[] = [];
    for await (const event of client({ streamIdleTimeout: 300, maxRetries: 1 }).sessions.follow("s1"))
      events.push(event as { type: string; data: unknown });
    expect(events.map((e) => e.type)).toEqual(["session", "message", "message", "done"]);
    expect(events.map((e) => (e.data as { delta?: string }).delta).join("")).toBe("hello world");
    const asked = server.received.filter((r) => r.path === "/sessions/s1/stream");
    expect(asked.map((r) => r.headers["last-event-id"])).toEqual([undefined, "2"]);
  }, 20_000);

  test("an export request the transport gave up on is not resumed on top: maxRetries + 1 attempts in all", async () => {
    // Multiplied, a server that was down kept `resonant export` retrying for 2 min 43 s (7 x 7 attempts).
    server.routes.set("GET /data/export", (_req, res) => void res.socket?.destroy());
    const before = server.received.length;
    const error = await failure(
      (async () => {
        for await (const _ of client({ maxRetries: 2 }).data.exportStream());
      })(),
    );
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(server.received.slice(before).filter((r) => r.path === "/data/export")).toHaveLength(3);
  }, 20_000);

  test("a session stream's reconnect the transport gave up on ends the stream: one reconnect's retries, not more", async () => {
    const session = { id: "s2", object: "session", status: "running" };
    server.routes.set("GET /sessions/s2/stream", (_req, res, n) => {
      if (n > 0) return void res.socket?.destroy();
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(`id: 1\nevent: session\ndata: ${JSON.stringify(session)}\n\n`);
    });
    const before = server.received.length;
    const error = await failure(
      (async () => {
        for await (const _ of client({ maxRetries: 2 }).sessions.follow("s2"));
      })(),
    );
    expect(error).toBeInstanceOf(APIConnectionError);
    // The first stream, then one reconnect: its first attempt and the transport's two retries.
    expect(server.received.slice(before).filter((r) => r.path === "/sessions/s2/stream")).toHaveLength(4);
  }, 20_000);

  test("streamIdleTimeout must be a positive number of ms or false: 0 is refused, not read as off", async () => {
    expect(() => client({ streamIdleTimeout: 0 })).toThrow(RequestValidationError);
    expect(() => client({ streamIdleTimeout: -1 })).toThrow(/streamIdleTimeout/);
    expect(() => client({ streamIdleTimeout: false })).not.toThrow();
    const perCall = client().data.exportStream({ streamIdleTimeout: 0 });
    await expect(perCall.next()).rejects.toThrow(/options\.streamIdleTimeout/);
  });
});
