/**
 * An account object larger as a record than an archive may hold (10 MiB, the
 * API's body limit, which every reader of resonant enforces). The API takes a
 * session whose body is just under the limit, and its export record (the
 * body, plus its id, times, status and steps) is then just over it. `export`
 * wrote that record with exit 0, and `import`, `verify` and `restore` then
 * refused the whole archive at it: a backup of the whole account found
 * unusable only when it was needed. Export now stops naming the object, and
 * writes no file. Run as a real process against the mock on 127.0.0.1.
 */
import { existsSync } from "node:fs";
import { createMockApi, DEMO_API_KEY } from "@resonantgenesis/mock";
import { startMockServer, type MockServer } from "@resonantgenesis/mock/server";
import { MAX_BODY_BYTES } from "@resonantgenesis/schemas/meta";
import { ResonantClient } from "@resonantgenesis/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, tempDir } from "./helpers.js";

let mock: MockServer;
let tmp: Awaited<ReturnType<typeof tempDir>>;
let session: string;

beforeAll(async () => {
  mock = await startMockServer({ api: createMockApi({ seed: { agents: 1 }, stepDelayMs: 1 }) });
  tmp = await tempDir();
  const client = new ResonantClient({ apiKey: DEMO_API_KEY, baseURL: mock.baseURL, logLevel: "off" });
  const agent = (await client.agents.list().toArray())[0]!;
  // The request's body stays within the limit; the object the server keeps does not.
  const blob = "x".repeat(MAX_BODY_BYTES - 150);
  session = (await client.sessions.create({ agent_id: agent.id, goal: "g", context: { blob } })).id;
});
afterAll(async () => {
  await mock?.close();
  await tmp?.remove();
});

describe("an account object over the record bound", { timeout: 60_000 }, () => {
  it("is refused by export, in JSON and NDJSON, rather than written into an archive no reader takes", async () => {
    const cli = cliFor(mock, DEMO_API_KEY, tmp.dir);
    for (const out of ["big.json", "big.ndjson", "big.json.gz"]) {
      const run = await cli(["export", "--out", out]);
      expect(run.code, `${out}: ${run.stderr}`).toBe(1);
      expect(run.stderr).toContain(`resonant: sessions "${session}" is `);
      expect(run.stderr).toMatch(
        /bytes as an archive record, more than the 10485760 \(10 MiB, the API's body limit\) an archive's record may hold: it could never be imported, and import, verify and restore would refuse the whole archive; nothing was written/,
      );
      expect(existsSync(tmp.path(out))).toBe(false);
    }
  });
});
