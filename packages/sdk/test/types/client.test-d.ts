import { describe, expectTypeOf, test } from "vitest";
import {
  ResonantClient,
  type Agent,
  type APIPromise,
  type Page,
  type PagePromise,
  type SessionStreamEvent,
  type Tool,
  type WithResponse,
} from "@resonantgenesis/sdk";

const options = { apiKey: "rg_test_sk_x" };

describe("the version literal picks the client's type", () => {
  test("the default is 1.2 with every resource", () => {
    const client = new ResonantClient(options);
    expectTypeOf(client.apiVersion).toEqualTypeOf<"1.2">();
    expectTypeOf(client).toHaveProperty("teams");
    expectTypeOf(client).toHaveProperty("memories");
    expectTypeOf(client).toHaveProperty("triggers");
    expectTypeOf(client).toHaveProperty("tools");
  });

  test("a 1.0 client has neither the later resources nor the later fields", () => {
    const client = new ResonantClient({ ...options, apiVersion: "1.0" });
    expectTypeOf(client.apiVersion).toEqualTypeOf<"1.0">();
    // @ts-expect-error teams arrive in 1.2
    void client.teams;
    // @ts-expect-error tools arrive in 1.1
    void client.tools;
    expectTypeOf(client.agents.get("id")).resolves.not.toHaveProperty("tool_ids");
    expectTypeOf(client.agents.get("id")).resolves.not.toHaveProperty("version");
    // @ts-expect-error streaming arrives in 1.1
    void client.sessions.stream({ agent_id: "a", goal: "g" });
    // @ts-expect-error per-kind import of webhooks arrives in 1.2
    void client.webhooks.import({ webhooks: [] });
    // @ts-expect-error following a session arrives in 1.1
    void client.sessions.follow("s");
    // @ts-expect-error importing sessions arrives in 1.2
    void client.sessions.import({ sessions: [] });
    // @ts-expect-error exporting webhooks arrives in 1.2
    void client.webhooks.export();
  });

  test("a 1.1 client has tools and tool_ids but not teams or version", () => {
    const client = new ResonantClient({ ...options, apiVersion: "1.1" });
    expectTypeOf(client.tools.list()).toEqualTypeOf<PagePromise<Tool<"1.1">>>();
    expectTypeOf(client.agents.get("id")).resolves.toHaveProperty("tool_ids");
    expectTypeOf(client.agents.get("id")).resolves.not.toHaveProperty("memory_enabled");
    // @ts-expect-error memories arrive in 1.2
    void client.memories;
    // @ts-expect-error triggers arrive in 1.2
    void client.triggers;
    // @ts-expect-error importing tools arrives in 1.2
    void client.tools.import({ tools: [] });
    // @ts-expect-error importing sessions arrives in 1.2
    void client.sessions.import({ sessions: [] });
    // @ts-expect-error exporting webhooks arrives in 1.2
    void client.webhooks.export();
    expectTypeOf(client.sessions).toHaveProperty("follow");
    expectTypeOf(client.tools).toHaveProperty("export");
  });

  test("a 1.2 agent carries every field, typed", () => {
    const client = new ResonantClient(options);
    expectTypeOf(client.agents.get("id")).resolves.toEqualTypeOf<Agent<"1.2">>();
    expectTypeOf<Agent<"1.2">["version"]>().toEqualTypeOf<number>();
    // An answer's enum names its known values and admits a newer server's (docs/protocol.md section 8).
    expectTypeOf<Agent<"1.2">["status"]>().toEqualTypeOf<"active" | "archived" | (string & {})>();
    expectTypeOf<Agent<"1.2">["description"]>().toEqualTypeOf<string | null>();
  });

  test("the client is still an instance of ResonantClient", () => {
    const client: unknown = new ResonantClient(options);
    if (client instanceof ResonantClient) expectTypeOf(client.apiVersion).toEqualTypeOf<"1.0" | "1.1" | "1.2">();
  });

  test("an unknown version does not compile", () => {
    // @ts-expect-error 2.0 is no API version
    new ResonantClient({ ...options, apiVersion: "2.0" });
  });
});

