/**
 * What `resonant migrate` does with its ledger's records: applied revisions
 * the folder lacks (an older checkout) refuse every writing command; a file
 * changed since its revision ran is accepted by `stamp --accept-checksum`,
 * not by `--force`; backups are recorded by absolute path. Real processes
 * against a real mock server on 127.0.0.1.
 */
import { mkdir, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliFor, events } from "./helpers.js";
import { MODEL_RENAME, TIER_DEFAULT, useMigrateAccount, writeMigrations } from "./migrate-helpers.js";

const acct = useMigrateAccount({ agents: 6 });

const last = (stdout: string) => events(stdout).at(-1)!;

/** The ledger's newest record, whole. */
async function newestRecord(): Promise<Record<string, unknown>> {
  const client = acct.client();
  const out: Record<string, unknown>[] = [];
  for await (const m of client.memories.list({ tag: "resonant:migrate", limit: 100 }))
    out.push(JSON.parse(m.content) as Record<string, unknown>);
  return out.at(-1)!;
}

describe("a ledger that records applied revisions the folder lacks (an older checkout)", { timeout: 120_000 }, () => {
  it("up, down, their dry runs and migrate test refuse before any write, --force too; current and history warn; stamp rewrites the ledger", async () => {
    const dir = await writeMigrations(acct.tmp.path("migrations"), {
      "0001_a1.mjs": MODEL_RENAME,
      "0002_b2.mjs": TIER_DEFAULT,
    });
    expect((await acct.cli(["migrate", "up", "--yes", "--no-backup"])).code).toBe(0);
    await rm(join(dir, "0002_b2.mjs"));
    const before = await acct.snapshot();
    const ledger = await acct.ledger();
    const runs = [
      ["up", "--yes"],
      ["up", "--dry-run"],
      ["down", "--yes"],
      ["down", "--yes", "--force"],
      ["down", "base", "--dry-run"],
      ["test"],
    ];
    for (const args of runs) {
      const run = await acct.cli(["migrate", ...args]);
      expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(1);
      expect(run.stderr).toContain("the account's ledger records b2 as applied, which migrations does not hold");
      expect(run.stderr).toContain("Run it from the checkout whose migrations holds b2");
      expect(run.stderr).toContain("`resonant migrate stamp <revision>`");
      expect(run.stderr).toMatch(/nothing was written\n$/);
    }
    expect(await acct.snapshot()).toEqual(before);
    expect(await acct.ledger()).toEqual(ledger);
    expect(await acct.leases()).toBe(0);

    for (const command of ["current", "history"]) {
      const run = await acct.cli(["migrate", command]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain("records b2 as applied, which migrations does not hold");
    }

    const stamped = await acct.cli(["migrate", "stamp", "a1"]);
    expect(stamped.code, stamped.stderr).toBe(0);
    expect(stamped.stdout).toContain("recorded 0 applied, 1 reverted (b2, not in migrations, among them)");
    expect((await acct.ledger()).at(-1)).toEqual({ revision: "b2", state: "reverted", direction: "stamp" });
    const up = await acct.cli(["migrate", "up", "--yes"]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain("nothing to do: the account is at a1");
    expect(up.stderr).not.toContain("does not hold");
  });
});

describe("a migration file changed after its revision ran", { timeout: 120_000 }, () => {
  it("is refused, --force included, naming the way to accept it; stamp --accept-checksum accepts it and leaves conflict protection alone", async () => {
    const dir = await writeMigrations(acct.tmp.path("migrations"), {
      "0001_a1.mjs": MODEL_RENAME,
      "0002_b2.mjs": TIER_DEFAULT,
    });
    expect((await acct.cli(["migrate", "up", "a1", "--yes", "--no-backup"])).code).toBe(0);
    await writeFile(join(dir, "0001_a1.mjs"), `// reformatted\n${MODEL_RENAME}`);

    const refused = await acct.cli(["migrate", "up", "--yes"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/0001_a1\.mjs changed after revision a1 was applied/);
    expect(refused.stderr).toContain("`resonant migrate stamp a1 --accept-checksum`");
    const forced = await acct.cli(["migrate", "down", "--yes", "--force"]);
    expect(forced.code).toBe(1);
    expect(forced.stderr).toContain("--force no longer accepts a changed file");
    expect(await acct.ledger()).toEqual([{ revision: "a1", state: "applied", direction: "up" }]);
    expect(last((await acct.cli(["--json", "migrate", "history"])).stdout).revisions).toMatchObject([
      { revision: "a1", drift: true },
      { revision: "b2", drift: false },
    ]);

    const pending = await acct.cli(["migrate", "stamp", "b2", "--accept-checksum"]);
    expect(pending.code).toBe(1);
    expect(pending.stderr).toContain("revision b2 is pending");
    const accepted = await acct.cli(["--json", "migrate", "stamp", "a1", "--accept-checksum"]);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(last(accepted.stdout)).toMatchObject({ command: "migrate stamp", accepted: "a1" });
    // The run's record again, with the file's checksum now: the account stays at a1, its journal still undoes it.
    const record = await newestRecord();
    expect(record).toMatchObject({ revision: "a1", state: "applied", direction: "up" });
    expect(record.accepted_from).toMatch(/^sha256:/);
    expect(record.checksum).not.toBe(record.accepted_from);
    expect(last((await acct.cli(["--json", "migrate", "current"])).stdout).current).toBe("a1");
    expect((await acct.cli(["migrate", "stamp", "a1", "--accept-checksum"])).stdout).toContain("nothing to accept");

    // --force still means what it says and only that: without it, an object changed since stays as it is.
    const before = await acct.snapshot();
    const edited = String(before.agents![0]!.id);
    await acct.client().agents.update(edited, {
      model: "claude-edited",
    });
    const guarded = await acct.cli(["migrate", "down", "--yes", "--no-backup"]);
    expect(guarded.code, guarded.stderr).toBe(2);
    expect((await acct.snapshot()).agents!.find((a) => a.id === edited)!.model).toBe("claude-edited");
    const overwritten = await acct.cli(["migrate", "down", "--yes", "--no-backup", "--force"]);
    expect(overwritten.code, overwritten.stderr).toBe(0);
    expect((await acct.snapshot()).agents!.every((a) => a.model === "gpt-4-turbo")).toBe(true);
  });

  it("--help says which flag does what", async () => {
    const stamp = await acct.cli(["migrate", "stamp", "--help"]);
    expect(stamp.stdout).toMatch(/--accept-checksum\s+record the revision's file as it is now/);
    const down = await acct.cli(["migrate", "down", "--help"]);
    expect(down.stdout).toMatch(/--force\s+let down overwrite objects changed since the migration/);
    expect(down.stdout.replace(/\s+/g, " ")).toContain("migrate stamp <rev> --accept-checksum`, not --force");
  });
});

describe("a migration's backup in the ledger", { timeout: 120_000 }, () => {
  it("is recorded and said by absolute path (the folder's real path), so the restore hint works from any directory", async () => {
    await writeMigrations(acct.tmp.path("migrations"), { "0001_a1.mjs": MODEL_RENAME });
    await mkdir(acct.tmp.path("real"));
    await symlink(acct.tmp.path("real"), acct.tmp.path("via"));
    const applied = await acct.cli(["--json", "migrate", "up", "--yes", "--backup", join("via", "pre-a1.json")]);
    expect(applied.code, applied.stderr).toBe(0);
    const absolute = join(await realpath(acct.tmp.dir), "real", "pre-a1.json");
    expect(applied.stdout).toContain(`written to ${absolute}`);
    expect((last(applied.stdout).steps as { backup: string }[])[0]!.backup).toBe(absolute);
    expect((await newestRecord()).backup).toBe(absolute);

    // From another directory, with the journal gone: the hint names the file where it is.
    await rm(acct.tmp.path("migrations/.journal"), { recursive: true });
    await mkdir(acct.tmp.path("elsewhere"));
    const elsewhere = cliFor(acct.mock, acct.key, acct.tmp.path("elsewhere"));
    const down = await elsewhere(["migrate", "down", "--yes", "--dir", join("..", "migrations")]);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain(`resonant restore ${absolute}`);
    const restored = await elsewhere(["restore", absolute, "--yes"]);
    expect(restored.code, restored.stderr).toBe(0);
    expect((await acct.snapshot()).agents!.every((a) => a.model === "gpt-4-turbo")).toBe(true);
  });
});
