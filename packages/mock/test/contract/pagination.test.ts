// docs/protocol.md section 4: limit (1..100, default 20), opaque cursor, items in
// creation order, and a cursor that stays valid while items come and go.
import { describe, expect, test } from "vitest";
import {
  type Client,
  type Json,
  atLeast,
  createAgent,
  expectSchema,
  finished,
  newAccount,
  useServer,
} from "./harness.js";

const h = useServer();

async function agents(client: Client, n: number, prefix = "a"): Promise<Json[]> {
  const out: Json[] = [];
  for (let i = 0; i < n; i++) out.push(await createAgent(client, `${prefix}${String(i).padStart(3, "0")}`));
  return out;
}

async function page(client: Client, query: string): Promise<Json> {
  const res = await client.get(`/agents?${query}`);
  expect(res.status, res.text).toBe(200);
  return expectSchema("AgentList", res.json);
}

describe("walking pages", () => {
  test("every page in order, oldest first, has_more and next_cursor agree", async () => {
    const client = newAccount(h);
    const made = await agents(client, 45);
    const seen: Json[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p: Json = await page(client, `limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      pages++;
      expect(p.object).toBe("list");
      expect(p.data.length).toBeLessThanOrEqual(10);
      expect(p.has_more).toBe(p.next_cursor !== null);
      seen.push(...p.data);
      cursor = p.next_cursor;
    } while (cursor);
    expect(pages).toBe(5);
    expect(seen.map((a) => a.id)).toEqual(made.map((a) => a.id));
    expect(seen.map((a) => a.name)).toEqual([...seen.map((a) => a.name)].sort());
    for (let i = 1; i < seen.length; i++)
      expect(Date.parse(seen[i].created_at)).toBeGreaterThanOrEqual(Date.parse(seen[i - 1].created_at));
  });

  test("default limit is 20; the last page has next_cursor null", async () => {
    const client = newAccount(h);
    await agents(client, 25);
    const first = await page(client, "");
    expect(first.data).toHaveLength(20);
    expect(first.has_more).toBe(true);
    expect(typeof first.next_cursor).toBe("string");
    const second = await page(client, `cursor=${encodeURIComponent(first.next_cursor)}`);
    expect(second.data).toHaveLength(5);
    expect(second.has_more).toBe(false);
    expect(second.next_cursor).toBeNull();
  });

  test("an empty list", async () => {
    const p = await page(newAccount(h), "limit=5");
    expect(p).toEqual({ object: "list", data: [], has_more: false, next_cursor: null });
  });

  test("exactly limit items: has_more is false (or the next page is empty)", async () => {
    const client = newAccount(h);
    await agents(client, 5);
    const p = await page(client, "limit=5");
    expect(p.data).toHaveLength(5);
    if (p.has_more)
      expect((await page(client, `limit=5&cursor=${encodeURIComponent(p.next_cursor)}`)).data).toHaveLength(0);
  });

  test("limit bounds: 1 and 100 are fine; 0, 101, -1 and 'ten' are refused", async () => {
    const client = newAccount(h);
    await agents(client, 3);
    expect((await page(client, "limit=1")).data).toHaveLength(1);
    expect((await page(client, "limit=100")).data).toHaveLength(3);
    for (const bad of ["0", "101", "-1", "ten", "2.5"]) {
      const res = await client.get(`/agents?limit=${bad}`);
      expect([400, 422], `limit=${bad}`).toContain(res.status);
    }
  });

  test("a cursor that is not one of the server's: 400 or 422", async () => {
    const res = await newAccount(h).get("/agents?cursor=not-a-cursor");
    expect([400, 422]).toContain(res.status);
  });

  test("filters page too: ?status=archived", async () => {
    const client = newAccount(h);
    const made = await agents(client, 12);
    const archived = made.filter((_, i) => i % 3 === 0);
    for (const a of archived) expect((await client.patch(`/agents/${a.id}`, { status: "archived" })).status).toBe(200);
    const all = await client.listAll("/agents?status=archived", 2);
    expect(all.map((a) => a.id)).toEqual(archived.map((a) => a.id));
    expect((await client.listAll("/agents?status=active", 3)).length).toBe(12 - archived.length);
  });
});

describe("a cursor while items are inserted and deleted", () => {
  test("nothing that existed throughout is missed, nothing is seen twice", async () => {
    const client = newAccount(h);
    const made = await agents(client, 40);
    const deleted = new Set<string>();
    const inserted: Json[] = [];
    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const p: Json = await page(client, `limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      seen.push(...p.data.map((a: Json) => a.id));
      cursor = p.next_cursor;
      // between page fetches: delete the item the cursor stands on, one already seen,
      // and one not yet seen; insert two new ones
      const last = p.data[p.data.length - 1];
      const unseen = made.find((a) => !seen.includes(a.id) && !deleted.has(a.id) && a.id !== last?.id);
      const earlier = made.find((a) => seen.includes(a.id) && !deleted.has(a.id) && a.id !== last?.id);
      for (const victim of [last, earlier, unseen]) {
        if (!victim || deleted.has(victim.id)) continue;
        expect((await client.del(`/agents/${victim.id}`)).status).toBe(204);
        deleted.add(victim.id);
      }
      inserted.push(await createAgent(client, `new${round}a`), await createAgent(client, `new${round}b`));
      round++;
    } while (cursor && round < 50);
    expect(cursor).toBeNull();
    expect(new Set(seen).size).toBe(seen.length);
    const survivors = made.filter((a) => !deleted.has(a.id)).map((a) => a.id);
    for (const id of survivors) expect(seen).toContain(id);
    // items deleted before the cursor reached them never show up
    const deletedUnseen = [...deleted].filter((id) => seen.indexOf(id) === -1);
    expect(deletedUnseen.length).toBeGreaterThan(0);
    // the order stays creation order
    const order = [...made, ...inserted].map((a) => a.id);
    const positions = seen.map((id) => order.indexOf(id));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });
});

describe("other lists", () => {
  test("sessions filter by agent_id, steps page from step 1", async () => {
    const client = newAccount(h);
    const a = await createAgent(client, "a");
    const b = await createAgent(client, "b");
    const mine = [];
    for (let i = 0; i < 3; i++)
      mine.push(await client.create("/sessions", { agent_id: a.id, goal: `g${i}`, max_steps: 5 }));
    await client.create("/sessions", { agent_id: b.id, goal: "other" });
    const listed = await client.listAll(`/sessions?agent_id=${a.id}`, 2);
    expect(listed.map((s) => s.id)).toEqual(mine.map((s) => s.id));
    const done = await finished(client, mine[0].id);
    const steps = await client.listAll(`/sessions/${mine[0].id}/steps`, 1);
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.map((s) => s.step_number)).toEqual(steps.map((_, i) => i + 1));
    for (const s of steps) expect(s.session_id).toBe(done.id);
    const first = await client.get(`/sessions/${mine[0].id}/steps?limit=1`);
    expectSchema("StepList", first.json);
  });

  test("sessions filter by status", async () => {
    const client = newAccount(h);
    const a = await createAgent(client, "a");
    const s1 = await client.create("/sessions", { agent_id: a.id, goal: "g" });
    const done = await finished(client, s1.id);
    const listed = await client.listAll(`/sessions?status=${done.status}`);
    expect(listed.map((s) => s.id)).toContain(s1.id);
    const other = done.status === "completed" ? "failed" : "completed";
    expect((await client.listAll(`/sessions?status=${other}`)).map((s) => s.id)).not.toContain(s1.id);
  });
});

