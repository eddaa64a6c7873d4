/**
 * An answer must still be readable after a garbage collection. undici cancels
 * the body of a Response that was cloned once that Response object is
 * collected, and Hono's re-wraps (`new Response(res.body, res)`) share the
 * body: the idempotency stage once cloned the first answer of a key, so a
 * collection before the answer was sent (rare, except on a loaded machine or
 * while a wrapper held the answer) cancelled it. Through api.fetch the body
 * was unusable; on the loopback server the CORS re-wrap threw "Response body
 * object should not be disturbed or locked" and the client got a 500.
 */
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEMO_API_KEY, type MockApi } from "../src/index.js";
import { startMockServer, type MockServer } from "../src/server.js";
import { mock, raw } from "./helpers.js";

/** V8's gc, read through a fresh context so that the test process needs no --expose-gc and keeps none. */
function takeGc(): () => void {
  v8.setFlagsFromString("--expose-gc");
  try {
    return runInNewContext("gc") as () => void;
  } finally {
    v8.setFlagsFromString("--no-expose-gc");
  }
}
const gc = takeGc();

/** A full collection, and time for the finalization callbacks it queues (tasks of their own) to run. */
async function collect(): Promise<void> {
  for (let i = 0; i < 2; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const agent = { name: "kept through a collection" };

describe("api.fetch", () => {
  test("the first answer of an Idempotency-Key is readable after a collection, and so is its replay", async () => {
    const api = mock();
    const headers = { "Idempotency-Key": `gc-${crypto.randomUUID()}` };
    const first = await raw(api, "POST", "/agents", { body: agent, headers });
    await collect();
    expect(first.status).toBe(201);
    const created = await first.json();
    expect(created.name).toBe(agent.name);
    const again = await raw(api, "POST", "/agents", { body: agent, headers });
    await collect();
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(created);
  });
});

describe("startMockServer", () => {
  let server: MockServer;
  beforeAll(async () => {
    const api = mock();
    // As the CLI's counting mock does while it holds an answer back: a collection comes between the mock's answer
    // and the server's CORS wrapping it.
    const held: MockApi = Object.create(api);
    held.fetch = async (request) => {
      const response = await api.fetch(request);
      await collect();
      return response;
    };
    server = await startMockServer({ api: held });
  });
  afterAll(() => server.close());

  test("a POST with an Idempotency-Key, its answer held across a collection, is a 201 with its body, not a 500", async () => {
    const res = await fetch(`${server.baseURL}/v1.2/agents`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${DEMO_API_KEY}`,
        "Content-Type": "application/json",
        "Idempotency-Key": `gc-${crypto.randomUUID()}`,
      },
      body: JSON.stringify(agent),
    });
    const text = await res.text();
    expect(res.status, text).toBe(201);
    expect(JSON.parse(text).name).toBe(agent.name);
  });
});
