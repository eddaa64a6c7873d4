// docs/protocol.md section 6: per-kind export page by page, import with kept ids
// and on_conflict, an item with a missing reference failing alone; 1.2's
// /data/export archive, its NDJSON stream, and /data/import.
import { describe, expect, test } from "vitest";
import { v1_2 } from "@resonantgenesis/schemas";
import {
  type Client,
  type Json,
  atLeast,
  createAgent,
  expectError,
  expectSchema,
  failureCode,
  missingId,
  ndjson,
  newAccount,
  useServer,
  version,
} from "./harness.js";

const h = useServer();

const ITEM: Record<string, string> = {
  agents: "Agent",
  sessions: "ExportedSession",
  tools: "Tool",
  webhooks: "Webhook",
  teams: "Team",
  memories: "Memory",
  triggers: "Trigger",
};
/** The exportable kinds of the version, in dependency order. */
const KINDS = v1_2.KINDS.filter((k) =>
  k === "agents" || k === "sessions" ? true : k === "tools" ? atLeast("1.1") : atLeast("1.2"),
);
const COUNTS: Record<string, number> = {
  tools: 3,
  agents: 12,
  teams: 2,
  sessions: 4,
  memories: 5,
  triggers: 2,
  webhooks: 2,
};

function seeded(): Client {
  const { key } = h.api.createAccount({});
  const counts = Object.fromEntries(
    Object.entries(COUNTS).filter(([k]) => KINDS.includes(k as never) || k === "webhooks"),
  );
  h.api.seed(counts as Parameters<typeof h.api.seed>[0], { key });
  return h.client.as(key);
}

async function exportEvery(client: Client, limit?: number): Promise<Record<string, Json[]>> {
  const out: Record<string, Json[]> = {};
  for (const kind of KINDS) out[kind] = await client.exportAll(kind, limit);
  return out;
}

describe("GET /<kind>/export", () => {
  test("every kind, page by page: whole objects, oldest first, steps inline, no secrets", async () => {
    const source = seeded();
    const paged = await exportEvery(source, 2);
    const whole = await exportEvery(source);
    for (const kind of KINDS) {
      expect(paged[kind], kind).toEqual(whole[kind]);
      expect(paged[kind]!.length, kind).toBe(COUNTS[kind]);
      for (const item of paged[kind]!) expectSchema(ITEM[kind]!, item);
    }
    // the same objects, in the same order, as the list endpoints
    const agents = await source.listAll("/agents");
    expect(whole.agents).toEqual(agents);
    const sessions = await source.listAll("/sessions");
    expect(whole.sessions!.map(({ steps: _steps, ...rest }) => rest)).toEqual(sessions);
    for (const s of whole.sessions!)
      expect(s.steps, "steps inline").toEqual(await source.listAll(`/sessions/${s.id}/steps`));
    expect(whole.sessions!.some((s) => s.steps.length > 0)).toBe(true);
  });

  test("one page answers {<kind>: [...], next_cursor}; limit bounds are 1..10000", async () => {
    const source = seeded();
    const res = await source.get("/agents/export?limit=5");
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(["agents", "next_cursor"]);
    expectSchema("AgentExportPage", res.json);
    expect(res.json.agents).toHaveLength(5);
    expect(typeof res.json.next_cursor).toBe("string");
    expect((await source.get("/agents/export?limit=10000")).json.next_cursor).toBeNull();
    expect([400, 422]).toContain((await source.get("/agents/export?limit=10001")).status);
    expect([400, 422]).toContain((await source.get("/agents/export?limit=0")).status);
  });

  test("kinds the version lacks are 404", async () => {
    if (!atLeast("1.1")) expectError(await h.client.get("/tools/export"), 404);
    if (!atLeast("1.2")) {
      for (const path of ["/teams/export", "/memories/export", "/triggers/export", "/data/export"])
        expectError(await h.client.get(path), 404);
      expectError(await h.client.post("/sessions/import", { sessions: [] }), 404);
    }
  });
});

