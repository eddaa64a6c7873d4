/** Abort signals on every road: no listener left on a long-lived signal, and an aborted one sends nothing. */
import { getEventListeners } from "node:events";
import { DEMO_API_KEY } from "@resonantgenesis/mock";
import {
  Agents,
  APITimeoutError,
  RequestValidationError,
  ResonantClient,
  ResonantCore,
  type Fetch,
} from "@resonantgenesis/sdk";
import { afterEach, describe, expect, test } from "vitest";
import { baseURL, inProcessMock } from "./in-process-mock.js";

const { viaMock, sent } = inProcessMock();
afterEach(() => {
  sent.length = 0;
});

describe("abort signals", () => {
  test("calls leave no listener on a long-lived signal", async () => {
    const controller = new AbortController();
    const client = new ResonantClient({ apiKey: DEMO_API_KEY, baseURL, fetch: viaMock, logLevel: "off" });
    const agent = await client.agents.create({ name: "listener" }, { signal: controller.signal });
    for (let i = 0; i < 20; i++) await client.agents.get(agent.id, { signal: controller.signal });
    for await (const _ of client.agents.list({ limit: 1 }, { signal: controller.signal })) break;
    for await (const event of client.sessions.stream(
      { agent_id: agent.id, goal: "hi" },
      { signal: controller.signal },
    )) {
      if (event.type === "session") break;
    }
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  test("a signal aborted before the call: the body is checked first, then the call rejects with the reason, nothing sent", async () => {
    // resonant migrate checks each planned write this way (packages/cli/src/migrate/account.ts).
    const client = new ResonantClient({ apiKey: DEMO_API_KEY, baseURL, fetch: viaMock, logLevel: "off" });
    const reason = new Error("not sent");
    const signal = AbortSignal.abort(reason);
    await expect(client.agents.update("a", { name: "x".repeat(101) }, { signal })).rejects.toBeInstanceOf(
      RequestValidationError,
    );
    await expect(client.agents.update("a", { name: "fine" }, { signal })).rejects.toBe(reason);
    await expect(client.agents.import({ agents: [] }, { signal })).rejects.toBe(reason);
    expect(sent).toHaveLength(0);
  });

  test.each(["ResonantClient", "ResonantCore"])(
    "%s given a fetch that ignores the signal: the caller's abort rejects the call with its reason, not the answer",
    async (road) => {
      // A test double or an older polyfill may never read init.signal: the attempt itself must stop at the abort.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const deaf: Fetch = async (request) => {
        await held;
        return viaMock(request);
      };
      const options = { apiKey: DEMO_API_KEY, baseURL, fetch: deaf, logLevel: "off", timeout: 600_000 } as const;
      const agents =
        road === "ResonantCore" ? new ResonantCore(options).use(Agents) : new ResonantClient(options).agents;
      const controller = new AbortController();
      const reason = new Error("stopped by the caller");
      const page = agents.list(undefined, { signal: controller.signal });
      const one = agents.get("missing", { signal: controller.signal });
      controller.abort(reason);
      // Without the abort raced against the fetch, both would wait for `held`, released only below.
      await expect(page).rejects.toBe(reason);
      await expect(one).rejects.toBe(reason);
      release();
    },
  );

  test.each(["ResonantClient", "ResonantCore"])(
    "%s whose key function never answers: the caller's abort and the timeout end the call, and nothing is sent",
    async (road) => {
      // A token endpoint that hangs (the browser pattern of docs/getting-started.md) must not hold the call for ever.
      const never = () => new Promise<string>(() => {});
      const make = (timeout: number) => {
        const options = { apiKey: never, baseURL, fetch: viaMock, logLevel: "off", timeout, maxRetries: 0 } as const;
        return road === "ResonantCore" ? new ResonantCore(options).use(Agents) : new ResonantClient(options).agents;
      };
      const reason = new Error("stopped by the caller");
      const controller = new AbortController();
      const aborted = make(600_000).get("a", { signal: controller.signal });
      controller.abort(reason);
      await expect(aborted).rejects.toBe(reason);
      await expect(make(100).get("a")).rejects.toBeInstanceOf(APITimeoutError);
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
      expect(sent).toHaveLength(0);
    },
  );

  test("a key function slower than nothing but within the timeout still answers, its key sent", async () => {
    const slow = () => new Promise<string>((resolve) => setTimeout(resolve, 50, DEMO_API_KEY));
    const client = new ResonantClient({ apiKey: slow, baseURL, fetch: viaMock, logLevel: "off", timeout: 5_000 });
    await expect(client.agents.list()).resolves.toMatchObject({ data: expect.any(Array) });
    expect(sent[0]!.headers.get("authorization")).toBe(`Bearer ${DEMO_API_KEY}`);
  });
});
