import { describe, expect, test } from "vitest";
import { DEMO_API_KEY } from "@resonantgenesis/mock";
import { ResonantClient, RequestValidationError, upgradeArchive, type Fetch } from "@resonantgenesis/sdk";
import { baseURL, inProcessMock } from "./in-process-mock.js";

// A fetch that records what would be sent and answers nothing useful: nothing may reach it.
const sent: string[] = [];
const recording: Fetch = async (input) => {
  sent.push(String(input));
  return new Response("{}", { status: 500 });
};
const client = new ResonantClient({
  apiKey: DEMO_API_KEY,
  baseURL: "https://example.test/api",
  fetch: recording,
  maxRetries: 0,
  logLevel: "off",
});

describe("data.importAll of something that is not an archive object", () => {
  test.each([
    ["null", null, "null"],
    ["a string", '{"format":"resonantgenesis.export"}', "string"],
    ["an array", [{ api_version: "1.2" }], "array"],
    ["a number", 42, "number"],
    ["a boolean", true, "boolean"],
  ])(
    "%s: a RequestValidationError saying it must be an object and what it got (its type only), nothing sent",
    async (_name, archive, got) => {
      sent.length = 0;
      const error = await client.data.importAll(archive as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(RequestValidationError);
      expect((error as RequestValidationError).issues).toEqual([
        { path: "archive", message: `must be an object, got ${got}` },
      ]);
      expect((error as Error).message).toBe(`Invalid request: archive: must be an object, got ${got}`);
      // The type, never the value (a string archive is often a whole file's text).
      expect((error as Error).message).not.toContain("resonantgenesis.export");
      expect(sent).toEqual([]);
    },
  );

  test("undefined (no archive passed) is said to be required, nothing sent", async () => {
    sent.length = 0;
    await expect(client.data.importAll(undefined as never)).rejects.toThrow(
      new RequestValidationError(undefined, { issues: [{ path: "archive", message: "is required" }] }),
    );
    expect(sent).toEqual([]);
  });

  test("upgradeArchive says the same of a non-object", () => {
    for (const [archive, got] of [
      [null, "null"],
      [[], "array"],
      [undefined, "undefined"],
      ["x", "string"],
    ] as const) {
      expect(() => upgradeArchive(archive as never, "1.2" as never)).toThrow(
        new RequestValidationError(undefined, {
          issues: [{ path: "archive", message: `must be an object, got ${got}` }],
        }),
      );
    }
  });
});

/** A client whose every import call succeeds, and the `METHOD /path` of each call it sent. */
function answeringClient(): [ResonantClient, string[]] {
  const posted: string[] = [];
  const answering = new ResonantClient({
    apiKey: DEMO_API_KEY,
    baseURL: "https://example.test/api",
    maxRetries: 0,
    logLevel: "off",
    fetch: async (input, init) => {
      const request = new Request(input, init);
      posted.push(`${request.method} ${new URL(request.url).pathname}`);
      return Response.json({ imported: 1, skipped: 0, failed: [] });
    },
  });
  return [answering, posted];
}

describe("data.importAll of a newer server's kind named __proto__", () => {
  test("imports it to its own path like any kind it does not know, not dropped as an object's prototype", async () => {
    const [answering, posted] = answeringClient();
    const kinds = ["tools", "agents", "teams", "sessions", "memories", "triggers", "webhooks"];
    const empty = kinds.map((k) => `"${k}":[]`).join(",");
    const archive = JSON.parse(
      `{"format":"resonantgenesis.export","format_version":1,"api_version":"1.2","exported_at":"2026-01-01T00:00:00Z",${empty},"__proto__":[{"id":"p1"}]}`,
    );
    await answering.data.importAll(archive);
    expect(posted).toEqual(["POST /api/v1.2/__proto__/import"]);
  });
});

describe("data.importAll's onProgress", () => {
  test("one that is no function is refused before the first batch is sent, not after it", async () => {
    const [answering, posted] = answeringClient();
    const kinds = ["tools", "agents", "teams", "sessions", "memories", "triggers", "webhooks"];
    const archive = {
      format: "resonantgenesis.export",
      format_version: 1,
      api_version: "1.2",
      exported_at: "2026-01-01T00:00:00Z",
      ...Object.fromEntries(kinds.map((kind) => [kind, []])),
      workflows: [{ id: "w1" }],
    };
    const error = await answering.data.importAll(archive as never, { onProgress: 5 as never }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).issues).toEqual([
      { path: "options.onProgress", message: "must be a function" },
    ]);
    expect(posted).toEqual([]);
  });
});

describe("data.importAll of a record JSON cannot write", () => {
  test("nested deeper than JSON.stringify reaches: a RequestValidationError at its path, nothing sent", async () => {
    const { api, viaMock } = inProcessMock();
    api.seed({ agents: 2 });
    const source = new ResonantClient({ apiKey: DEMO_API_KEY, baseURL, fetch: viaMock, logLevel: "off" });
    const archive = await source.data.exportAll();
    // A member a newer server may add, carried as it came: here nested past what the engine's JSON.stringify reaches.
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    (archive.agents[1] as Record<string, unknown>).x_deep = deep;
    sent.length = 0;
    const error = await client.data.importAll(archive).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).issues).toEqual([
      { path: "archive.agents.1", message: expect.stringMatching(/^cannot be written as JSON: RangeError/) },
    ]);
    expect(sent).toEqual([]);
  });
});