describe("every list endpoint of the version pages with limit and cursor", () => {
  type Maker = (client: Client, i: number, ctx: Json) => Promise<Json>;
  const endpoints: [string, string, Maker, boolean][] = [
    [
      "/webhooks",
      "WebhookList",
      (c, i) => c.create("/webhooks", { url: `https://h${i}.example.com/x`, events: ["agent.created"] }),
      true,
    ],
    ["/sessions", "SessionList", (c, i, ctx) => c.create("/sessions", { agent_id: ctx.agent.id, goal: `g${i}` }), true],
    [
      "/tools",
      "ToolList",
      (c, i) => c.create("/tools", { name: `tool${i}`, endpoint: "https://t.example.com" }),
      atLeast("1.1"),
    ],
    [
      "/teams",
      "TeamList",
      (c, i, ctx) => c.create("/teams", { name: `team${i}`, agent_ids: [ctx.agent.id] }),
      atLeast("1.2"),
    ],
    ["/memories", "MemoryList", (c, i) => c.create("/memories", { content: `memory ${i}` }), atLeast("1.2")],
    [
      "/agents/{agent}/triggers",
      "TriggerList",
      (c, i, ctx) => c.create(`/agents/${ctx.agent.id}/triggers`, { name: `t${i}`, goal_template: "g" }),
      atLeast("1.2"),
    ],
  ];
  for (const [path, schema, make, exists] of endpoints)
    test.runIf(exists)(`${path}: limit=1 walks 3 items in 3 pages, oldest first`, async () => {
      const client = newAccount(h);
      const ctx = { agent: await createAgent(client) };
      const made = [];
      for (let i = 0; i < 3; i++) made.push(await make(client, i, ctx));
      const listPath = path.replace("{agent}", ctx.agent.id);
      const ids: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await client.get(`${listPath}?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
        const p: Json = expectSchema(schema, res.json);
        expect(p.data.length).toBeLessThanOrEqual(1);
        ids.push(...p.data.map((x: Json) => x.id));
        cursor = p.next_cursor;
        pages++;
      } while (cursor && pages < 10);
      expect(ids).toEqual(made.map((x) => x.id));
      expect(pages).toBeGreaterThanOrEqual(3);
    });
});
