import type { ServerResponse } from "node:http";
import zlib from "node:zlib";
import { describe, expect, test } from "vitest";
import {
  APIConnectionError,
  APITimeoutError,
  createNodeFetch,
  NotFoundError,
  type ClientOptions,
  type Fetch,
} from "@resonantgenesis/sdk";
import { clientOf, failure, seen, useFaultyServer } from "./use-faulty-server.js";

// Answers compressed as a server or a CDN may send them (RFC 9110 section 8.4): the Node transport
// decodes gzip, x-gzip, deflate (zlib-wrapped or raw) and br as fetch does, whole answers and streams
// alike, against a real loopback server that compresses.
const server = await useFaultyServer();

const undici: Fetch = (request, init) => globalThis.fetch(request, init);
const AGENT = { id: "a1", object: "agent", name: "triage", model: "gpt-4-turbo", padding: "x".repeat(300) };
const END = {
  kind: "end",
  counts: { tools: 0, agents: 2000, teams: 0, sessions: 0, memories: 0, triggers: 0, webhooks: 0 },
};

type Coding = "gzip" | "x-gzip" | "deflate" | "deflate (raw)" | "br";
const CODINGS: Coding[] = ["gzip", "x-gzip", "deflate", "deflate (raw)", "br"];

/** `text` compressed with `coding`, and the Content-Encoding that names it. */
function encoded(coding: Coding, text: string | Buffer): [Buffer, string] {
  switch (coding) {
    case "gzip":
    case "x-gzip":
      return [zlib.gzipSync(text), coding];
    case "deflate":
      return [zlib.deflateSync(text), "deflate"];
    case "deflate (raw)":
      return [zlib.deflateRawSync(text), "deflate"];
    case "br":
      return [zlib.brotliCompressSync(text), "br"];
  }
}

/** A whole JSON answer, compressed, with its compressed length announced. */
function sendCompressed(res: ServerResponse, coding: Coding, status: number, value: unknown): void {
  const [bytes, name] = encoded(coding, JSON.stringify(value));
  res.writeHead(status, {
    "content-type": "application/json",
    "content-encoding": name,
    "content-length": String(bytes.length),
  });
  res.end(bytes);
}

/** A streamed answer compressed as it is written: each piece flushed, so it can be decoded on arrival. */
/** A route answering `bytes` as a whole gzip JSON body, with its Content-Length. */
const gzipBytes = (bytes: Buffer) => (_req: unknown, res: ServerResponse) => {
  res.writeHead(200, {
    "content-type": "application/json",
    "content-encoding": "gzip",
    "content-length": bytes.length,
  });
  res.end(bytes);
};

function compressingStream(
  res: ServerResponse,
  contentType: string,
  coding: "gzip" | "br",
): zlib.Gzip | zlib.BrotliCompress {
  res.writeHead(200, { "content-type": contentType, "content-encoding": coding });
  const compressor = coding === "gzip" ? zlib.createGzip() : zlib.createBrotliCompress();
  compressor.pipe(res);
  res.on("close", () => compressor.destroy());
  return compressor;
}

const client = (options: ClientOptions<"1.2"> = {}) => clientOf(server, options);

