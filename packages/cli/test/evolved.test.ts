/**
 * `resonant` against the evolved mock (a later 1.x server: fields, enum values,
 * a kind and longer names this tool's SDK does not know): an export, an import
 * into another account and a verify carry all of it through untouched, in both
 * archive layouts. Real processes against a real server, as every CLI test.
 */
import { readFile, writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, DEMO_API_KEY, events, startCountingMock, tempDir, type CountingMock } from "./helpers.js";

let mock: CountingMock;
let tmp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  mock = await startCountingMock({
    evolve: true,
    seed: { tools: 2, agents: 6, teams: 1, sessions: 3, memories: 2, triggers: 2, webhooks: 2 },
  });
  tmp = await tempDir();
});
afterAll(async () => {
  await mock.close();
  await tmp.remove();
});

const withoutTrailer = (doc: Record<string, unknown>) => {
  const { exported_at: _e, checksum: _c, ...rest } = doc;
  return rest;
};

describe.each(["json", "ndjson"] as const)("the evolved server, %s archives", (format) => {
  it("export, import into another account, verify: every unknown field, value and kind arrives as it left", async () => {
    const source = cliFor(mock, DEMO_API_KEY, tmp.dir);
    const file = tmp.path(`evolved.${format}`);
    const exported = await source(["export", "--format", format, "--out", file, "--quiet"]);
    expect(exported.code, exported.stderr).toBe(0);
    const text = await readFile(file, "utf8");
    expect(text).toContain('"lineage"');
    expect(text).toContain('"paused"');
    expect(text).toContain(format === "json" ? '"workflows"' : '"kind":"workflow"');

    const targetKey = mock.api.createAccount().key;
    const target = cliFor(mock, targetKey, tmp.dir);
    const imported = await target(["import", file, "--quiet"]);
    expect(imported.code, imported.stderr).toBe(0);
    const verified = await target(["verify", file, "--quiet"]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);

    // The target's own export is the source's, byte for byte but for the time and the checksum over it.
    const again = tmp.path(`again.${format}`);
    expect((await target(["export", "--format", "json", "--out", again, "--quiet"])).code).toBe(0);
    const first = format === "json" ? JSON.parse(text) : undefined;
    const second = JSON.parse(await readFile(again, "utf8")) as Record<string, unknown>;
    if (first) expect(JSON.stringify(withoutTrailer(second))).toBe(JSON.stringify(withoutTrailer(first)));
    else expect((second.workflows as unknown[]).length).toBe(2);
  });
});

describe("ids in another format (docs/protocol.md section 8)", () => {
  it("an archive whose ids are not UUIDs passes the archive checks, imports and verifies", async () => {
    const source = cliFor(mock, DEMO_API_KEY, tmp.dir);
    const exported = tmp.path("uuids.json");
    expect((await source(["export", "--format", "json", "--out", exported, "--quiet"])).code).toBe(0);
    // The same account as a server with ids of another format would export it: each UUID becomes one such id,
    // the same everywhere it appears (references included); the checksum, over the old text, is dropped.
    const names = new Map<string, string>();
    const other = (uuid: string) => {
      if (!names.has(uuid)) names.set(uuid, `obj_01HZX3K${names.size.toString(36).toUpperCase()}`);
      return names.get(uuid)!;
    };
    const text = (await readFile(exported, "utf8")).replace(/[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}/gi, other);
    const doc = JSON.parse(text) as Record<string, unknown> & { agents: { id: string }[] };
    delete doc.counts;
    delete doc.checksum;
    expect(doc.agents[0]!.id).toMatch(/^obj_01HZX3K/);
    const file = tmp.path("other-ids.json");
    await writeFile(file, JSON.stringify(doc));

    const target = cliFor(mock, mock.api.createAccount().key, tmp.dir);
    const imported = await target(["import", file, "--quiet"]);
    expect(imported.code, imported.stderr).toBe(0);
    const verified = await target(["verify", file, "--quiet"]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  });
});

describe("an archive whose sessions send team_id: null, against the evolved server that leaves it out", () => {
  it("verify finds the account unchanged, restore has nothing to do, a real change names its field", async () => {
    // The archive of a server that sends `"team_id": null` (the mock as the protocol's letter has it).
    const plain = await startCountingMock({ seed: { agents: 3, sessions: 4 } });
    const file = tmp.path("team-id-null.json");
    try {
      const exported = await cliFor(plain, DEMO_API_KEY, tmp.dir)(["export", "--out", file, "--quiet"]);
      expect(exported.code, exported.stderr).toBe(0);
    } finally {
      await plain.close();
    }
    const doc = JSON.parse(await readFile(file, "utf8")) as { agents: { id: string }[]; sessions: object[] };
    expect(doc.sessions).toHaveLength(4);
    for (const session of doc.sessions) expect(session).toHaveProperty("team_id", null);

    const key = mock.api.createAccount().key;
    const target = cliFor(mock, key, tmp.dir);
    const imported = await target(["import", file, "--quiet"]);
    expect(imported.code, imported.stderr).toBe(0);
    // The evolved server leaves the field out of what it sends.
    const listed = (await (
      await fetch(`${mock.baseURL}/v1.2/sessions?limit=100`, { headers: { authorization: `Bearer ${key}` } })
    ).json()) as { data: object[] };
    expect(listed.data).toHaveLength(4);
    for (const session of listed.data) expect(session).not.toHaveProperty("team_id");

    const verified = await target(["verify", file, "--json"]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    const summary = events(verified.stdout).at(-1)!;
    expect(summary).toMatchObject({ identical: true, missing: [], changed: [] });

    const restored = await target(["restore", file, "--yes"]);
    expect(restored.code, restored.stdout + restored.stderr).toBe(0);
    expect(restored.stdout).toContain("the account already matches the backup: nothing to do");
    const dryRun = await target(["import", file, "--dry-run", "--on-conflict", "overwrite", "--json"]);
    expect(dryRun.code, dryRun.stdout + dryRun.stderr).toBe(0);

    // A change is still one, and names its field.
    const agent = doc.agents[0]!.id;
    const patched = await fetch(`${mock.baseURL}/v1.2/agents/${agent}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ description: null }),
    });
    expect(patched.status).toBe(200);
    const changed = await target(["verify", file, "--json", "--ignore", "updated_at,version"]);
    expect(changed.code, changed.stdout + changed.stderr).toBe(3);
    expect(events(changed.stdout).at(-1)!.changed).toEqual([{ kind: "agents", id: agent, fields: ["description"] }]);
    const again = await target(["restore", file, "--yes", "--quiet"]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect((await target(["verify", file, "--quiet"])).code).toBe(0);
  });
});
