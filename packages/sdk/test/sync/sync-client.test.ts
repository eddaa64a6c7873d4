import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  APIError,
  NotFoundError,
  RequestValidationError,
  ResonantError,
  SyncClient,
  type ImportProgress,
} from "@resonantgenesis/sdk";
import { startMockChild, thrownBy, type MockInfo } from "./harness.js";

let mock: { info: MockInfo; stop: () => Promise<void> };
let client: SyncClient;

beforeAll(async () => {
  mock = await startMockChild();
  client = new SyncClient({ apiKey: mock.info.demoKey, baseURL: mock.info.baseURL, maxRetries: 0 });
}, 60_000);

afterAll(async () => {
  client?.close();
  await mock?.stop();
});

// The first call waits for the worker thread to load the SDK from its
// TypeScript sources through tsx: seconds on a busy machine.
describe("SyncClient against the mock over HTTP", { timeout: 60_000 }, () => {
  test("a list returns every item of every page, as one array", () => {
    const agents = client.agents.list({ limit: 10 });
    expect(Array.isArray(agents)).toBe(true);
    // 45 seeded agents at 10 a page: five pages, walked in order.
    expect(agents.map((a) => a.id)).toEqual(mock.info.agentIds);
    expect(client.sessions.steps.list(client.sessions.list()[0]!.id).length).toBeGreaterThan(0);
  });

  test("get, create, update and delete return plain values", () => {
    const created = client.agents.create({ name: "sync-made", model: "gpt-4-turbo", system_prompt: "Be brief" });
    expect(created).toMatchObject({ name: "sync-made", model: "gpt-4-turbo" });
    expect(client.agents.get(created.id).name).toBe("sync-made");
    expect(client.agents.update(created.id, { name: "sync-renamed" }).name).toBe("sync-renamed");
    expect(client.agents.delete(created.id)).toBeUndefined();
    expect(() => client.agents.get(created.id)).toThrow(NotFoundError);
  });

  test("an API error is rebuilt on this side: the same class, every field", () => {
    const caught = thrownBy(() => client.agents.get("agt_missing"));
    expect(caught).toBeInstanceOf(NotFoundError);
    expect(caught).toBeInstanceOf(APIError);
    expect(caught).toBeInstanceOf(ResonantError);
    const err = caught as NotFoundError;
    expect(err.status).toBe(404);
    expect(err.code).toBe("agent_not_found");
    expect(err.requestId).toMatch(/^req_/);
    expect(err.headers.get("x-request-id")).toBe(err.requestId);
    expect(err.stack).toContain("NotFoundError");
  });

  test("a bad body is a RequestValidationError thrown before anything is sent", () => {
    const before = client.agents.list().length;
    const caught = thrownBy(() => client.agents.create({ model: "gpt-4-turbo" } as never));
    expect(caught).toBeInstanceOf(RequestValidationError);
    expect((caught as RequestValidationError).issues.map((i) => i.path)).toContain("body.name");
    expect(client.agents.list().length).toBe(before);
  });

  test("exportAll and importAll move an account into another, with progress called back here", () => {
    const archive = client.data.exportAll();
    expect(archive.agents.length).toBe(client.agents.list().length);
    const target = new SyncClient({ apiKey: mock.info.otherKey, baseURL: mock.info.baseURL });
    try {
      expect(target.agents.list()).toEqual([]);
      const progress: ImportProgress[] = [];
      const report = target.data.importAll(archive, { onProgress: (p) => progress.push(p) });
      expect(report.failed).toEqual([]);
      expect(report.imported.agents).toBe(archive.agents.length);
      expect(progress).toContainEqual({ kind: "agents", done: archive.agents.length, total: archive.agents.length });
      expect(target.agents.list().map((a) => a.id)).toEqual(archive.agents.map((a) => a.id));
      expect(target.memories.list().length).toBe(archive.memories.length);
    } finally {
      target.close();
    }
  });

  test("streaming is refused with an error that points to ResonantClient", () => {
    const calls = [
      () =>
        (client.sessions as unknown as { stream(b: unknown): unknown }).stream({
          agent_id: mock.info.agentIds[0],
          goal: "Greet",
        }),
      () => (client.sessions as unknown as { follow(id: string): unknown }).follow("ses_x"),
      () => (client.data as unknown as { exportStream(): unknown }).exportStream(),
    ];
    for (const call of calls) {
      expect(call).toThrow(ResonantError);
      expect(call).toThrow(
        /ResonantClient: for await \(const event of client\.(sessions\.stream|sessions\.follow|data\.exportStream)\(/,
      );
    }
  });

  test("a list longer than maxItems throws instead of growing without bound", () => {
    expect(() => client.agents.list({ limit: 10 }, { maxItems: 12 })).toThrow(/more than 12 items.*maxItems/);
    expect(() => client.agents.list({ limit: 10 }, { maxItems: 12 })).toThrow(ResonantError);
    expect(client.agents.list({}, { maxItems: 100 }).length).toBeGreaterThanOrEqual(45);
    expect(client.agents.list({}, { maxItems: Infinity }).length).toBeGreaterThanOrEqual(45);
  });

  test("a maxItems that is no positive integer is refused before anything is sent", () => {
    for (const maxItems of ["5", -1, 0, 2.5, Number.NaN]) {
      const caught = thrownBy(() => client.agents.list({ limit: 10 }, { maxItems } as never));
      expect(caught).toBeInstanceOf(RequestValidationError);
      expect((caught as RequestValidationError).issues).toEqual([
        { path: "options.maxItems", message: `must be a positive integer or Infinity; got ${String(maxItems)}` },
      ]);
    }
  });

  test("a callback that throws stops the import in the worker too: no later batch is sent", async () => {
    const target = new SyncClient({ apiKey: mock.info.otherKey, baseURL: mock.info.baseURL, logLevel: "off" });
    try {
      const before = target.agents.list({ limit: 100 }).length;
      const [agent] = client.agents.list({ limit: 1 }, { maxItems: 100 });
      const agents = Array.from({ length: 3500 }, (_, i) => ({
        ...agent!,
        id: crypto.randomUUID(),
        name: `bulk-${i}`,
      }));
      const empty = { tools: [], teams: [], sessions: [], memories: [], triggers: [], webhooks: [] };
      const archive = { ...client.data.exportAll(), ...empty, agents };
      const stop = () => {
        throw new Error("enough");
      };
      expect(thrownBy(() => target.data.importAll(archive, { onProgress: stop }))).toMatchObject({ message: "enough" });
      // Time for the batches the worker would have gone on to (each about a second on a busy machine).
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const imported = target.agents.list({ limit: 100 }, { maxItems: 10_000 }).length - before;
      // The first batch, and at most the one already sent when the callback threw; not the four of them.
      expect(imported).toBeGreaterThanOrEqual(1000);
      expect(imported).toBeLessThanOrEqual(2000);
    } finally {
      target.close();
    }
  });

  test("an AbortSignal is refused: nothing could fire it while the thread is blocked", () => {
    const options = { signal: AbortSignal.timeout(1000) } as never;
    expect(() => client.agents.get(mock.info.agentIds[0]!, options)).toThrow(RequestValidationError);
  });
});
