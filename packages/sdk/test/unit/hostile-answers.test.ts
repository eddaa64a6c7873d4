import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  Agents,
  APIConnectionError,
  Data,
  APIError,
  InternalServerError,
  ResonantClient,
  ResonantCore,
  ResponseValidationError,
  type Fetch,
} from "@resonantgenesis/sdk";
import { startFaultyServer, type FaultyServer } from "./faulty-server.js";

// Answers a hostile or broken server could send, against a real loopback
// server, on both roads: the SDK's Node transport and a `fetch` option (undici).
let server: FaultyServer;
// The other origin of the cross-origin redirect: a second port.
let elsewhere: FaultyServer;
beforeAll(async () => {
  [server, elsewhere] = await Promise.all([startFaultyServer(), startFaultyServer()]);
});
afterAll(() => Promise.all([server.close(), elsewhere.close()]));

const KEY = "rg_test_sk_hostile";
const undici: Fetch = (request, init) => globalThis.fetch(request, init);
const TRANSPORTS = [
  ["the Node transport", undefined, false],
  ["a fetch option (undici)", undici, false],
  ["ResonantCore, a fetch option (undici): fetch itself, not ky", undici, true],
] as const;
const MiB = 1024 * 1024;

let core = false;
function client(fetch: Fetch | undefined, timeout = 20_000) {
  const options = { apiKey: KEY, baseURL: server.baseURL, logLevel: "off", maxRetries: 0, timeout, fetch } as const;
  return core ? { agents: new ResonantCore<"1.2">(options).use(Agents) } : new ResonantClient<"1.2">(options);
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => new Error("the call succeeded"),
    (error: unknown) => error as Error,
  );
}

// A gateway's page: long enough that dumping it whole into a message would show.
const PAGE = `<!doctype html><html><head><title>502 Bad Gateway</title></head><body>${"<p>nginx upstream detail</p>".repeat(400)}</body></html>`;

/** Writes `chunk` until `total` bytes (or forever), waiting for each drain; counts what the socket took. */
function pour(res: ServerResponse, chunk: Buffer, total: number, sent: { bytes: number }) {
  const more = () => {
    while (!res.destroyed && sent.bytes < total) {
      sent.bytes += chunk.length;
      if (!res.write(chunk)) return void res.once("drain", more);
    }
    if (!res.destroyed) res.end();
  };
  more();
}

describe.each(TRANSPORTS)("hostile answers (%s)", (_name, fetch, onCore) => {
  beforeAll(() => {
    core = onCore;
  });
  test("an HTML page with status 200 is a ResponseValidationError quoting its start, not the page", async () => {
    server.routes.set("GET /agents/h200", (_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(PAGE));
    const error = await failure(client(fetch).agents.get("h200"));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.message).toContain("the body of a 200 answer is not JSON: <!doctype html>");
    expect(error.message.length).toBeLessThan(400);
  });

  test("an HTML 502 page is an InternalServerError named by its status and title, not the page", async () => {
    server.routes.set("GET /agents/h502", (_req, res) => res.writeHead(502, { "content-type": "text/html" }).end(PAGE));
    const error = await failure(client(fetch).agents.get("h502"));
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as APIError).status).toBe(502);
    expect((error as APIError).code).toBe("upstream_error");
    expect(error.message).toContain("502");
    expect(error.message).toContain("Bad Gateway");
    expect(error.message.length).toBeLessThan(400);
  });

  test("truncated JSON with status 200 is a ResponseValidationError, not a crash", async () => {
    server.routes.set("GET /agents/cut", (_req, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end('{"id":'),
    );
    const error = await failure(client(fetch).agents.get("cut"));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.message).toContain('the body of a 200 answer is not JSON: {"id":');
  });

  test("an endless body fails at the 64 MiB cap, and the SDK stops reading", async () => {
    const sent = { bytes: 0 };
    server.routes.set("GET /agents/endless", (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      pour(res, Buffer.alloc(MiB, 0x20), Infinity, sent);
    });
    // The timeout is far above what 64 MiB takes on loopback: the cap, not the timeout, ends the call.
    const error = await failure(client(fetch, 60_000).agents.get("endless"));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.message).toContain("64 MiB");
    // What the socket took past the cap is its buffers, not a body held in memory.
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent.bytes).toBeLessThan(96 * MiB);
  }, 70_000);

  test.each([
    ["announced by Content-Length", true],
    ["chunked", false],
  ])(
    "an 80 MB answer %s fails at the cap with a clear error",
    async (_framing, announced) => {
      const total = 80 * MiB;
      const sent = { bytes: 0 };
      server.routes.set("GET /agents/huge", (_req, res) => {
        res.writeHead(200, {
          "content-type": "application/json",
          ...(announced ? { "content-length": String(total) } : {}),
        });
        pour(res, Buffer.alloc(MiB, 0x20), total, sent);
      });
      const error = await failure(client(fetch, 60_000).agents.get("huge"));
      expect(error).toBeInstanceOf(APIConnectionError);
      expect(error.message).toContain("64 MiB");
      if (announced) expect(error.message).toContain(String(total));
    },
    70_000,
  );

  test("exportAll's archive is as large as the account: 80 MB is read whole, past the cap of other answers", async () => {
    const total = 80 * MiB;
    server.routes.set("GET /data/export", (_req, res) => {
      const head = '{"agents":[]';
      const body = Buffer.alloc(total, 0x20);
      body.write(head, 0);
      body.write("}", total - 1);
      res.writeHead(200, { "content-type": "application/json", "content-length": String(total) }).end(body);
    });
    const options = {
      apiKey: KEY,
      baseURL: server.baseURL,
      logLevel: "off",
      maxRetries: 0,
      validateResponses: false,
      fetch,
    } as const;
    const data = core ? new ResonantCore<"1.2">(options).use(Data) : new ResonantClient<"1.2">(options).data;
    expect(await data.exportAll()).toEqual({ agents: [] });
  }, 70_000);

  test("a cross-origin redirect is not followed: an APIError naming the 302, and the key never leaves", async () => {
    const before = elsewhere.received.length;
    elsewhere.routes.set("GET /agents/moved", (_req, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end('{"id":"moved","object":"agent"}'),
    );
    server.routes.set("GET /agents/moved", (_req, res) =>
      res.writeHead(302, { location: `${elsewhere.baseURL}/v1.2/agents/moved` }).end(),
    );
    const error = await failure(client(fetch).agents.get("moved"));
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(302);
    expect(error.message).toContain("302");
    const reached = elsewhere.received.slice(before);
    expect(reached.filter((r) => r.headers.authorization !== undefined)).toEqual([]);
    expect(JSON.stringify(reached)).not.toContain(KEY);
  });
});
