// Walking a list's pages against a server whose cursors go round: the walk stops with an error that
// names the cursor, instead of fetching for ever.
import { describe, expect, it } from "vitest";
import { ResonantClient, ResonantError, ResponseValidationError, type Fetch } from "@resonantgenesis/sdk";

const agent = (n: number) => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  object: "agent",
  name: `agent-${n}`,
  description: null,
  system_prompt: "",
  model: "gpt-4.1",
  temperature: 0.7,
  max_tokens: null,
  status: "active",
  metadata: {},
  created_at: "2026-11-24T10:00:00Z",
  updated_at: "2026-11-24T10:00:00Z",
  tool_ids: [],
  version: 1,
  memory_enabled: false,
});

/** A list that answers each cursor from `next` (the first page for none), and counts the requests. */
function listing(next: Record<string, string | null>): { fetch: Fetch; asked: (string | null)[] } {
  const asked: (string | null)[] = [];
  const fetch: Fetch = async (input, init) => {
    const cursor = new URL(new Request(input, init).url).searchParams.get("cursor");
    asked.push(cursor);
    const following = next[cursor ?? "start"] ?? null;
    return Response.json({
      object: "list",
      data: [agent(asked.length)],
      has_more: following !== null,
      next_cursor: following,
    });
  };
  return { fetch, asked };
}

const client = (fetch: Fetch) => new ResonantClient({ apiKey: "rg_test_sk_x", fetch, logLevel: "off", maxRetries: 0 });

describe("a list whose cursors go round", () => {
  it.each([
    ["the same cursor again", { start: "c1", c1: "c1" }, ["c1"]],
    ["a cycle of two", { start: "c1", c1: "c2", c2: "c1" }, ["c1", "c2"]],
  ])("%s: the walk stops at the repeat with a ResponseValidationError", async (_name, next, followed) => {
    const { fetch, asked } = listing(next);
    const seen: string[] = [];
    const walk = (async () => {
      for await (const a of client(fetch).agents.list()) seen.push(a.name);
    })();
    const error = await walk.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).issues).toEqual([
      { path: "next_cursor", message: `"${followed[0]}" was followed before: the list would never end` },
    ]);
    expect(asked).toEqual([null, ...followed]); // each cursor fetched once
    expect(seen).toHaveLength(asked.length); // and every item that came was handed on first
  });

  it("a list that ends is walked to its end", async () => {
    const { fetch, asked } = listing({ start: "c1", c1: "c2", c2: null });
    const names = await client(fetch).agents.list().toArray();
    expect(names.map((a) => a.name)).toEqual(["agent-1", "agent-2", "agent-3"]);
    expect(asked).toEqual([null, "c1", "c2"]);
  });

  it("the last page has no next page: asking for it rejects with a ResonantError (never a synchronous throw), nothing sent", async () => {
    const { fetch, asked } = listing({ start: null });
    const page = await client(fetch).agents.list();
    expect(page.hasMore).toBe(false);
    let next: ReturnType<typeof page.getNextPage> | undefined;
    expect(() => {
      next = page.getNextPage();
    }).not.toThrow();
    await expect(next).rejects.toThrow(ResonantError);
    await expect(page.getNextPage()).rejects.toThrow("No next page: check page.hasMore before calling getNextPage().");
    // .catch() on its result sees the error (a synchronous throw went past it), and so does withResponse().
    expect(await page.getNextPage().catch((error: unknown) => error)).toBeInstanceOf(ResonantError);
    await expect(page.getNextPage().withResponse()).rejects.toThrow(ResonantError);
    // Dropped unawaited, it is no unhandled rejection (as no call of the SDK is).
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    void page.getNextPage();
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.off("unhandledRejection", onUnhandled);
    expect(unhandled).toEqual([]);
    expect(asked).toEqual([null]);
  });
});

describe("a page that says has_more without a next_cursor", () => {
  // docs/protocol.md section 4: next_cursor is null on the last page only. Ending the walk there would hand
  // back part of the list as if it were all of it (an export's webhooks, a SyncClient's array).
  const contradicting: Fetch = async () =>
    Response.json({ object: "list", data: [agent(1)], has_more: true, next_cursor: null });
  const issues = [
    { path: "next_cursor", message: "is null while has_more is true: the rest of the list cannot be fetched" },
  ];

  it("the walk hands on the page's items, then stops with a ResponseValidationError", async () => {
    const seen: string[] = [];
    const error = await (async () => {
      for await (const a of client(contradicting).agents.list()) seen.push(a.name);
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).issues).toEqual(issues);
    expect(seen).toEqual(["agent-1"]);
    await expect(client(contradicting).agents.list().toArray()).rejects.toThrow(ResponseValidationError);
  });

  it("the page says what the answer said, and asking for the next page rejects with the same error", async () => {
    const page = await client(contradicting).agents.list();
    expect(page.hasMore).toBe(true);
    expect(page.nextCursor).toBeNull();
    const error = await page.getNextPage().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).issues).toEqual(issues);
  });
});
