/**
 * The backup a migrate run names is named by one absolute path wherever it is said: the run's own lines, the advice
 * of a cut, and what reads the journal later (`history`, `current`, the next run), run from any directory. A cut run
 * named it as `--backup` gave it, relative to its own directory, and the journal by its absolute path. The journal
 * itself is named from the `--dir` given, so from where the user runs. Real processes against the mock.
 */
import { mkdir, realpath, rename } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cliFor, events } from "./helpers.js";
import { renameCutBy501, useMigrateAccount } from "./migrate-helpers.js";

const acct = useMigrateAccount({ agents: 10 });
afterEach(() => acct.mock.api.faults.reset());

describe("the backup a migrate run names", { timeout: 120_000 }, () => {
  it("a cut's advice names it by its absolute path, which works as said from another directory", async () => {
    const { mock, tmp } = acct;
    const { before, cut } = await renameCutBy501(acct);
    const absolute = join(await realpath(tmp.dir), "b.json");
    expect(cut.stdout).toContain(`objects) written to ${absolute}\n`);
    expect(cut.stderr).toContain(`\`resonant restore ${absolute}\` puts back what they changed`);
    expect(cut.stderr).toContain("then move migrations/.journal/a1.up.ndjson away");

    // From another directory: history gives the same backup, and the journal as seen from there.
    await mkdir(tmp.path("elsewhere"));
    const elsewhere = cliFor(mock, acct.key, tmp.path("elsewhere"));
    const dir = join("..", "migrations");
    const journal = join(dir, ".journal", "a1.up.ndjson");
    const history = await elsewhere(["migrate", "history", "--dir", dir]);
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toContain(`\`resonant restore ${absolute}\` puts back what they changed`);
    expect(history.stdout).toContain(`then move ${journal} away`);

    // The advice, followed word for word from there.
    const restored = await elsewhere(["restore", absolute, "--yes"]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(await acct.snapshot()).toEqual(before);
    await rename(tmp.path(join("elsewhere", journal)), tmp.path("a1.up.ndjson.cut"));
    const again = await elsewhere(["--json", "migrate", "up", "--yes", "--dir", dir, "--backup", "again.json"]);
    expect(again.code, again.stderr).toBe(0);
    // A run that ends names it so too: its line and its step event.
    const step = events(again.stdout).find((e) => e.event === "step")!;
    expect(step.backup).toBe(join(await realpath(tmp.path("elsewhere")), "again.json"));
    expect((await acct.snapshot()).agents!.every((a) => a.model !== "gpt-4-turbo")).toBe(true);
  });
});
