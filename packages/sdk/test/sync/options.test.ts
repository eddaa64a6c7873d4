import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  ApiVersionGoneError,
  RequestValidationError,
  ResonantError,
  SyncClient,
  UnsupportedFeatureError,
  type DeprecationNotice,
} from "@resonantgenesis/sdk";
import { assertNodeRuntime } from "../../src/sync/channel.js";
import { runFixture, startMockChild, thrownBy, type MockInfo } from "./harness.js";

let mock: { info: MockInfo; stop: () => Promise<void> };

beforeAll(async () => {
  mock = await startMockChild();
}, 60_000);

afterAll(async () => {
  await mock?.stop();
});

// Each SyncClient starts a worker thread that loads the SDK from its
// TypeScript sources through tsx: seconds on a busy machine, not milliseconds.
describe("SyncClient options and lifecycle", { timeout: 60_000 }, () => {
  test("a version's lifecycle errors and notices cross too", () => {
    const { baseURL, demoKey } = mock.info;
    const gone = new SyncClient({ apiKey: demoKey, baseURL, apiVersion: "1.0", maxRetries: 0, logLevel: "off" });
    const notices: DeprecationNotice[] = [];
    const old = new SyncClient({ apiKey: demoKey, baseURL, apiVersion: "1.1", onDeprecation: (n) => notices.push(n) });
    try {
      const caught = thrownBy(() => gone.agents.list());
      expect(caught).toBeInstanceOf(ApiVersionGoneError);
      expect((caught as ApiVersionGoneError).status).toBe(410);
      expect((caught as ApiVersionGoneError).upgradeTo).toBeTruthy();

      // onDeprecation is a function, so it stays on this thread and is called back here, once.
      old.agents.list();
      old.agents.list();
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({ apiVersion: "1.1", deprecated: true });
    } finally {
      gone.close();
      old.close();
    }
  });

  test("a resource the pinned version lacks throws UnsupportedFeatureError, as on ResonantClient", () => {
    const client = new SyncClient({ apiKey: mock.info.demoKey, baseURL: mock.info.baseURL, apiVersion: "1.0" });
    try {
      expect(() => (client as unknown as { teams: unknown }).teams).toThrow(UnsupportedFeatureError);
    } finally {
      client.close();
    }
  });

  test("a key function is called before every call; one that returns a Promise is refused", () => {
    let calls = 0;
    const client = new SyncClient({
      baseURL: mock.info.baseURL,
      apiKey: () => {
        calls++;
        return mock.info.demoKey;
      },
    });
    const asyncKey = new SyncClient({ baseURL: mock.info.baseURL, apiKey: (async () => mock.info.demoKey) as never });
    try {
      client.agents.get(mock.info.agentIds[0]!);
      client.agents.get(mock.info.agentIds[1]!);
      expect(calls).toBe(2);
      expect(() => asyncKey.agents.list()).toThrow(/returned a Promise.*synchronously/);
    } finally {
      client.close();
      asyncKey.close();
    }
  });

  test("options are checked as ResonantClient checks them, and fetch is refused", () => {
    expect(() => new SyncClient({ apiKey: "rg_test_sk_x", timeout: -1 })).toThrow(RequestValidationError);
    expect(() => new SyncClient({ apiKey: "rg_test_sk_x", fetch: globalThis.fetch } as never)).toThrow(
      /^Invalid client options: fetch cannot be used by SyncClient.*worker thread/,
    );
    // A notice handler that is no function would throw on every notice, which is never allowed to fail a call.
    expect(() => new SyncClient({ apiKey: "rg_test_sk_x", onDeprecation: 5 as never })).toThrow(
      /Invalid client options: onDeprecation must be a function; got 5/,
    );
  });

  test("logger stays on this thread and writes the worker's lines here, redacted, at the client's level", () => {
    const { baseURL, demoKey } = mock.info;
    const lines: string[] = [];
    const keep = (line: string) => lines.push(line);
    const logger = { error: keep, warn: keep, info: keep, debug: (line: string) => lines.push(`debug ${line}`) };
    const client = new SyncClient({ apiKey: demoKey, baseURL, logger, logLevel: "debug" });
    const quiet = new SyncClient({ apiKey: demoKey, baseURL, logger, logLevel: "info" });
    try {
      client.agents.get(mock.info.agentIds[0]!);
      expect(lines).toEqual([expect.stringMatching(/^debug \[resonant\] GET agents\/\S+ -> 200 \(req_/)]);
      quiet.agents.get(mock.info.agentIds[0]!);
      expect(lines).toHaveLength(1);
      expect(JSON.stringify(lines)).not.toContain(demoKey);
    } finally {
      client.close();
      quiet.close();
    }
  });

  test("after close() calls throw a clear error", () => {
    const client = new SyncClient({ apiKey: mock.info.demoKey, baseURL: mock.info.baseURL });
    expect(client.agents.list({ limit: 1 }, { maxItems: 100 }).length).toBeGreaterThan(0);
    client.close();
    expect(() => client.agents.list()).toThrow(/closed/);
  });

  test("a script that never calls close() exits on its own, with code 0", async () => {
    // Without unref() on the worker it never exits.
    const { code, stdout } = await runFixture("no-close", mock.info);
    expect(code).toBe(0);
    expect(stdout).toContain("agents: 45");
  });

  test("@resonantgenesis/sdk/sync works imported alone, without the main entry", async () => {
    const { code, stdout } = await runFixture("sync-entry-alone", mock.info);
    expect(code).toBe(0);
    expect(stdout).toContain("agents: 45");
  });
});

describe("outside Node", () => {
  test("the guard names Node and points elsewhere to ResonantClient", () => {
    expect(() => assertNodeRuntime({})).toThrow(ResonantError);
    expect(() => assertNodeRuntime({ process: { versions: {} } })).toThrow(/only in Node\.js.*use ResonantClient/);
    expect(() => assertNodeRuntime({ process: { versions: { node: "18.0.0" } } })).toThrow(/20\.19 or newer/);
    expect(() => assertNodeRuntime()).not.toThrow();
  });

  test("constructing a SyncClient where process.versions.node is absent throws", () => {
    const real = globalThis.process;
    // Like a browser bundle's or an edge runtime's process shim: env, no Node version.
    Object.defineProperty(globalThis, "process", {
      value: { env: {}, versions: {} },
      configurable: true,
      writable: true,
    });
    let caught: unknown;
    try {
      new SyncClient({ apiKey: "rg_test_sk_x" });
    } catch (err) {
      caught = err;
    } finally {
      Object.defineProperty(globalThis, "process", { value: real, configurable: true, writable: true });
    }
    expect(caught).toBeInstanceOf(ResonantError);
    expect((caught as Error).message).toMatch(/only in Node\.js/);
  });
});