describe("calls", () => {
  const client = new ResonantClient(options);

  test("request bodies are checked by the compiler", () => {
    // @ts-expect-error name is required
    void client.agents.create({ model: "gpt-4-turbo" });
    // @ts-expect-error temperature is a number
    void client.agents.create({ name: "a", temperature: "hot" });
    // @ts-expect-error unknown fields are refused
    void client.agents.create({ name: "a", colour: "red" });
    // @ts-expect-error 1.0 agents take no tool_ids
    void new ResonantClient({ ...options, apiVersion: "1.0" }).agents.create({ name: "a", tool_ids: [] });
  });

  test("a field the schema lacks is a type error", async () => {
    const agent = await client.agents.get("id");
    // @ts-expect-error no such field
    void agent.unknownField;
  });

  test("withResponse, asResponse and lists", () => {
    expectTypeOf(client.agents.get("id")).toEqualTypeOf<APIPromise<Agent<"1.2">>>();
    expectTypeOf(client.agents.get("id").withResponse()).resolves.toEqualTypeOf<WithResponse<Agent<"1.2">>>();
    expectTypeOf(client.agents.get("id").asResponse()).resolves.toEqualTypeOf<Response>();
    expectTypeOf(client.agents.list()).resolves.toEqualTypeOf<Page<Agent<"1.2">>>();
    expectTypeOf(client.agents.list()).toMatchTypeOf<AsyncIterable<Agent<"1.2">>>();
    expectTypeOf(client.agents.delete("id")).resolves.toBeVoid();
  });

  test("a page's body holds what the SDK does not know, as unknown and read-only", async () => {
    const page = await client.agents.list();
    expectTypeOf(page.body.total_count).toBeUnknown();
    // @ts-expect-error the answer as it came is not the caller's to change
    page.body.total_count = 1;
  });

  test("stream events are a union narrowed by type", async () => {
    for await (const event of client.sessions.stream({ agent_id: "a", goal: "g" })) {
      expectTypeOf(event).toEqualTypeOf<SessionStreamEvent<"1.2">>();
      if (event.type === "message") expectTypeOf(event.data.delta).toBeString();
      if (event.type === "done")
        expectTypeOf(event.data.status).toEqualTypeOf<
          "running" | "completed" | "failed" | "cancelled" | (string & {})
        >();
      // A newer server's event type arrives as the unknown variant, with its name and raw data.
      if (event.type === "unknown") {
        expectTypeOf(event.event).toBeString();
        expectTypeOf(event.data).toBeUnknown();
      }
    }
  });

  test("exportStream records carry text only when asked for", async () => {
    for await (const record of client.data.exportStream({ withText: true })) {
      expectTypeOf(record.text).toBeString();
      if (record.kind === "agent") expectTypeOf(record.data.name).toBeString();
    }
    for await (const record of client.data.exportStream()) {
      // @ts-expect-error no text unless withText
      void record.text;
    }
  });

  test("withOptions keeps the version, or takes a new one", () => {
    expectTypeOf(client.withOptions({ maxRetries: 0 }).apiVersion).toEqualTypeOf<"1.2">();
    const legacy = client.withOptions({ apiVersion: "1.0" });
    // @ts-expect-error teams arrive in 1.2
    void legacy.teams;
  });
});

describe("logger", () => {
  test("console, or anything with its four levels, is a logger; a partial one is not", () => {
    new ResonantClient({ ...options, logger: console });
    const lines: unknown[][] = [];
    const keep = (...args: unknown[]) => void lines.push(args);
    new ResonantClient({ ...options, logger: { error: keep, warn: keep, info: keep, debug: keep } });
    // @ts-expect-error a logger needs debug too: at logLevel "debug" it would be called
    new ResonantClient({ ...options, logger: { error: keep, warn: keep, info: keep } });
  });
});

describe("exportStream's records are typed by the pinned version", () => {
  test("a 1.0 client's records are of 1.0's kinds, their objects as 1.0 exports them", async () => {
    const client = new ResonantClient({ ...options, apiVersion: "1.0" });
    for await (const record of client.data.exportStream()) {
      // @ts-expect-error teams arrive in 1.2: no 1.0 record is one
      if (record.kind === "team") break;
      // @ts-expect-error tools arrive in 1.1
      if (record.kind === "tool") break;
      if (record.kind === "agent") {
        expectTypeOf(record.data).not.toHaveProperty("version");
        expectTypeOf(record.data).not.toHaveProperty("tool_ids");
        expectTypeOf(record.data).toEqualTypeOf<Agent<"1.0">>();
      }
      if (record.kind === "webhook") expectTypeOf(record.data).not.toHaveProperty("filters");
    }
  });

  test("a 1.2 client's records hold every kind, as 1.2 exports them", async () => {
    const client = new ResonantClient(options);
    for await (const record of client.data.exportStream({ withText: true })) {
      if (record.kind === "agent") expectTypeOf(record.data.version).toEqualTypeOf<number>();
      if (record.kind === "team") expectTypeOf(record.data).toHaveProperty("agent_ids");
      if (record.kind === "unknown") expectTypeOf(record.raw.kind).toEqualTypeOf<string>();
      expectTypeOf(record.text).toEqualTypeOf<string>();
    }
  });
});

describe("a 1.2 session names an agent or a team, exactly one", () => {
  test("one of them compiles; neither or both do not; 1.0 still needs its agent", () => {
    const client = new ResonantClient(options);
    void client.sessions.create({ agent_id: "a", goal: "g" });
    void client.sessions.create({ team_id: "t", goal: "g" });
    // @ts-expect-error neither an agent nor a team
    void client.sessions.create({ goal: "g" });
    // @ts-expect-error both an agent and a team
    void client.sessions.create({ agent_id: "a", team_id: "t", goal: "g" });
    // @ts-expect-error both, to stream too
    void client.sessions.stream({ agent_id: "a", team_id: "t", goal: "g" });
    const old = new ResonantClient({ ...options, apiVersion: "1.0" });
    void old.sessions.create({ agent_id: "a", goal: "g" });
    // @ts-expect-error 1.0 has no teams
    void old.sessions.create({ team_id: "t", goal: "g" });
  });
});