describe("POST /agents/import", () => {
  async function source(n: number): Promise<{ client: Client; agents: Json[] }> {
    const client = newAccount(h);
    for (let i = 0; i < n; i++) await createAgent(client, `s${i}`, { metadata: { i: String(i) } });
    return { client, agents: await client.exportAll("agents") };
  }

  test("into a second account: ids kept, equal exports; the same import again changes nothing", async () => {
    const { agents } = await source(6);
    const target = newAccount(h);
    const first = await target.post("/agents/import", { agents });
    expect(first.status).toBe(200);
    expect(expectSchema("ImportResult", first.json)).toEqual({ imported: 6, skipped: 0, failed: [] });
    expect(await target.exportAll("agents")).toEqual(agents);
    expect((await target.get(`/agents/${agents[3].id}`)).json).toEqual(agents[3]);
    const again = await target.post("/agents/import", { agents });
    expect(expectSchema("ImportResult", again.json)).toEqual({ imported: 0, skipped: 6, failed: [] });
    expect(await target.exportAll("agents")).toEqual(agents);
  });

  test("on_conflict fail: every existing item fails with its id, nothing changes", async () => {
    const { agents } = await source(3);
    const target = newAccount(h);
    await target.post("/agents/import", { agents: agents.slice(0, 2) });
    const res = await target.post("/agents/import", {
      agents: agents.map((a) => ({ ...a, name: "renamed" })),
      on_conflict: "fail",
    });
    const result = expectSchema("ImportResult", res.json);
    expect(result.imported).toBe(1);
    expect(result.skipped).toBe(0);
    expect(result.failed.map((f: Json) => f.id).sort()).toEqual([agents[0].id, agents[1].id].sort());
    if (version === "1.2") for (const f of result.failed) expect(failureCode(f.error)).toBe("already_exists");
    expect((await target.get(`/agents/${agents[0].id}`)).json.name).toBe(agents[0].name);
  });

  test("on_conflict overwrite: existing items take the imported fields", async () => {
    const { agents } = await source(3);
    const target = newAccount(h);
    await target.post("/agents/import", { agents });
    const changed = agents.map((a) => ({ ...a, name: `${a.name}-v2`, description: "overwritten" }));
    const result = expectSchema(
      "ImportResult",
      (await target.post("/agents/import", { agents: changed, on_conflict: "overwrite" })).json,
    );
    expect(result.skipped).toBe(0);
    expect(result.failed).toEqual([]);
    expect(result.imported).toBe(3);
    for (const a of changed)
      expect((await target.get(`/agents/${a.id}`)).json).toMatchObject({ name: a.name, description: "overwritten" });
  });

  test("on_conflict skip leaves existing items as they are", async () => {
    const { agents } = await source(2);
    const target = newAccount(h);
    await target.post("/agents/import", { agents });
    const result = (
      await target.post("/agents/import", { agents: agents.map((a) => ({ ...a, name: "no" })), on_conflict: "skip" })
    ).json;
    expect(result).toEqual({ imported: 0, skipped: 2, failed: [] });
    expect((await target.get(`/agents/${agents[0].id}`)).json.name).toBe(agents[0].name);
  });

  test("refused as a whole: over 1000 items, a bad on_conflict", async () => {
    const { agents } = await source(1);
    const many = Array.from({ length: 1001 }, () => ({ ...agents[0], id: crypto.randomUUID() }));
    const target = newAccount(h);
    expect((await target.post("/agents/import", { agents: many })).status).toBe(422);
    expect((await target.post("/agents/import", { agents, on_conflict: "merge" })).status).toBe(422);
    expect(await target.exportAll("agents")).toEqual([]);
  });

  test.runIf(atLeast("1.1"))("1.1+: an agent naming a missing tool fails alone, the rest go in", async () => {
    const { agents } = await source(3);
    const broken = { ...agents[1], tool_ids: [missingId()] };
    const target = newAccount(h);
    const result = expectSchema(
      "ImportResult",
      (await target.post("/agents/import", { agents: [agents[0], broken, agents[2]] })).json,
    );
    expect(result.imported).toBe(2);
    expect(result.failed.map((f: Json) => f.id)).toEqual([broken.id]);
    expect((await target.exportAll("agents")).map((a) => a.id)).toEqual([agents[0].id, agents[2].id]);
  });
});

