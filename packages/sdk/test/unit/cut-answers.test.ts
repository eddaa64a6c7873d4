import { describe, expect, test } from "vitest";
import {
  Agents,
  APIConnectionError,
  createNodeFetch,
  ResonantClient,
  ResonantCore,
  type Fetch,
} from "@resonantgenesis/sdk";
import { cutMidBody } from "./faulty-server.js";
import { seen, useFaultyServer } from "./use-faulty-server.js";

// An answer cut after its status line, when the server has already acted:
// the body is read within the attempt, so the cut is retried exactly when a
// reset connection would be (an idempotent method, or an Idempotency-Key).
const server = await useFaultyServer();

const AGENT = JSON.stringify({
  id: "a1",
  object: "agent",
  name: "triage",
  model: "gpt-4-turbo",
  padding: "x".repeat(300),
});
const undici: Fetch = (request, init) => globalThis.fetch(request, init);
// The Node transport wrapped as a user (or the CLI) would: no longer marked as timing out by itself.
const nodeFetch = createNodeFetch();
const wrappedNode: Fetch = (request, init) => nodeFetch(request, init);

function client(fetch?: Fetch, core = false) {
  // maxRetries 2 everywhere: a call that is not retried is refused by rule, not for want of retries.
  const options = {
    apiKey: "rg_test_sk_x",
    baseURL: server.baseURL,
    logLevel: "off",
    validateResponses: false,
    maxRetries: 2,
    fetch,
  } as const;
  // ResonantCore sends through fetch itself where ResonantClient goes through ky: both roads are held to the same.
  return core ? { agents: new ResonantCore(options).use(Agents) } : new ResonantClient(options);
}

describe.each([
  ["the Node transport, length announced", undefined, "length", false],
  ["the Node transport, chunked", undefined, "chunked", false],
  ["a fetch option (undici), length announced", undici, "length", false],
  ["a fetch option (undici), chunked", undici, "chunked", false],
  ["a fetch option wrapping createNodeFetch, chunked", wrappedNode, "chunked", false],
  ["ResonantCore, a fetch option (undici), length announced", undici, "length", true],
  ["ResonantCore, a fetch option (undici), chunked", undici, "chunked", true],
] as const)("an answer cut mid-body (%s)", (_name, fetch, framing, core) => {
  test("a POST (it carries an Idempotency-Key) is sent again with the same key and answers", async () => {
    server.routes.set("POST /agents", (_req, res, n) =>
      n === 0 ? cutMidBody(res, AGENT, framing) : res.writeHead(201, { "content-type": "application/json" }).end(AGENT),
    );
    const from = server.received.length;
    const agent = await client(fetch, core).agents.create({ name: "triage", model: "gpt-4-turbo" });
    expect(agent).toMatchObject({ id: "a1", name: "triage" });
    const posts = seen(server, "POST", "/agents", from);
    expect(posts).toHaveLength(2);
    expect(posts[0]!.headers["idempotency-key"]).toMatch(/^rg-/);
    expect(posts[1]!.headers["idempotency-key"]).toBe(posts[0]!.headers["idempotency-key"]);
    server.routes.delete("POST /agents");
  });

  test("a GET is sent again and answers", async () => {
    server.routes.set("GET /agents/a1", (_req, res, n) =>
      n === 0 ? cutMidBody(res, AGENT, framing) : res.writeHead(200, { "content-type": "application/json" }).end(AGENT),
    );
    const from = server.received.length;
    expect(await client(fetch, core).agents.get("a1")).toMatchObject({ id: "a1" });
    expect(seen(server, "GET", "/agents/a1", from)).toHaveLength(2);
    server.routes.delete("GET /agents/a1");
  });

  test("a PATCH (no Idempotency-Key: a repeat would bump the version again) is not sent again: a connection error", async () => {
    server.routes.set("PATCH /agents/a1", (_req, res) => cutMidBody(res, AGENT, framing));
    const from = server.received.length;
    const error = await client(fetch, core)
      .agents.update("a1", { name: "triage-2" })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(seen(server, "PATCH", "/agents/a1", from)).toHaveLength(1);
    server.routes.delete("PATCH /agents/a1");
  });
});
