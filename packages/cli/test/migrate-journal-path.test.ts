/**
 * A journal is read whole before every run (to carry on a cut one, or to
 * reverse it), so what sits at its name is looked at first: a symbolic link
 * (to /dev/zero, which was read without end while memory grew) or a FIFO
 * (which blocked the run forever) is refused with the path, and nothing is
 * written to the account.
 */
import { execFileSync } from "node:child_process";
import { mkdir, symlink } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { MODEL_RENAME, useMigrateAccount, writeMigrations } from "./migrate-helpers.js";

const acct = useMigrateAccount({ agents: 3 });

describe("what is planted at a journal's name", { timeout: 60_000 }, () => {
  it.each([
    ["a symbolic link to /dev/zero", "is a symbolic link", (path: string) => symlink("/dev/zero", path)],
    ["a FIFO", "is not a regular file", async (path: string) => void execFileSync("mkfifo", [path])],
  ])("%s is refused, not read, and nothing is written", async (_what, problem, plant) => {
    const dir = await writeMigrations(acct.tmp.path("migrations"), { "0001_a1.mjs": MODEL_RENAME });
    await mkdir(`${dir}/.journal`);
    await plant(`${dir}/.journal/a1.up.ndjson`);
    const before = await acct.snapshot();
    for (const args of [
      ["migrate", "up", "--yes"],
      ["migrate", "current"],
    ]) {
      const run = await acct.cli(args, { timeoutMs: 20_000 });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toBe(
        `resonant: the journal migrations/.journal/a1.up.ndjson: ${problem}${problem.startsWith("is a symbolic") ? "; resonant never reads or writes a journal through one" : ""}: move it away; nothing was run\n`,
      );
    }
    expect(await acct.snapshot()).toEqual(before);
  });
});
