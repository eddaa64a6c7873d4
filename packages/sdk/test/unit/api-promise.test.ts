import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ResonantClient } from "@resonantgenesis/sdk";
import { useFaultyServer } from "./use-faulty-server.js";

// Issue 18: on Node the transport works in plain objects and builds the `Response` of
// withResponse()/asResponse() only when one is asked for. An awaited call that built one anyway
// cost about 0.05 ms a call (bench: 0.424 against 0.372 ms for a 100-item page).
const server = await useFaultyServer();

const ID = "00000000-0000-4000-8000-000000000001";
const AGENT = { id: ID, object: "agent", name: "a" };

// Counts the Responses built in this process while a test runs: the server is node:http, so only the client builds any.
const NativeResponse = globalThis.Response;
let built = 0;
beforeEach(() => {
  built = 0;
  globalThis.Response = class extends NativeResponse {
    constructor(...args: ConstructorParameters<typeof Response>) {
      super(...args);
      built++;
    }
  };
  server.routes.set(`GET /agents/${ID}`, (_req, res) =>
    res.writeHead(200, { "content-type": "application/json", "x-request-id": "req_1" }).end(JSON.stringify(AGENT)),
  );
});
afterEach(() => {
  globalThis.Response = NativeResponse;
});

// Validation off: this is about the response, not the answer check.
const client = () =>
  new ResonantClient<"1.2">({ apiKey: "rg_test_sk_promise", baseURL: server.baseURL, validateResponses: false });

describe("APIPromise on the Node transport", () => {
  test("an awaited call builds no Response", async () => {
    expect(await client().agents.get(ID)).toEqual(AGENT);
    expect(built).toBe(0);
  });

  test("withResponse() builds one, whose body is the answer, and the value is parsed once", async () => {
    const call = client().agents.get(ID);
    const { data, response, requestId } = await call.withResponse();
    expect(built).toBe(1);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(AGENT);
    expect(requestId).toBe("req_1");
    // Awaiting the same promise afterwards hands back the same parsed value.
    expect(await call).toBe(data);
  });

  test("asResponse() hands back the body unread", async () => {
    const response = await client().agents.get(ID).asResponse();
    expect(built).toBe(1);
    expect(await response.json()).toEqual(AGENT);
  });
});
