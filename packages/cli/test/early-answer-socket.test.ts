/**
 * A server that answers before it has read a request's body (a 413 past its
 * 10 MiB limit, as the mock and most gateways do) and closes the connection
 * afterwards. The SDK's Node transport had pooled the socket once the body
 * was handed to it, its last bytes still being written; their EPIPE then came
 * as an 'error' event nobody listened for, and `resonant copy` of an account
 * holding an object over the limit ended with Node's stack dump and exit 1,
 * after logging the refused batch, instead of exit 2. Run as a real process
 * against the mock on 127.0.0.1; the kinds copied after the sessions give the
 * server the time to close the connection while the run goes on.
 */
import { readFile } from "node:fs/promises";
import { createMockApi, DEMO_API_KEY } from "@resonantgenesis/mock";
import { startMockServer, type MockServer } from "@resonantgenesis/mock/server";
import { MAX_BODY_BYTES } from "@resonantgenesis/schemas/meta";
import { ResonantClient } from "@resonantgenesis/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, tempDir } from "./helpers.js";

const api = createMockApi({ seed: { agents: 1, memories: 400, webhooks: 50 }, stepDelayMs: 1 });
let mock: MockServer;
let tmp: Awaited<ReturnType<typeof tempDir>>;
let session: string;

beforeAll(async () => {
  mock = await startMockServer({ api });
  tmp = await tempDir();
  const client = new ResonantClient({ apiKey: DEMO_API_KEY, baseURL: mock.baseURL, logLevel: "off" });
  const agent = (await client.agents.list().toArray())[0]!;
  // Within the limit as a create; past it as an import item (its id, times and steps added).
  const blob = "x".repeat(MAX_BODY_BYTES - 150);
  session = (await client.sessions.create({ agent_id: agent.id, goal: "g", context: { blob } })).id;
});
afterAll(async () => {
  await mock?.close();
  await tmp?.remove();
});

describe("an answer that comes before the request's body is read", { timeout: 120_000 }, () => {
  it("is one refused item of a copy (exit 2), not a crash on the socket it leaves", async () => {
    const { key: target } = api.createAccount();
    const run = await cliFor(
      mock,
      DEMO_API_KEY,
      tmp.dir,
    )(["copy", "--to-key", target, "--failures", "failures.ndjson", "--secrets-out", "secrets.ndjson"]);
    expect(run.stderr).not.toMatch(/Unhandled 'error' event|EPIPE|node:events/);
    expect(run.code, run.stderr).toBe(2);
    const failures = (await readFile(tmp.path("failures.ndjson"), "utf8")).trim().split("\n");
    expect(failures.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ id: session, kind: "sessions", code: "request_too_large", status: 413 }),
    ]);
    // Everything after the refused batch went in.
    expect(run.stdout).toMatch(/^memories\s+400\s+400\s+0\s+0$/m);
    expect(run.stdout).toMatch(/^webhooks\s+50\s+50\s+0\s+0$/m);
  });
});
