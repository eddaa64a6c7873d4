/**
 * The traffic knobs, run as real `resonant` processes against a real mock:
 * `--concurrency N` keeps at most N import batches in flight (and does keep
 * several), with exact counts and each batch carried out once; `--rate N`
 * spaces requests at least 1/N s apart. The mock timestamps what it is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMockApi, DEMO_API_KEY } from "@resonantgenesis/mock";
import { startMockServer, type MockServer } from "@resonantgenesis/mock/server";
import { cliFor, tempDir } from "./helpers.js";

const AGENTS = 1000;
let server: MockServer;
let tmp: Awaited<ReturnType<typeof tempDir>>;
let archive: string;
/** Import calls as the mock saw them: when each started and ended (ms), and how many items. */
const calls: { start: number; end: number; items: number }[] = [];
let inFlight = 0;
let maxInFlight = 0;

beforeAll(async () => {
  const api = createMockApi({ stepDelayMs: 1, seed: { agents: AGENTS } });
  const timed = Object.create(api) as typeof api;
  timed.fetch = async (request: Request) => {
    if (request.method !== "POST" || !new URL(request.url).pathname.endsWith("/import")) return api.fetch(request);
    const start = performance.now();
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const items = ((await request.clone().json()) as { agents?: unknown[] }).agents?.length ?? 0;
    // A server that takes its time, so that batches sent at once overlap here.
    await new Promise((resolve) => setTimeout(resolve, 40));
    try {
      return await api.fetch(request);
    } finally {
      inFlight -= 1;
      calls.push({ start, end: performance.now(), items });
    }
  };
  server = await startMockServer({ api: timed });
  tmp = await tempDir();
  archive = tmp.path("agents.json");
  const run = await cliFor(server, DEMO_API_KEY, tmp.dir)(["export", "--out", archive, "--quiet"]);
  expect(run.code, run.stderr).toBe(0);
});
afterAll(async () => {
  await server.close();
  await tmp.remove();
});

const fresh = () => {
  calls.length = 0;
  maxInFlight = 0;
  return cliFor(server, server.api.createAccount().key, tmp.dir);
};

describe("traffic", () => {
  it("--concurrency 3: several batches in flight, never more than 3, every item in exactly once", async () => {
    const run = await fresh()(["import", archive, "--batch-size", "100", "--concurrency", "3", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(maxInFlight).toBeLessThanOrEqual(3);
    expect(maxInFlight).toBeGreaterThan(1);
    // Only the agents carry items; the archive's other kinds are empty and send nothing.
    expect(calls.map((c) => c.items).reduce((a, b) => a + b, 0)).toBe(AGENTS);
    expect(calls).toHaveLength(AGENTS / 100);
    const summary = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .at(-1)!;
    expect(JSON.stringify(summary)).toContain(`"created":${AGENTS}`);
  });

  it("--concurrency 1 (the default) sends one batch at a time", async () => {
    const run = await fresh()(["import", archive, "--batch-size", "250", "--quiet"]);
    expect(run.code, run.stderr).toBe(0);
    expect(maxInFlight).toBe(1);
    expect(calls).toHaveLength(4);
  });

  it("--rate 20 spaces the requests 50 ms apart on average, however many are allowed in flight", async () => {
    const run = await fresh()([
      "import",
      archive,
      "--batch-size",
      "100",
      "--rate",
      "20",
      "--concurrency",
      "4",
      "--quiet",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const starts = calls.map((c) => c.start).sort((a, b) => a - b);
    expect(starts).toHaveLength(10);
    // A lower bound set by the pacing itself (a token bucket shared by every request), not a speed
    // figure: 10 calls at 20 a second leave the client at least 9 gaps of 50 ms apart. The server
    // sees the first ones late by their connection's setup (up to 4 new connections here), so one
    // gap is allowed for that; unpaced, the same 10 calls span about 3 waves of 40 ms.
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(8 * 50);
  });
});
