import type { ServerResponse } from "node:http";
import zlib from "node:zlib";
import { describe, expect, test } from "vitest";
import { Agents, APIConnectionError, Data, type Fetch, ResonantClient, ResonantCore } from "@resonantgenesis/sdk";
import { failure, seen, useFaultyServer } from "./use-faulty-server.js";

// An answer in a coding the platform's fetch does not decode reaches the SDK as it came (the Fetch standard's
// "handle content codings"): it must fail naming the coding, never be read as if it were plain. Both fetch roads:
// ResonantClient (ky) and ResonantCore (fetch itself), against a real loopback server and Node's fetch (undici).
const server = await useFaultyServer();

const undici: Fetch = (request, init) => globalThis.fetch(request, init);
const AGENT = { id: "a1", object: "agent", name: "triage", model: "gpt-4-turbo" };
const END = {
  kind: "end",
  counts: { tools: 0, agents: 1, teams: 0, sessions: 0, memories: 0, triggers: 0, webhooks: 0 },
};
const NDJSON = `${JSON.stringify({ kind: "agent", data: AGENT })}\n${JSON.stringify(END)}\n`;

function client(core: boolean, maxRetries = 2) {
  const options = {
    apiKey: "rg_test_sk_x",
    baseURL: server.baseURL,
    logLevel: "off",
    validateResponses: false,
    maxRetries,
    fetch: undici,
  } as const;
  if (!core) return new ResonantClient(options);
  const resonant = new ResonantCore(options);
  return { agents: resonant.use(Agents), data: resonant.use(Data) };
}

/** A whole answer: `body` sent as it is, under `coding`. */
const answer =
  (coding: string, body: string | Buffer, type = "application/json") =>
  (_req: unknown, res: ServerResponse) =>
    res.writeHead(200, { "content-type": type, "content-encoding": coding }).end(body);

/**
 * A zstd frame of `text` (one raw block, no checksum), written out by hand: Node 20 has no zstd encoder. A
 * platform whose fetch decodes zstd reads `text`; one that does not hands these bytes on as they came.
 */
function zstdFrame(text: string): Buffer {
  const content = Buffer.from(text);
  const size = content.length;
  if (size > 255) throw new Error("zstdFrame writes a one-byte content size: 255 bytes at most");
  // Magic, then a single-segment frame header with a one-byte content size, then the last block, raw.
  const header = [0x28, 0xb5, 0x2f, 0xfd, 0x20, size];
  const block = 1 | (size << 3);
  return Buffer.concat([Buffer.from([...header, block & 0xff, (block >> 8) & 0xff, block >> 16]), content]);
}

/** Whether this platform's fetch hands `path`'s body on as it came (its first bytes still those of `first`). */
async function leftAsItCame(path: string, first: number): Promise<boolean> {
  const bytes = new Uint8Array(await (await fetch(`${server.baseURL}/v1.2${path}`)).arrayBuffer());
  return bytes[0] === first;
}

describe.each([
  ["ResonantClient (ky over fetch)", false],
  ["ResonantCore (fetch itself)", true],
] as const)("an answer fetch did not decode (%s)", (_name, core) => {
  test.each(["br2", "x-foo", "gzip, x-foo"])(
    "a %s answer is an APIConnectionError naming the coding, not retried, and not read as plain JSON",
    async (coding) => {
      // The body is plain JSON: read as it came, the call would succeed with it.
      server.routes.set("GET /agents/a1", answer(coding, JSON.stringify(AGENT)));
      const from = server.received.length;
      const error = await failure(client(core).agents.get("a1"));
      expect(error).toBeInstanceOf(APIConnectionError);
      expect((error as Error).message).toBe(
        `Connection error: fetch did not decode the answer's ${JSON.stringify(coding)} body (Content-Encoding)`,
      );
      expect(seen(server, "GET", "/agents/a1", from)).toHaveLength(1);
    },
  );

  test("an answer without a body (a 204) has nothing to decode, whatever its Content-Encoding says", async () => {
    server.routes.set("DELETE /agents/a1", (_req, res) => res.writeHead(204, { "content-encoding": "x-foo" }).end());
    await expect(client(core).agents.delete("a1")).resolves.toBeUndefined();
  });

  test("an NDJSON export in a coding fetch does not decode fails naming it, not resumed", async () => {
    const line = `${JSON.stringify({ kind: "agent", data: AGENT })}\n`;
    server.routes.set("GET /data/export", answer("x-foo", line, "application/x-ndjson"));
    const from = server.received.length;
    const error = await failure(
      (async () => {
        for await (const _ of client(core).data.exportStream());
      })(),
    );
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/did not decode the answer's "x-foo" body/);
    expect(seen(server, "GET", "/data/export", from)).toHaveLength(1);
  });

  test("zstd is read when the platform's fetch decodes it, else fails naming it", async () => {
    server.routes.set("GET /agents/a1", answer("zstd", zstdFrame(JSON.stringify(AGENT))));
    const undecoded = await leftAsItCame("/agents/a1", 0x28);
    const got = await failure(client(core).agents.get("a1"));
    if (undecoded) {
      expect(got).toBeInstanceOf(APIConnectionError);
      expect((got as Error).message).toMatch(/did not decode the answer's "zstd" body/);
    } else expect((got as Error).message).toBe("the call succeeded");
  });

  test("gzip bytes fetch handed on as they came (a stack it does not take whole) fail naming the coding", async () => {
    server.routes.set("GET /agents/a1", answer("identity, gzip", zlib.gzipSync(JSON.stringify(AGENT))));
    const undecoded = await leftAsItCame("/agents/a1", 0x1f);
    const got = await failure(client(core).agents.get("a1"));
    if (undecoded) expect((got as Error).message).toMatch(/did not decode the answer's "identity, gzip" body/);
    else expect((got as Error).message).toBe("the call succeeded");
  });

  test.each([
    ["zstd", 0x28, () => zstdFrame(NDJSON)],
    ["identity, gzip", 0x1f, () => zlib.gzipSync(NDJSON)],
  ] as const)(
    "an NDJSON export in %s is read when fetch decodes it, else fails (still compressed)",
    async (coding, first, bytes) => {
      server.routes.set("GET /data/export", answer(coding, bytes(), "application/x-ndjson"));
      const undecoded = await leftAsItCame("/data/export", first);
      const records: unknown[] = [];
      const error = await failure(
        (async () => {
          // No resume: the same bytes would come again.
          for await (const record of client(core, 0).data.exportStream()) records.push(record);
        })(),
      );
      if (undecoded) {
        expect(error).toBeInstanceOf(APIConnectionError);
        expect((error as Error).message).toMatch(/the stream's body is still compressed \(gzip or zstd\)/);
        expect(records).toEqual([]);
      } else expect(records).toHaveLength(2);
    },
  );

  test.each(["gzip", "deflate", "br", "identity"])("a %s answer fetch decodes is read", async (coding) => {
    const text = JSON.stringify(AGENT);
    const bytes =
      coding === "gzip"
        ? zlib.gzipSync(text)
        : coding === "deflate"
          ? zlib.deflateSync(text)
          : coding === "br"
            ? zlib.brotliCompressSync(text)
            : Buffer.from(text);
    server.routes.set("GET /agents/a1", answer(coding, bytes));
    expect(await client(core).agents.get("a1")).toEqual(AGENT);
  });
});