describe.each([
  ["the Node transport", undefined],
  ["a fetch option (undici)", undici],
] as const)("compressed answers (%s)", (_name, fetch) => {
  test.each(CODINGS)("a %s JSON answer is decoded (agents.get)", async (coding) => {
    server.routes.set("GET /agents/a1", (_req, res) => sendCompressed(res, coding, 200, AGENT));
    expect(await client({ fetch }).agents.get("a1")).toEqual(AGENT);
  });

  test.each(CODINGS)("a %s error body keeps its code (a 404 is a NotFoundError)", async (coding) => {
    server.routes.set("GET /agents/gone", (_req, res) =>
      sendCompressed(res, coding, 404, { error: { code: "agent_not_found", message: "no agent gone" } }),
    );
    const error = await failure(client({ fetch }).agents.get("gone"));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: "agent_not_found" });
    expect((error as Error).message).toMatch(/no agent gone/);
  });

  test.each(CODINGS)("a %s archive is decoded (data.exportAll)", async (coding) => {
    const archive = { version: "1.2", exported_at: "2024-01-01T00:00:00Z", agents: [AGENT], tools: [] };
    server.routes.set("GET /data/export", (_req, res) => sendCompressed(res, coding, 200, archive));
    expect(await client({ fetch }).data.exportAll()).toEqual(archive);
  });

  test.each(["gzip", "br"] as const)(
    "a %s NDJSON export, compressed as it is written, streams every record (exportStream)",
    async (coding) => {
      server.routes.set("GET /data/export", (req, res) => {
        expect(req.headers.accept).toMatch(/ndjson/);
        const out = compressingStream(res, "application/x-ndjson", coding);
        for (let i = 0; i < 2000; i++)
          out.write(`${JSON.stringify({ kind: "agent", data: { ...AGENT, id: `a${i}` } })}\n`);
        out.end(`${JSON.stringify(END)}\n`);
      });
      const ids: string[] = [];
      for await (const record of client({ fetch }).data.exportStream())
        if (record.kind === "agent") ids.push(record.data.id);
      expect(ids).toHaveLength(2000);
      expect(ids[1999]).toBe("a1999");
    },
    20_000,
  );

  test.each(["gzip", "br"] as const)(
    "a %s session stream is decoded as it arrives: the first event is read while the server still holds the stream open",
    async (coding) => {
      const session = { id: "s1", object: "session", status: "running" };
      server.routes.set("GET /sessions/s1/stream", (_req, res) => {
        const out = compressingStream(res, "text/event-stream", coding);
        out.write(`: ping\n\nid: 1\nevent: session\ndata: ${JSON.stringify(session)}\n\n`);
        out.flush();
        // Nothing more: only a decoder that hands over what arrived lets the loop see the event.
      });
      for await (const event of client({ fetch, streamIdleTimeout: 5_000 }).sessions.follow("s1")) {
        expect(event).toEqual({ type: "session", data: session });
        break;
      }
    },
    20_000,
  );
});