describe.runIf(atLeast("1.2"))("1.2: every kind, and the account archive", () => {
  async function importEvery(target: Client, data: Record<string, Json[]>): Promise<Json[]> {
    const results = [];
    for (const kind of KINDS) {
      const res = await target.post(`/${kind}/import`, { [kind]: data[kind] });
      expect(res.status, `${kind}: ${res.text}`).toBe(200);
      results.push(expectSchema("ImportResult", res.json));
    }
    return results;
  }

  test("each kind imports into a second account in dependency order, giving equal exports; again: all skipped", async () => {
    const data = await exportEvery(seeded());
    const target = newAccount(h);
    const first = await importEvery(target, data);
    const hasSecret = (kind: string) => kind === "webhooks" || kind === "triggers";
    // A webhook or trigger the import created answers with its new secret, as its create answer would; other kinds have none.
    const secretsOf = (kind: string) =>
      hasSecret(kind)
        ? { secrets: data[kind]!.map((o) => ({ id: o.id, secret: h.api.webhookSecret(o.id, { key: target.key }) })) }
        : {};
    for (const [i, kind] of KINDS.entries())
      expect(first[i], kind).toEqual({ imported: COUNTS[kind], skipped: 0, failed: [], ...secretsOf(kind) });
    for (const kind of ["webhooks", "triggers"])
      for (const s of first[KINDS.indexOf(kind as never)].secrets) expect(s.secret).toMatch(/^whsec_/);
    expect(await exportEvery(target, 3)).toEqual(data);
    const second = await importEvery(target, data);
    for (const [i, kind] of KINDS.entries())
      expect(second[i], kind).toEqual({
        imported: 0,
        skipped: COUNTS[kind],
        failed: [],
        ...(hasSecret(kind) ? { secrets: [] } : {}),
      });
    // An overwrite keeps the secret the object has.
    const third = await target.post("/webhooks/import", { webhooks: data.webhooks, on_conflict: "overwrite" });
    expect(third.json).toEqual({ imported: COUNTS.webhooks, skipped: 0, failed: [], secrets: [] });
  });

  test("a session whose agent is missing fails alone", async () => {
    const data = await exportEvery(seeded());
    const target = newAccount(h);
    await target.post("/agents/import", { agents: data.agents });
    const orphan = { ...data.sessions![0], id: crypto.randomUUID(), agent_id: missingId(), team_id: null, steps: [] };
    const res = await target.post("/sessions/import", { sessions: [...data.sessions!, orphan] });
    const result = expectSchema("ImportResult", res.json);
    expect(result.imported + result.skipped).toBe(data.sessions!.length);
    expect(result.failed.map((f: Json) => f.id)).toEqual([orphan.id]);
    expect(result.failed[0].error.code).toMatch(/not_found|validation_error|invalid_parameter/);
  });

  test("GET /data/export: the archive holds every kind, equal to the per-kind exports", async () => {
    const source = seeded();
    const res = await source.get("/data/export");
    expect(res.status).toBe(200);
    const archive = expectSchema("Archive", res.json);
    expect(archive).toMatchObject({ format: "resonantgenesis.export", format_version: 1, api_version: "1.2" });
    expect(Math.abs(Date.parse(archive.exported_at) - h.api.clock.now().valueOf())).toBeLessThan(60_000);
    const data = await exportEvery(source);
    for (const kind of KINDS) expect(archive[kind], kind).toEqual(data[kind]);
  });

  test("GET /data/export as NDJSON: kinds in order, one record a line, an end line whose counts match", async () => {
    const source = seeded();
    const res = await source.get("/data/export", { headers: { Accept: "application/x-ndjson" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/x-ndjson/);
    expect(res.text.endsWith("\n")).toBe(true);
    const lines = ndjson(res.text).map((line) => expectSchema("ExportRecord", line));
    const end = lines.at(-1);
    expect(end.kind).toBe("end");
    expect(lines.filter((l) => l.kind === "end")).toHaveLength(1);
    const records = lines.slice(0, -1);
    const order = records.map((r) => KINDS.findIndex((k) => v1_2.RECORD_KIND[k] === r.kind));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const archive = (await source.get("/data/export")).json;
    for (const kind of KINDS) {
      const mine = records.filter((r) => r.kind === v1_2.RECORD_KIND[kind]).map((r) => r.data);
      expect(end.counts[kind] ?? 0, kind).toBe(mine.length);
      expect(mine, kind).toEqual(archive[kind]);
      expect(mine.length).toBe(COUNTS[kind]);
    }
  });

  test("POST /data/import: the archive into a second account gives an equal export; again: all skipped", async () => {
    const archive = (await seeded().get("/data/export")).json;
    const target = newAccount(h);
    const res = await target.post("/data/import", archive);
    expect(res.status, res.text).toBe(200);
    const result = expectSchema("DataImportResult", res.json);
    expect(result.failed).toEqual([]);
    const created = ["triggers", "webhooks"].flatMap((kind) => (archive[kind] as Json[]).map((o) => `${kind} ${o.id}`));
    expect(result.secrets.map((s: Json) => `${s.kind} ${s.id}`).sort()).toEqual(created.sort());
    for (const s of result.secrets) expect(s.secret).toBe(h.api.webhookSecret(s.id, { key: target.key }));
    for (const kind of KINDS) expect(result.imported[kind] ?? 0, kind).toBe(COUNTS[kind]);
    const copy = (await target.get("/data/export")).json;
    const { exported_at: _a, ...left } = archive;
    const { exported_at: _b, ...right } = copy;
    expect(right).toEqual(left);
    const again = expectSchema("DataImportResult", (await target.post("/data/import", archive)).json);
    for (const kind of KINDS) {
      expect(again.imported[kind] ?? 0, kind).toBe(0);
      expect(again.skipped[kind] ?? 0, kind).toBe(COUNTS[kind]);
    }
  });

  test("an NDJSON export cut by the server (fault) has no end line", async () => {
    const source = seeded();
    h.api.faults.once({ cutStreamAfter: 3, path: "/data/export" });
    const res = await source.get("/data/export", { headers: { Accept: "application/x-ndjson" } });
    const lines = ndjson(res.text);
    expect(lines).toHaveLength(3);
    expect(lines.some((l) => l.kind === "end")).toBe(false);
  });

  test("POST /data/import: objects naming an agent left out of the archive fail alone", async () => {
    const archive = (await seeded().get("/data/export")).json;
    const refs = (agentId: string) => ({
      teams: archive.teams.filter((t: Json) => t.agent_ids.includes(agentId)).map((t: Json) => t.id),
      triggers: archive.triggers.filter((t: Json) => t.agent_id === agentId).map((t: Json) => t.id),
      memories: archive.memories.filter((m: Json) => m.agent_id === agentId).map((m: Json) => m.id),
    });
    const dependants = (id: string) =>
      Object.values(refs(id)).flat().length + archive.sessions.filter((s: Json) => s.agent_id === id).length;
    const removed = archive.agents.reduce((best: Json, a: Json) => (dependants(a.id) > dependants(best.id) ? a : best));
    const r = refs(removed.id);
    const mustFail: Record<string, string[]> = {
      ...r,
      sessions: archive.sessions
        .filter((s: Json) => s.agent_id === removed.id || r.teams.includes(s.team_id))
        .map((s: Json) => s.id),
    };
    expect(Object.values(mustFail).flat().length, "the seed gives the agent some dependants").toBeGreaterThan(0);
    const target = newAccount(h);
    const res = await target.post("/data/import", {
      ...archive,
      agents: archive.agents.filter((a: Json) => a.id !== removed.id),
    });
    const result = expectSchema("DataImportResult", res.json);
    for (const [kind, ids] of Object.entries(mustFail))
      for (const id of ids)
        expect(
          result.failed.some((f: Json) => f.kind === kind && f.id === id),
          `${kind} ${id} failed`,
        ).toBe(true);
    // webhooks may fail too (a filter naming the agent); nothing else does
    const allowed = new Set([...Object.values(mustFail).flat()]);
    for (const f of result.failed)
      if (f.kind !== "webhooks") expect(allowed.has(f.id), `${f.kind} ${f.id} should go in`).toBe(true);
    for (const kind of KINDS) {
      const failed = result.failed.filter((f: Json) => f.kind === kind).length;
      const expected = kind === "agents" ? COUNTS.agents! - 1 : COUNTS[kind]! - failed;
      expect(result.imported[kind] ?? 0, kind).toBe(expected);
    }
  });

  test("POST /data/import refuses what is not an archive", async () => {
    const target = newAccount(h);
    expect((await target.post("/data/import", { format: "something.else", format_version: 1 })).status).toBe(422);
    expect((await target.get("/agents")).json.data).toHaveLength(0);
  });
});
