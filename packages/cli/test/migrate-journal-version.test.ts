/**
 * `down` of a revision applied under an older API version: its journal holds
 * that version's before-images, which are upgraded to the run's version
 * before they are compared or put back. Real processes against a real mock
 * server on 127.0.0.1.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { migrationSource, useMigrateAccount, writeMigrations } from "./migrate-helpers.js";

const acct = useMigrateAccount({ agents: 4, sessions: 3 });

/** Deletes every session and renames every agent's model: a delete and an update to undo from the journal. */
const DELETE_SESSIONS = migrationSource({
  revision: "d1",
  downRevision: null,
  up: `await ctx.delete("sessions", () => true);
       await ctx.update("agents", { set: { model: "gpt-4.1" } });`,
});

describe("down under a newer API version than the up", { timeout: 120_000 }, () => {
  it("upgrades the journal's 1.0 before-images: down on 1.2 puts the deleted sessions back (exit 0)", async () => {
    await writeMigrations(acct.tmp.path("migrations"), { "0001_d1.mjs": DELETE_SESSIONS });
    const before = await acct.snapshot();
    expect(before.sessions).toHaveLength(3);
    const applied = await acct.cli(["--api-version", "1.0", "migrate", "up", "--yes", "--no-backup"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect((await acct.snapshot()).sessions).toHaveLength(0);

    const undone = await acct.cli(["--api-version", "1.2", "migrate", "down", "--yes", "--no-backup"]);
    expect(undone.code, undone.stderr).toBe(0);
    expect(undone.stderr).not.toMatch(/conflict/);
    expect(await acct.snapshot()).toEqual(before);
    expect((await acct.ledger()).at(-1)).toEqual({ revision: "d1", state: "reverted", direction: "down" });
  });

  it("a before-image that cannot be upgraded is refused, naming the journal and the op, before any write", async () => {
    const dir = await writeMigrations(acct.tmp.path("migrations"), { "0001_d1.mjs": DELETE_SESSIONS });
    expect((await acct.cli(["--api-version", "1.0", "migrate", "up", "--yes", "--no-backup"])).code).toBe(0);
    const journal = join(dir, ".journal", "d1.up.ndjson");
    const lines = (await readFile(journal, "utf8")).split("\n");
    const at = lines.findIndex((l) => l.includes('"op":"delete"'));
    const entry = JSON.parse(lines[at]!) as { seq: number; op: { before: unknown } };
    entry.op.before = "not an object";
    lines[at] = JSON.stringify(entry);
    await writeFile(journal, lines.join("\n"));
    const after = await acct.snapshot();
    const refused = await acct.cli(["--api-version", "1.2", "migrate", "down", "--yes", "--no-backup"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${join("migrations", ".journal", "d1.up.ndjson")}: op ${entry.seq} (sessions)`);
    expect(refused.stderr).toMatch(/written under API 1\.0, cannot be upgraded to 1\.2/);
    expect(refused.stderr).toMatch(/nothing was written/);
    expect(await acct.snapshot()).toEqual(after);
  });

  it("an upgraded before-image the run's version refuses is named with the upgrade, before any write", async () => {
    const dir = await writeMigrations(acct.tmp.path("migrations"), { "0001_d1.mjs": DELETE_SESSIONS });
    expect((await acct.cli(["--api-version", "1.0", "migrate", "up", "--yes", "--no-backup"])).code).toBe(0);
    const journal = join(dir, ".journal", "d1.up.ndjson");
    const lines = (await readFile(journal, "utf8")).split("\n");
    const at = lines.findIndex((l) => l.includes('"op":"delete"'));
    const entry = JSON.parse(lines[at]!) as { op: { before: Record<string, unknown> } };
    entry.op.before.agent_id = 42;
    lines[at] = JSON.stringify(entry);
    await writeFile(journal, lines.join("\n"));
    const after = await acct.snapshot();
    const refused = await acct.cli(["--api-version", "1.2", "migrate", "down", "--yes", "--no-backup"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "revision d1 the reversal of its journal (planned with API 1.0, its before-images upgraded to 1.2) plans 1 write that would be refused before being sent; nothing was written",
    );
    expect(await acct.snapshot()).toEqual(after);
  });

  it("a journal of a newer version than the run's is refused (a before-image is never downgraded)", async () => {
    await writeMigrations(acct.tmp.path("migrations"), { "0001_d1.mjs": DELETE_SESSIONS });
    expect((await acct.cli(["--api-version", "1.2", "migrate", "up", "--yes", "--no-backup"])).code).toBe(0);
    const after = await acct.snapshot();
    const refused = await acct.cli(["--api-version", "1.1", "migrate", "down", "--yes", "--no-backup"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/planned with API 1\.2.*this run uses 1\.1.*--api-version 1\.2/);
    expect(await acct.snapshot()).toEqual(after);
  });
});