describe("compressed answers on the Node transport", () => {
  test("sends no Accept-Encoding of its own; a client that asks for compression gets it decoded", async () => {
    server.routes.set("GET /agents/a1", (_req, res) => sendCompressed(res, "br", 200, AGENT));
    const from = server.received.length;
    expect(await client().agents.get("a1")).toEqual(AGENT);
    const asking = client({ defaultHeaders: { "accept-encoding": "gzip, deflate, br" } });
    expect(await asking.agents.get("a1")).toEqual(AGENT);
    const asked = seen(server, "GET", "/agents/a1", from).map((r) => r.headers["accept-encoding"]);
    expect(asked).toEqual([undefined, "gzip, deflate, br"]);
  });

  test("a corrupt gzip body is an APIConnectionError that says so, after the retries (as fetch's `terminated`)", async () => {
    server.routes.set("GET /agents/a1", (_req, res) => {
      const bytes = Buffer.from("this is not gzip at all");
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" }).end(bytes);
    });
    const from = server.received.length;
    const error = await failure(client({ maxRetries: 1 }).agents.get("a1"));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/gzip body could not be decoded \(incorrect header check\)/);
    expect(seen(server, "GET", "/agents/a1", from)).toHaveLength(2);
  });

  test("a gzip body cut short inside a whole HTTP body is an APIConnectionError, not an empty answer", async () => {
    const whole = zlib.gzipSync(JSON.stringify(AGENT));
    server.routes.set("GET /agents/a1", gzipBytes(whole.subarray(0, whole.length - 12)));
    const error = await failure(client({ maxRetries: 0 }).agents.get("a1"));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/could not be decoded \(unexpected end of file\)/);
  });

  test("a corrupt gzip stream ends exportStream with an APIConnectionError, not a crash", async () => {
    server.routes.set("GET /data/export", (_req, res) => {
      const good = zlib.gzipSync(`${JSON.stringify({ kind: "agent", data: AGENT })}\n`);
      res.writeHead(200, { "content-type": "application/x-ndjson", "content-encoding": "gzip" });
      res.end(Buffer.concat([good.subarray(0, 20), Buffer.from("garbage garbage garbage garbage")]));
    });
    const error = await failure(
      (async () => {
        for await (const _ of client({ maxRetries: 0 }).data.exportStream());
      })(),
    );
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(((error as Error).cause as Error).message).toMatch(/gzip body could not be decoded/);
  });

  test("a coding it does not decode is a clear APIConnectionError, not retried, not garbage", async () => {
    server.routes.set("GET /agents/a1", (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "zstd" }).end("(zstd bytes)");
    });
    const from = server.received.length;
    const error = await failure(client({ maxRetries: 2 }).agents.get("a1"));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/encoded as "zstd" \(Content-Encoding\), which the SDK does not decode/);
    expect(seen(server, "GET", "/agents/a1", from)).toHaveLength(1);
  });

  test("stacked codings are decoded last first; identity is no coding", async () => {
    server.routes.set("GET /agents/a1", (_req, res) => {
      const bytes = zlib.gzipSync(zlib.deflateSync(JSON.stringify(AGENT)));
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "identity, deflate, GZIP" });
      res.end(bytes);
    });
    expect(await client().agents.get("a1")).toEqual(AGENT);
  });

  test("the 64 MiB cap counts decoded bytes: a small body that inflates past it fails at once", async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(65 * 1024 * 1024, 0x20));
    server.routes.set("GET /agents/a1", gzipBytes(bomb));
    const error = await failure(client({ maxRetries: 2 }).agents.get("a1"));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/past 64 MiB/);
  }, 20_000);

  test("the call's timeout bounds the decoded body: a gzip body dripped slowly fails with APITimeoutError", async () => {
    server.routes.set("GET /agents/a1", (_req, res) => {
      const bytes = zlib.gzipSync(JSON.stringify(AGENT));
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      let at = 0;
      const timer = setInterval(() => {
        if (res.destroyed || at >= bytes.length) return clearInterval(timer);
        res.write(bytes.subarray(at, ++at));
      }, 100);
      res.on("close", () => clearInterval(timer));
    });
    const started = Date.now();
    const error = await failure(client({ timeout: 400, maxRetries: 0 }).agents.get("a1"));
    expect(error).toBeInstanceOf(APITimeoutError);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  test("aborting a compressed export mid-stream ends it as an uncompressed one ends, and closes the connection", async () => {
    let closed: Promise<void> = Promise.resolve();
    server.routes.set("GET /data/export", (_req, res) => {
      closed = new Promise((resolve) => res.on("close", () => resolve()));
      const out = compressingStream(res, "application/x-ndjson", "gzip");
      out.write(`${JSON.stringify({ kind: "agent", data: AGENT })}\n`);
      out.flush();
    });
    const controller = new AbortController();
    const reason = new Error("enough");
    const error = await failure(
      (async () => {
        for await (const _ of client({ maxRetries: 0 }).data.exportStream({ signal: controller.signal }))
          controller.abort(reason);
      })(),
    );
    // Today an export aborted mid-body ends as cut (an APIConnectionError), compressed or not.
    expect(error === reason || error instanceof APIConnectionError).toBe(true);
    await closed;
  });

  test("createNodeFetch's Response holds the decoded body; an empty gzip body is empty", async () => {
    server.routes.set("GET /agents/a1", (_req, res) => sendCompressed(res, "br", 200, AGENT));
    server.routes.set("GET /agents/empty", (_req, res) =>
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" }).end(),
    );
    const fetch = createNodeFetch();
    expect(await (await fetch(new Request(`${server.baseURL}/v1.2/agents/a1`))).json()).toEqual(AGENT);
    expect(await (await fetch(new Request(`${server.baseURL}/v1.2/agents/empty`))).text()).toBe("");
  });
});
