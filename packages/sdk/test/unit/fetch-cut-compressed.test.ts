import type { ServerResponse } from "node:http";
import zlib from "node:zlib";
import { describe, expect, test } from "vitest";
import {
  Agents,
  APIConnectionError,
  Data,
  type Fetch,
  NotFoundError,
  ResonantClient,
  ResonantCore,
  Sessions,
} from "@resonantgenesis/sdk";
import { failure, seen, useFaultyServer } from "./use-faulty-server.js";

// A compressed answer cut mid-body, through fetch (Node's undici): its decoder flushes what it got and ends
// quietly when the HTTP framing says the body is whole (a close-delimited body ends at any cut; a proxy may
// frame a cut gzip stream whole), so the SDK sees a short body and no error. A cut answer must fail as a cut
// (an APIConnectionError, retried or resumed), never read as a shorter success nor as "not JSON". Both fetch
// roads: ResonantClient (ky) and ResonantCore (fetch itself), against a real loopback server; and the Node
// transport, which decodes with node:zlib and so hears of the cut itself, held to the same.
const server = await useFaultyServer();

const undici: Fetch = (request, init) => globalThis.fetch(request, init);
const AGENT = { id: "a1", object: "agent", name: "triage", model: "gpt-4-turbo", padding: "x".repeat(3000) };

type Coding = "gzip" | "deflate" | "br";
const compress = (coding: Coding, text: string) =>
  coding === "gzip"
    ? zlib.gzipSync(text)
    : coding === "deflate"
      ? zlib.deflateSync(text)
      : zlib.brotliCompressSync(text);

/**
 * How the cut comes: the connection closed (FIN) or destroyed after part of a close-delimited body; a body framed
 * whole (chunked) whose compressed stream stops short; a Content-Length above what came; chunks cut off.
 */
type Cut = "close-delimited, ended" | "close-delimited, destroyed" | "framed whole" | "length announced" | "chunked";
const CUTS: Cut[] = [
  "close-delimited, ended",
  "close-delimited, destroyed",
  "framed whole",
  "length announced",
  "chunked",
];

/** The first half of `text` compressed with `coding`. */
const half = (coding: Coding, text: string) => {
  const bytes = compress(coding, text);
  return bytes.subarray(0, bytes.length >> 1);
};

/** The first `keep` characters of `text`, gzip-compressed and flushed, without the stream's end: what a cut leaves. */
const gzipPrefix = (text: string, keep: number) =>
  zlib.gzipSync(text.slice(0, keep), { finishFlush: zlib.constants.Z_SYNC_FLUSH });

/** Answers `part`, part of a body compressed with `coding`, then cuts it as `cut` says. */
function cutAnswer(res: ServerResponse, type: string, coding: Coding, part: Buffer, cut: Cut): void {
  const head: Record<string, string> = { "content-type": type, "content-encoding": coding };
  if (cut.startsWith("close-delimited")) head.connection = "close";
  if (cut === "length announced") head["content-length"] = String(part.length + 100);
  res.writeHead(200, head);
  if (cut === "framed whole") return void res.end(part);
  res.write(part, () =>
    setTimeout(() => (cut === "close-delimited, ended" ? res.socket?.end() : res.socket?.destroy()), 20),
  );
}

/** A whole answer, compressed with `coding`. */
function wholeAnswer(res: ServerResponse, type: string, coding: Coding, text: string): void {
  res.writeHead(200, { "content-type": type, "content-encoding": coding }).end(compress(coding, text));
}

function client(core: boolean, fetch: Fetch | undefined, apiVersion: "1.1" | "1.2" = "1.2", maxRetries = 1) {
  const options = {
    apiKey: "rg_test_sk_x",
    baseURL: server.baseURL,
    apiVersion,
    logLevel: "off",
    validateResponses: false,
    maxRetries,
    fetch,
  } as const;
  if (!core) return new ResonantClient(options);
  const resonant = new ResonantCore(options);
  return { agents: resonant.use(Agents), data: resonant.use(Data), sessions: resonant.use(Sessions) };
}

