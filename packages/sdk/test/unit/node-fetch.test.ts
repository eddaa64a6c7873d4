import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { APIConnectionError, ResonantClient as NodeClient } from "@resonantgenesis/sdk";
import { APITimeoutError, NotFoundError, ResonantClient } from "../../src/index.js";
import { createNodeFetch } from "../../src/node/fetch.js";

// A plain loopback server, so the transport is checked against real sockets.
let server: Server;
let base = "";
const sockets = new Set<unknown>();
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/json") {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json", "x-seen-method": req.method ?? "" });
        res.end(JSON.stringify({ echo: body, auth: req.headers.authorization ?? null }));
      });
    } else if (req.url === "/slow" || req.url === "/v1.2/agents/slow") {
      setTimeout(() => res.writeHead(200).end("late"), 300);
    } else if (req.url === "/empty") {
      res.writeHead(204).end();
    } else if (req.url === "/events") {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("id: 1\ndata: one\n\n");
      const timer = setInterval(() => res.write(": ping\n\n"), 20);
      req.on("close", () => clearInterval(timer));
    } else res.writeHead(404).end("nope");
  });
  server.on("connection", (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("createNodeFetch", () => {
  const fetch = createNodeFetch();

  test("sends method, headers and body; reads status, headers and JSON", async () => {
    const res = await fetch(
      new Request(`${base}/json`, { method: "POST", body: "hi", headers: { authorization: "Bearer t" } }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("x-seen-method")).toBe("POST");
    expect(await res.json()).toEqual({ echo: "hi", auth: "Bearer t" });
  });

  test("keeps one socket alive across sequential calls", async () => {
    sockets.clear();
    for (let i = 0; i < 10; i++) await (await fetch(new Request(`${base}/json`))).text();
    expect(sockets.size).toBeLessThanOrEqual(1); // 0 when the previous test's socket is reused
  });

  test("204 has no body; 404 keeps its text", async () => {
    const empty = await fetch(new Request(`${base}/empty`));
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    const missing = await fetch(new Request(`${base}/missing`));
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe("nope");
  });

  test("an event stream stays a stream, and an abort closes it", async () => {
    const controller = new AbortController();
    const res = await fetch(new Request(`${base}/events`, { signal: controller.signal }));
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain("data: one");
    controller.abort();
    await expect(reader.read()).rejects.toBeDefined();
  });

  test("a client given it sends through its attempt: each attempt is seen, timed out and retried by the client", async () => {
    const seen: string[] = [];
    const watched = createNodeFetch({
      beforeAttempt: ({ method, url }) => {
        seen.push(`before ${method} ${new URL(url).pathname}`);
      },
      afterAttempt: (outcome) => {
        seen.push("error" in outcome ? `failed ${(outcome.error as Error).name}` : `answered ${outcome.status}`);
      },
    });
    const client = new ResonantClient({ apiKey: "k", baseURL: base, fetch: watched, timeout: 50, maxRetries: 1 });
    const started = Date.now();
    await expect(client.agents.get("slow")).rejects.toBeInstanceOf(APITimeoutError);
    // Two attempts of 50 ms and one backoff (at most 500 ms): far below the server's 300 ms twice plus a backoff.
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(client.agents.get("missing")).rejects.toBeInstanceOf(NotFoundError);
    expect(seen).toEqual([
      "before GET /v1.2/agents/slow",
      "failed AttemptTimeout",
      "before GET /v1.2/agents/slow",
      "failed AttemptTimeout",
      "before GET /v1.2/agents/missing",
      "answered 404",
    ]);
  });

  test("a buffered answer reads once, like any Response, and clones", async () => {
    const res = await fetch(new Request(`${base}/json`));
    const copy = res.clone();
    expect(res.bodyUsed).toBe(false);
    expect(await res.json()).toEqual({ echo: "", auth: null });
    expect(res.bodyUsed).toBe(true);
    await expect(res.text()).rejects.toThrow(TypeError);
    expect(await new Response(copy.body).text()).toBe(JSON.stringify({ echo: "", auth: null }));
  });

  test("a refused connection is a TypeError, as fetch's own", async () => {
    await expect(fetch(new Request("http://127.0.0.1:1/x"))).rejects.toBeInstanceOf(TypeError);
  });

  test("the default transport's connection error names the socket's error, not a fetch that never ran", async () => {
    // The package as Node resolves it, whose default transport is node:http.
    const client = new NodeClient({ apiKey: "rg_test_sk_x", baseURL: "http://127.0.0.1:1", maxRetries: 0 });
    const error = await client.agents.get("a").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toBe("Connection error: connect ECONNREFUSED 127.0.0.1:1");
  });

  test("an aborted signal rejects before sending", async () => {
    await expect(fetch(new Request(`${base}/json`, { signal: AbortSignal.abort() }))).rejects.toMatchObject({
      name: "AbortError",
    });
  });
});
