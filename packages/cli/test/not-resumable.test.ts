/**
 * An answer a resume gets again: a 501 Not Implemented (the server lacks what the call needs, and did nothing) is
 * the one 5xx no retry or resume gets past. A run it ends says what can be done instead of `--resume`: `migrate`
 * names the backup to restore and the journal to move away (and the next run then plans the revision anew);
 * `import` says nothing of its checkpoint.
 */
import { realpath } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cliFor } from "./helpers.js";
import {
  followRestoreAdvice,
  MODEL_RENAME,
  renameCutBy501,
  useMigrateAccount,
  writeMigrations,
} from "./migrate-helpers.js";

const account = useMigrateAccount({ agents: 10 });
afterEach(() => account.mock.api.faults.reset());

describe("a 501 that ends a run", { timeout: 60_000 }, () => {
  it("migrate up: names the backup and the journal, not --resume, and the advice gets the revision applied", async () => {
    const { before, cut } = await renameCutBy501(account);
    expect(cut.stderr).toMatch(/501/);
    const journal = "migrations/.journal/a1.up.ndjson";
    expect(cut.stderr).toContain(
      `up a1 was cut with its plan in ${journal}, and \`--resume\` cannot carry it on: the server does not implement this request (501 Not Implemented)`,
    );
    expect(cut.stderr).toContain(
      `\`resonant restore ${join(await realpath(account.tmp.dir), "b.json")}\` puts back what they changed (\`--prune\` also deletes what they created); then move ${journal} away, and the next \`resonant migrate up\` plans a1 anew`,
    );
    expect(cut.stderr).not.toContain("carry on with");

    // The advice, followed: the account back as it was, the journal moved away, and up applies a1 whole.
    await followRestoreAdvice(account, before, journal);
  });

  it("migrate up cut by a 410: a resume runs under the journal's version, so it is not offered either", async () => {
    await writeMigrations(account.tmp.path("migrations"), { "0001_a1.mjs": MODEL_RENAME });
    account.mock.api.faults.once({ method: "PATCH", status: 410 });
    const cut = await account.cli(["migrate", "up", "--yes", "--no-backup"]);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(
      /`--resume` cannot carry it on: the server no longer serves API .*, and a resume runs under the API version the journal was planned with\. Writes before it may have gone out: no backup was taken \(--no-backup\)/,
    );
    expect(cut.stderr).not.toContain("carry on with");
  });

  it("import: the checkpoint is not offered to --resume", async () => {
    const { mock, tmp } = account;
    const source = mock.api.createAccount().key;
    mock.api.seed({ agents: 30, webhooks: 2 }, { key: source });
    expect((await cliFor(mock, source, tmp.dir)(["export", "--out", "a.json"])).code).toBe(0);
    const cli = cliFor(mock, mock.api.createAccount().key, tmp.dir);
    // The agents go in first; the webhooks' batch is answered 501, with the checkpoint counting the agents.
    mock.api.faults.once({ method: "POST", path: "/webhooks/import", status: 501 });
    const run = await cli(["import", "a.json", "--batch-size", "10"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/501/);
    expect(run.stderr).not.toContain("--resume");
  });
});