describe.each([
  ["ResonantClient (ky over fetch)", false, undici],
  ["ResonantCore (fetch itself)", true, undici],
  // Not through fetch: node:zlib reports a compressed stream that stops short itself (a guard).
  ["ResonantClient (the Node transport)", false, undefined],
] as const)("a compressed answer cut mid-body (%s)", (_name, core, fetch) => {
  describe.each(["gzip", "deflate", "br"] as const)("%s", (coding) => {
    // No retry here (its backoff would slow the matrix down); the tests below show a cut is retried.
    test.each(CUTS)("a JSON answer, %s: an APIConnectionError, never 'not JSON' nor a short success", async (cut) => {
      server.routes.set("GET /agents/a1", (_req, res) =>
        cutAnswer(res, "application/json", coding, half(coding, JSON.stringify(AGENT)), cut),
      );
      const from = server.received.length;
      const error = await failure(client(core, fetch, "1.2", 0).agents.get("a1"));
      expect(error).toBeInstanceOf(APIConnectionError);
      expect((error as Error).message).toMatch(/mid-body|body could not be decoded/);
      expect(seen(server, "GET", "/agents/a1", from)).toHaveLength(1);
    });
  });

  test("a gzip JSON answer cut to nothing (its header only) is a cut, not an empty answer", async () => {
    server.routes.set("GET /agents/a1", (_req, res) =>
      cutAnswer(
        res,
        "application/json",
        "gzip",
        half("gzip", JSON.stringify(AGENT)).subarray(0, 10),
        "close-delimited, ended",
      ),
    );
    const error = await failure(client(core, fetch, "1.2", 0).agents.get("a1"));
    expect(error).toBeInstanceOf(APIConnectionError);
    // The Node transport sees the connection close inside the body (its framing is its own, not fetch's).
    expect((error as Error).message).toMatch(fetch ? /closed mid-body \(gzip JSON cut short\)/ : /mid-body|decoded/);
  });

  // An error answer's status says what happened whatever its body: a short or empty one is not taken for a cut.
  test.each(["", '{"detail": "Agent not'])(
    "a 404 whose gzip JSON body is %j is a NotFoundError, not a cut",
    async (body) => {
      server.routes.set("GET /agents/a1", (_req, res) =>
        res.writeHead(404, { "content-type": "application/json", "content-encoding": "gzip" }).end(zlib.gzipSync(body)),
      );
      const error = await failure(client(core, fetch, "1.2", 0).agents.get("a1"));
      expect(error).toBeInstanceOf(NotFoundError);
    },
  );

  test("a cut JSON answer is sent again, and the whole one that follows is read", async () => {
    server.routes.set("GET /agents/a1", (_req, res, n) =>
      n === 0
        ? cutAnswer(res, "application/json", "gzip", half("gzip", JSON.stringify(AGENT)), "close-delimited, ended")
        : wholeAnswer(res, "application/json", "gzip", JSON.stringify(AGENT)),
    );
    const from = server.received.length;
    expect(await client(core, fetch).agents.get("a1")).toEqual(AGENT);
    expect(seen(server, "GET", "/agents/a1", from)).toHaveLength(2);
  });

  test("the 1.2 archive cut mid-body is sent again (data.exportAll)", async () => {
    const archive = { version: "1.2", exported_at: "2024-01-01T00:00:00Z", agents: [AGENT], tools: [] };
    server.routes.set("GET /data/export", (_req, res, n) =>
      n === 0
        ? cutAnswer(res, "application/json", "br", half("br", JSON.stringify(archive)), "framed whole")
        : wholeAnswer(res, "application/json", "br", JSON.stringify(archive)),
    );
    const from = server.received.length;
    expect(await client(core, fetch).data.exportAll()).toEqual(archive);
    expect(seen(server, "GET", "/data/export", from)).toHaveLength(2);
  });

  test("an export page cut mid-body is sent again (data.exportAll on 1.1)", async () => {
    const page = (kind: string, items: unknown[]) => JSON.stringify({ [kind]: items, next_cursor: null });
    server.routes.set("GET /v1.1/tools/export", (_req, res) => void res.end(page("tools", [])));
    server.routes.set("GET /v1.1/sessions/export", (_req, res) => void res.end(page("sessions", [])));
    server.routes.set("GET /v1.1/webhooks", (_req, res) =>
      res.end(JSON.stringify({ object: "list", data: [], has_more: false, next_cursor: null })),
    );
    server.routes.set("GET /v1.1/agents/export", (_req, res, n) =>
      n === 0
        ? cutAnswer(
            res,
            "application/json",
            "gzip",
            half("gzip", page("agents", [AGENT])),
            "close-delimited, destroyed",
          )
        : wholeAnswer(res, "application/json", "gzip", page("agents", [AGENT])),
    );
    const from = server.received.length;
    const archive = await client(core, fetch, "1.1").data.exportAll();
    expect(archive.agents).toEqual([AGENT]);
    expect(seen(server, "GET", "/v1.1/agents/export", from)).toHaveLength(2);
  });

  test("an NDJSON export cut mid-line resumes and hands out every record once", async () => {
    const lines = ["a1", "a2", "a3"].map((id) => JSON.stringify({ kind: "agent", data: { ...AGENT, id } }));
    const end = JSON.stringify({
      kind: "end",
      counts: { tools: 0, agents: 3, teams: 0, sessions: 0, memories: 0, triggers: 0, webhooks: 0 },
    });
    const text = `${[...lines, end].join("\n")}\n`;
    server.routes.set("GET /data/export", (_req, res, n) => {
      // The first answer stops inside the second record: its first line whole, the second cut.
      if (n > 0) return wholeAnswer(res, "application/x-ndjson", "gzip", text);
      const keep = lines[0]!.length + 1 + 100;
      cutAnswer(res, "application/x-ndjson", "gzip", gzipPrefix(text, keep), "close-delimited, ended");
    });
    const from = server.received.length;
    const ids: string[] = [];
    for await (const record of client(core, fetch).data.exportStream())
      if (record.kind === "agent") ids.push(record.data.id);
    expect(ids).toEqual(["a1", "a2", "a3"]);
    expect(seen(server, "GET", "/data/export", from)).toHaveLength(2);
  });

  test("a session stream cut mid-event resumes after the last whole event", async () => {
    const session = { id: "s1", object: "session", status: "running" };
    const sse = (id: number, event: string, data: unknown) =>
      `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    const log = [sse(1, "session", session), sse(2, "message", { delta: "x".repeat(500) }), sse(3, "done", session)];
    server.routes.set("GET /sessions/s1/stream", (req, res, n) => {
      if (n > 0) {
        const after = Number(req.headers["last-event-id"] ?? 0);
        return wholeAnswer(res, "text/event-stream", "gzip", log.filter((_, i) => i + 1 > after).join(""));
      }
      // Cut inside the second event: the first whole, the second's data line half come.
      const keep = log[0]!.length + 100;
      cutAnswer(res, "text/event-stream", "gzip", gzipPrefix(log.join(""), keep), "close-delimited, ended");
    });
    const types: string[] = [];
    for await (const event of client(core, fetch).sessions.follow("s1")) types.push(event.type);
    expect(types).toEqual(["session", "message", "done"]);
  });
});

/**
 * A browser's fetch for a cross-origin page: it decodes what it knows, but hides Content-Encoding (not a
 * CORS-safelisted header) unless the server exposes it, as the mock's CORS does not, and says `type: "cors"`.
 * Chromium also ends a close-delimited compressed body cut short quietly (examples/browser's test).
 */
const crossOrigin: Fetch = async (request, init) => {
  const answer = await globalThis.fetch(request, init);
  const headers = new Headers(answer.headers);
  headers.delete("content-encoding");
  const seen = new Response(answer.body, { status: answer.status, statusText: answer.statusText, headers });
  return Object.defineProperty(seen, "type", { value: "cors" });
};

describe.each([
  ["ResonantClient (ky over fetch)", false],
  ["ResonantCore (fetch itself)", true],
] as const)("a cross-origin page that cannot read Content-Encoding (%s)", (_name, core) => {
  test("a gzip JSON answer cut close-delimited is a cut (APIConnectionError), not 'not JSON'", async () => {
    server.routes.set("GET /agents/a1", (_req, res) =>
      cutAnswer(res, "application/json", "gzip", half("gzip", JSON.stringify(AGENT)), "close-delimited, ended"),
    );
    const error = await failure(client(core, crossOrigin, "1.2", 0).agents.get("a1"));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/closed mid-body \(unexposed JSON cut short\)/);
  });

  test("gzip bytes under a coding fetch does not know fail naming it unexposed, not parsed as they came", async () => {
    server.routes.set("GET /agents/a1", (_req, res) =>
      res
        .writeHead(200, { "content-type": "application/json", "content-encoding": "x-foo" })
        .end(zlib.gzipSync(JSON.stringify(AGENT))),
    );
    const from = server.received.length;
    const error = await failure(client(core, crossOrigin).agents.get("a1"));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toBe(
      `Connection error: fetch did not decode the answer's "unexposed" body (Content-Encoding)`,
    );
    expect(seen(server, "GET", "/agents/a1", from)).toHaveLength(1);
  });

  test.each(["gzip", "br"] as const)("a whole %s answer, and a plain one, are read", async (coding) => {
    server.routes.set("GET /agents/a1", (_req, res) =>
      wholeAnswer(res, "application/json", coding, JSON.stringify(AGENT)),
    );
    expect(await client(core, crossOrigin).agents.get("a1")).toEqual(AGENT);
    server.routes.set("GET /agents/a1", (_req, res) => void res.end(JSON.stringify(AGENT)));
    expect(await client(core, crossOrigin).agents.get("a1")).toEqual(AGENT);
  });
});
