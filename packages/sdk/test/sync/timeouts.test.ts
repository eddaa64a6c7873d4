import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { APITimeoutError, SyncClient } from "@resonantgenesis/sdk";
import { startFaultyChild, thrownBy } from "./harness.js";

// The SyncClient runs a real ResonantClient in its worker: the same timeout
// (body included) and the same retry of a cut answer, against a real server.
let server: Awaited<ReturnType<typeof startFaultyChild>> | undefined;
let baseURL = "";
beforeAll(async () => {
  server = await startFaultyChild();
  baseURL = server.baseURL;
}, 60_000);
afterAll(() => server?.stop());

describe("SyncClient honours the whole-attempt timeout and retries a cut answer", { timeout: 60_000 }, () => {
  test("a body dripped one byte per 200 ms fails with APITimeoutError, with timeout 3000 and maxRetries 0", () => {
    const client = new SyncClient({
      apiKey: "rg_test_sk_x",
      baseURL,
      timeout: 3000,
      maxRetries: 0,
      logLevel: "off",
      validateResponses: false,
    });
    try {
      const started = Date.now();
      const caught = thrownBy(() => client.agents.get("drip"));
      expect(caught).toBeInstanceOf(APITimeoutError);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      client.close();
    }
  });

  test("a POST whose answer is cut mid-body is sent again and answers", () => {
    const client = new SyncClient({
      apiKey: "rg_test_sk_x",
      baseURL,
      maxRetries: 2,
      logLevel: "off",
      validateResponses: false,
    });
    try {
      expect(client.agents.create({ name: "triage", model: "gpt-4-turbo" })).toMatchObject({
        id: "a1",
        name: "triage",
      });
    } finally {
      client.close();
    }
  });
});

describe("SyncClient hides a key function's key on the calling thread", { timeout: 60_000 }, () => {
  test("the default deprecation warning, printed on this thread, masks the key a gateway echoed", () => {
    const key = "tok-PLAIN-sync-secret-42";
    const lines: string[] = [];
    const log = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
    const client = new SyncClient({
      apiKey: () => key,
      baseURL,
      maxRetries: 0,
      validateResponses: false,
      logger: { error: log, warn: log, info: log, debug: log },
    });
    try {
      client.agents.get("echo");
      expect(lines.join("\n")).toMatch(/deprecated/);
      expect(lines.join("\n")).not.toContain(key);
    } finally {
      client.close();
    }
  });
});
