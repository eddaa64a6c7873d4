/**
 * Two writes of one object in one revision (metadata.x, then metadata.y) go in the journal's order, whatever
 * --concurrency: each PATCH carries the whole metadata, so sent side by side, the one that landed last undid the
 * other (up lost y, down kept x), and both runs said they had done their work. A server that holds the first of
 * the two back makes the race certain.
 */
import { createMockApi, DEMO_API_KEY, MockNetworkError } from "@resonantgenesis/mock";
import type { MockServer } from "@resonantgenesis/mock/server";
import { ResonantClient } from "@resonantgenesis/sdk";
import { afterAll, beforeAll, expect, it } from "vitest";
import { cliFor, startHandledMock, tempDir } from "./helpers.js";
import { migrationSource, writeMigrations } from "./migrate-helpers.js";

const TWO_WRITES = migrationSource({
  revision: "c1",
  downRevision: null,
  up: `await ctx.update("agents", { where: () => true, set: { "metadata.x": "1" } });
    await ctx.update("agents", { where: () => true, set: { "metadata.y": "2" } });`,
});

let server: MockServer;
let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
  await writeMigrations(tmp.path("migrations"), { "0001_c1.mjs": TWO_WRITES });
  server = await startHandledMock(createMockApi({ seed: { agents: 4 } }), async (request, ask) => {
    // The write that sets x alone (up's first, down's undoing of y) is held back 300 ms.
    if (request.method === "PATCH") {
      const body = await request.clone().text();
      if (body.includes('"x"') && !body.includes('"y"')) await new Promise((resolve) => setTimeout(resolve, 300));
    }
    return ask(request);
  });
});
afterAll(async () => {
  await server.close();
  await tmp.remove();
});

const metadata = async () => {
  const client = new ResonantClient({ apiKey: DEMO_API_KEY, baseURL: server.baseURL, logLevel: "off" });
  return (await client.agents.list({ limit: 100 })).data.map((agent) => agent.metadata);
};

it("up applies both writes of each object, and down undoes both, with --concurrency 8", async () => {
  const cli = cliFor(server, DEMO_API_KEY, tmp.dir);
  const up = await cli(["migrate", "up", "--yes", "--no-backup", "--concurrency", "8"]);
  expect(up.code, up.stderr).toBe(0);
  const after = await metadata();
  expect(after).toHaveLength(4);
  for (const m of after) expect(m).toMatchObject({ x: "1", y: "2" });
  const down = await cli(["migrate", "down", "--yes", "--no-backup", "--concurrency", "8"]);
  expect(down.code, down.stderr).toBe(0);
  for (const m of await metadata()) {
    expect(m).not.toHaveProperty("x");
    expect(m).not.toHaveProperty("y");
  }
}, 60_000);

it("a lease renewal that fails does not end the run with a crash: the run goes on and gives its lease back", async () => {
  let leases = 0;
  // Every renewal of the lease (a memory with the lease's tag, after the first) is lost on the way; writes are slow,
  // so the run outlives several renewals (each second, with a lease life of 3 s).
  const flaky = await startHandledMock(createMockApi({ seed: { agents: 3 } }), async (request, ask) => {
    if (request.method === "POST" && request.url.endsWith("/memories")) {
      const body = await request.clone().text();
      if (body.includes("resonant:migrate:lease") && ++leases > 1) throw new MockNetworkError();
    }
    if (request.method === "PATCH") await new Promise((resolve) => setTimeout(resolve, 700));
    return ask(request);
  });
  const dir = await tempDir();
  try {
    await writeMigrations(dir.path("migrations"), { "0001_c1.mjs": TWO_WRITES });
    const run = await cliFor(
      flaky,
      DEMO_API_KEY,
      dir.dir,
    )(["migrate", "up", "--yes", "--no-backup"], {
      env: { RESONANT_MIGRATE_LEASE_TTL_MS: "3000" },
    });
    expect(leases, "renewals were tried").toBeGreaterThan(2);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/at .*\.js:\d+/);
  } finally {
    await flaky.close();
    await dir.remove();
  }
}, 60_000);
