/**
 * `resonant migrate` when the account disagrees: writes the API refuses (the failure log, a retry), a ledger from
 * another checkout, conflicts a dry run finds, objects changed since (down without --force), and a revision with
 * neither down() nor a journal. Real processes against the mock, a fresh account each test.
 */
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { events } from "./helpers.js";
import {
  MODEL_RENAME,
  TIER_DEFAULT,
  useMigrateAccount,
  writeMigrations,
  writeFirstMigration,
} from "./migrate-helpers.js";

const acct = useMigrateAccount({ agents: 12, teams: 1, triggers: 2, memories: 3 });

describe("refused writes, drift, conflicts, irreversible revisions", { timeout: 120_000 }, () => {
  it("a write the API refuses goes to --failures with its field path (exit 2, partial); up again retries it", async () => {
    const toolId = "5b0e5c1e-0000-4000-8000-00000000aaaa";
    await writeFirstMigration(
      acct.tmp.path("migrations"),
      "t1",
      `await ctx.update("agents", { where: (a) => a.name === "agent-2", set: { tool_ids: ["${toolId}"] } }); await ctx.update("agents", { where: (a) => a.name !== "agent-2", set: { "metadata.tier": "gold" } });`,
      "tools",
    );
    const run = await acct.cli(["--json", "migrate", "up", "--yes", "--failures", "failed.ndjson"]);
    expect(run.code, run.stderr).toBe(2);
    const failures = (await readFile(acct.tmp.path("failed.ndjson"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ kind: "agents", code: "validation_error" });
    // The server's words with the field path, once, after the revision and the write: the status line, code and
    // request id are the line's other fields (docs/migration.md, the failure log), not its message.
    const message = String(failures[0]!.message);
    expect(message).toMatch(/^revision t1: update agents [0-9a-f-]{36}: [^(]*tool_ids\.0: [^(]*$/);
    expect(message.match(/tool_ids/g)).toHaveLength(1);
    expect(failures[0]).toMatchObject({ status: 422, request_id: expect.stringMatching(/^req_/) });
    expect(JSON.stringify(failures)).not.toContain(acct.key);
    expect(await acct.ledger()).toEqual([{ revision: "t1", state: "partial", direction: "up" }]);
    expect(
      (await acct.snapshot()).agents!.filter((a) => (a.metadata as Record<string, string>).tier === "gold"),
    ).toHaveLength(11);

    // Once the tool exists, up retries the refused write alone.
    const client = acct.client();
    await client.tools.import({
      tools: [
        {
          id: toolId,
          object: "tool",
          name: "lookup",
          description: null,
          parameters: {},
          endpoint: "https://tools.example.com/x",
          method: "POST",
          headers: {},
          created_at: "2026-01-01T00:00:00Z",
          updated_at: "2026-01-01T00:00:00Z",
        },
      ],
    } as never);
    const patchesBefore = acct.mock.seen.filter((s) => s.method === "PATCH").length;
    const again = await acct.cli(["--json", "migrate", "up", "--yes"]);
    expect(again.code, again.stderr).toBe(0);
    expect(acct.mock.seen.filter((s) => s.method === "PATCH").length - patchesBefore).toBe(1);
    expect((await acct.ledger()).at(-1)).toEqual({ revision: "t1", state: "applied", direction: "up" });
  });

  it("a ledger that holds revisions the folder lacks is said (another checkout), naming them", async () => {
    await writeMigrations(acct.tmp.path("migrations"), { "0001_a1.mjs": MODEL_RENAME, "0002_b2.mjs": TIER_DEFAULT });
    expect((await acct.cli(["migrate", "stamp", "b2"])).code).toBe(0);
    await rm(acct.tmp.path("migrations/0002_b2.mjs"));
    const current = await acct.cli(["migrate", "current"]);
    expect(current.code, current.stderr).toBe(0);
    expect(current.stderr).toContain("the account's ledger records b2 as applied, which migrations does not hold");
    const full = await acct.cli(["migrate", "history"]);
    expect(full.stderr).toContain("records b2 as applied");
  });

  it("a dry run whose only finding is a conflict exits 3, as the real run would end partial", async () => {
    const before = await acct.snapshot();
    const only = String(before.agents![0]!.id);
    await writeFirstMigration(
      acct.tmp.path("migrations"),
      "one",
      `await ctx.update("agents", { where: (a) => a.id === ${JSON.stringify(only)}, set: { model: "gpt-4.1" } });`,
    );
    expect((await acct.cli(["migrate", "up", "--yes", "--no-backup"])).code).toBe(0);
    await acct.client().agents.update(only, {
      model: "claude-edited",
    });
    const dry = await acct.cli(["migrate", "down", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(3);
    expect(dry.stdout).toContain(
      "dry run: nothing to change, but 1 conflict(s): the run would record the revision partial (exit 2)",
    );
    expect((await acct.cli(["migrate", "down", "--yes", "--no-backup"])).code).toBe(2);
  });

  it("down leaves an object changed since the migration alone (exit 2) unless --force", async () => {
    await writeMigrations(acct.tmp.path("migrations"), { "0001_a1.mjs": MODEL_RENAME });
    const before = await acct.snapshot();
    expect((await acct.cli(["migrate", "up", "--yes", "--no-backup"])).code).toBe(0);
    const client = acct.client();
    const edited = String(before.agents![3]!.id);
    await client.agents.update(edited, { model: "claude-edited" });
    const guarded = await acct.cli(["--json", "migrate", "down", "--yes"]);
    expect(guarded.code, guarded.stderr).toBe(2);
    expect(JSON.stringify(events(guarded.stdout).at(-1))).toContain(edited);
    const now = await acct.snapshot();
    expect(now.agents!.find((a) => a.id === edited)!.model).toBe("claude-edited");
    expect(now.agents!.filter((a) => a.model === "gpt-4-turbo")).toHaveLength(11);
    expect((await acct.ledger()).at(-1)).toEqual({ revision: "a1", state: "partial", direction: "down" });

    const forced = await acct.cli(["migrate", "down", "--yes", "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await acct.snapshot()).toEqual(before);
  });

  it("a journal cut after its plan is refused by down, not undone in part", async () => {
    const dir = await writeMigrations(acct.tmp.path("migrations"), { "0001_a1.mjs": MODEL_RENAME });
    expect((await acct.cli(["migrate", "up", "--yes", "--no-backup"])).code).toBe(0);
    const migrated = await acct.snapshot();
    const renamed = migrated.agents!.filter((a) => a.model === "gpt-4.1").length;
    expect(renamed).toBeGreaterThan(2);
    // Its plan and the first two outcomes kept: the ledger says the run ended, so its journal is closed as ended.
    const journal = join(dir, ".journal", "a1.up.ndjson");
    const lines = (await readFile(journal, "utf8")).trim().split("\n");
    const planned = lines.findIndex((l) => (JSON.parse(l) as { t: string }).t === "planned");
    await writeFile(journal, `${lines.slice(0, planned + 3).join("\n")}\n`);
    const down = await acct.cli(["migrate", "down", "--yes"]);
    expect(down.code, down.stderr).toBe(1);
    expect(down.stderr).toMatch(
      new RegExp(
        `is irreversible here: it has no down\\(\\) and its journal \\(\\S*a1\\.up\\.ndjson\\) tells how 2 of its ${renamed} writes went, not all \\(it was cut or edited\\)\\. Roll back from a backup`,
      ),
    );
    expect(await acct.snapshot()).toEqual(migrated);
    expect((await acct.ledger()).at(-1)).toEqual({ revision: "a1", state: "applied", direction: "up" });
  });

  it("a revision with neither down() nor a journal is refused by down, naming the backup", async () => {
    const dir = await writeMigrations(acct.tmp.path("migrations"), { "0001_a1.mjs": MODEL_RENAME });
    const applied = await acct.cli(["--json", "migrate", "up", "--yes", "--backup", "pre-a1.json"]);
    expect(applied.code, applied.stderr).toBe(0);
    // Cut before its plan was whole (its first line kept): there, but said as what it is, not as missing.
    const journal = join(dir, ".journal", "a1.up.ndjson");
    await writeFile(journal, `${(await readFile(journal, "utf8")).split("\n")[0]}\n`);
    const cut = await acct.cli(["migrate", "down", "--yes"]);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(
      /is irreversible here: it has no down\(\) and its journal \(\S*a1\.up\.ndjson\) holds no whole plan \(it was cut or edited\)\. Roll back with/,
    );
    await rm(join(dir, ".journal"), { recursive: true });
    const run = await acct.cli(["migrate", "down", "--yes"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/its journal \(\S*\) is not on this machine/);
    // The ledger records the backup by its absolute path (migrate-ledger.test.ts runs it from elsewhere).
    expect(run.stderr).toMatch(/revision a1 .* is irreversible here: .*resonant restore \/\S*\/pre-a1\.json/);
    expect((await acct.ledger()).at(-1)).toEqual({ revision: "a1", state: "applied", direction: "up" });
    // The backup rolls back with resonant restore.
    const restored = await acct.cli(["restore", "pre-a1.json", "--yes"]);
    expect(restored.code, restored.stderr).toBe(0);
    expect((await acct.snapshot()).agents!.every((a) => a.model === "gpt-4-turbo")).toBe(true);
  });
});
