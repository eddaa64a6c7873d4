import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { SyncClient } from "@resonantgenesis/sdk";
import { startMockChild, type MockInfo } from "./harness.js";

// The SyncClient's answers cross a thread as structured clones: what the SDK
// does not know (a later server's fields, values and kinds) must cross too.
let mock: { info: MockInfo; stop: () => Promise<void> };
let source: SyncClient;
let target: SyncClient;

beforeAll(async () => {
  mock = await startMockChild({ MOCK_EVOLVE: "1", SEED_AGENTS: "5" });
  source = new SyncClient({ apiKey: mock.info.demoKey, baseURL: mock.info.baseURL, maxRetries: 0, logLevel: "off" });
  target = new SyncClient({ apiKey: mock.info.otherKey, baseURL: mock.info.baseURL, maxRetries: 0, logLevel: "off" });
}, 60_000);

afterAll(async () => {
  source?.close();
  target?.close();
  await mock?.stop();
});

describe("SyncClient against the evolved mock", { timeout: 60_000 }, () => {
  test("unknown fields and values reach the caller, and exportAll then importAll keeps them and the new kind", () => {
    const agents = source.agents.list();
    expect(agents[0]).toHaveProperty("lineage");
    expect(agents.map((a) => a.status)).toContain("paused");
    const archive = source.data.exportAll();
    expect(archive).toHaveProperty("workflows");
    const report = target.data.importAll(archive);
    expect(report.failed).toEqual([]);
    const { exported_at: _a, ...before } = archive as unknown as Record<string, unknown>;
    const { exported_at: _b, ...after } = target.data.exportAll() as unknown as Record<string, unknown>;
    expect(JSON.stringify(after)).toBe(JSON.stringify(before));
  });
});
