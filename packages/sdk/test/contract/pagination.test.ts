import { describe, expect, test } from "vitest";
import { useMock, version } from "./harness.js";

const mock = useMock();

describe(`pagination (API ${version})`, () => {
  test("a page, its cursor and the next page", async () => {
    const { key } = mock.api.createAccount();
    mock.api.seed({ agents: 45 }, { key });
    const client = mock.client({ apiKey: key });
    const page = await client.agents.list({ limit: 20 });
    expect(page.data).toHaveLength(20);
    expect(page.hasMore).toBe(true);
    expect(page.nextCursor).toEqual(expect.any(String));
    const next = await page.getNextPage();
    expect(next.data[0]!.id).not.toBe(page.data[0]!.id);
    const last = await await next.getNextPage();
    expect(last.data).toHaveLength(5);
    expect(last.hasMore).toBe(false);
    await expect(last.getNextPage()).rejects.toThrow(/hasMore/);
  });

  test("for await walks every page without a first await, oldest first", async () => {
    const { key } = mock.api.createAccount();
    mock.api.seed({ agents: 45 }, { key });
    const client = mock.client({ apiKey: key });
    const seen: string[] = [];
    for await (const agent of client.agents.list({ limit: 10 })) seen.push(agent.created_at + agent.id);
    expect(seen).toHaveLength(45);
    expect(new Set(seen).size).toBe(45);
    expect(mock.sent.filter((r) => r.method === "GET")).toHaveLength(5);
    expect(await client.agents.list({ limit: 100 }).toArray()).toHaveLength(45);
    await expect(client.agents.list().toArray({ limit: 10 })).rejects.toThrow(RangeError);
  });

  test("leaving the loop early fetches no more pages", async () => {
    const { key } = mock.api.createAccount();
    mock.api.seed({ agents: 30 }, { key });
    const client = mock.client({ apiKey: key });
    let n = 0;
    for await (const _ of client.agents.list({ limit: 10 })) if (++n === 3) break;
    expect(mock.sent).toHaveLength(1);
  });

  test("export pages walk the same way", async () => {
    const { key } = mock.api.createAccount();
    mock.api.seed({ agents: 25, sessions: 3 }, { key });
    const client = mock.client({ apiKey: key });
    const ids: string[] = [];
    for await (const agent of client.agents.export({ limit: 10 })) ids.push(agent.id);
    expect(ids).toHaveLength(25);
    const sessions = await client.sessions.export();
    expect(sessions.data).toHaveLength(3);
    expect(sessions.data[0]).toHaveProperty("steps");
  });
});
