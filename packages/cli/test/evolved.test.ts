/**
 * `resonant` against the evolved mock (a later 1.x server: fields, enum values,
 * a kind and longer names this tool's SDK does not know): an export, an import
 * into another account and a verify carry all of it through untouched, in both
 * archive layouts. Real processes against a real server, as every CLI test.
 */
import { readFile, writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, DEMO_API_KEY, startCountingMock, tempDir, type CountingMock } from "./helpers.js";

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
