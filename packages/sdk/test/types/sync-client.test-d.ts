import { describe, expectTypeOf, test } from "vitest";
import { SyncClient, type Agent, type Archive, type ImportReport, type Step, type Tool } from "@resonantgenesis/sdk";

const options = { apiKey: "rg_test_sk_x" };

describe("SyncClient's types follow ResonantClient's, without promises", () => {
  test("calls return values; lists return arrays", () => {
    const client = new SyncClient(options);
    expectTypeOf(client.apiVersion).toEqualTypeOf<"1.2">();
    expectTypeOf(client.agents.get("id")).toEqualTypeOf<Agent<"1.2">>();
    expectTypeOf(client.agents.list()).toEqualTypeOf<Agent<"1.2">[]>();
    expectTypeOf(client.agents.delete("id")).toEqualTypeOf<void>();
    expectTypeOf(client.sessions.steps.list("ses")).toEqualTypeOf<Step[]>();
    expectTypeOf(client.tools.list({}, { maxItems: 50_000 })).toEqualTypeOf<Tool<"1.2">[]>();
    expectTypeOf(client.data.exportAll()).toEqualTypeOf<Archive<"1.2">>();
    expectTypeOf(
      client.data.importAll(client.data.exportAll(), { onProgress: () => {} }),
    ).toEqualTypeOf<ImportReport>();
  });

  test("the pinned version picks the resources and fields", () => {
    const legacy = new SyncClient({ ...options, apiVersion: "1.0" });
    expectTypeOf(legacy.apiVersion).toEqualTypeOf<"1.0">();
    // @ts-expect-error teams arrive in 1.2
    void legacy.teams;
    // @ts-expect-error tools arrive in 1.1
    void legacy.tools;
    // @ts-expect-error per-kind import of webhooks arrives in 1.2
    legacy.webhooks.import({ webhooks: [] });
    expectTypeOf(legacy.agents.get("id")).not.toHaveProperty("tool_ids");
    expectTypeOf(new SyncClient({ ...options, apiVersion: "1.1" }).tools.list()).toEqualTypeOf<Tool<"1.1">[]>();
  });

  test("what cannot work across threads does not compile", () => {
    const client = new SyncClient(options);
    // @ts-expect-error streams need ResonantClient
    client.sessions.stream({ agent_id: "a", goal: "g" });
    // @ts-expect-error streams need ResonantClient
    client.data.exportStream();
    // @ts-expect-error nothing can abort a blocked thread
    client.agents.get("id", { signal: AbortSignal.timeout(1) });
    // @ts-expect-error maxItems is for lists
    client.agents.get("id", { maxItems: 3 });
    // @ts-expect-error fetch cannot cross to the worker
    new SyncClient({ ...options, fetch: globalThis.fetch });
    // @ts-expect-error a key function must answer synchronously
    new SyncClient({ apiKey: async () => "rg_test_sk_x" });
    new SyncClient({ apiKey: () => "rg_test_sk_x" });
  });
});
