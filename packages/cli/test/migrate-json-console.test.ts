/**
 * `resonant migrate ... --json`: standard output is one JSON event a line, and a migration's own `console.log`
 * (at import, in `up()`) used to land among them, so a script reading the events failed on the first line. Under
 * `--json` the console's standard output methods write to standard error for the command's length; without it,
 * a migration's console output is left where it was.
 */
import { describe, expect, it } from "vitest";
import { events } from "./helpers.js";
import { migrationSource, useMigrateAccount, writeMigrations } from "./migrate-helpers.js";

const acct = useMigrateAccount({ agents: 3 });

const CHATTY =
  `console.log("loaded c1");\n` +
  migrationSource({
    revision: "c1",
    downRevision: null,
    up: `console.log("up log"); console.info("up info"); console.debug("up debug"); console.table([{ a: 1 }]); console.dir({ dir: 1 });
      await ctx.update("agents", { set: { "metadata.tier": "gold" } });`,
    down: `console.log("down log"); await ctx.update("agents", { unset: ["metadata.tier"] });`,
  });

const SAID = ["loaded c1", "up log", "up info", "up debug", "dir: 1"];

describe("a migration's console output under --json", { timeout: 120_000 }, () => {
  it.each([
    ["migrate up", ["migrate", "up", "--yes", "--no-backup"]],
    ["migrate test", ["migrate", "test"]],
    ["migrate history", ["migrate", "history"]],
  ])(
    "%s: every line of standard output is a JSON event; the migration's lines go to standard error",
    async (_name, args) => {
      await writeMigrations(acct.tmp.path("migrations"), { "0001_c1.mjs": CHATTY });
      const run = await acct.cli(["--json", ...args]);
      expect(run.code, run.stderr).toBe(0);
      expect(() => events(run.stdout)).not.toThrow();
      expect(events(run.stdout).at(-1)).toMatchObject({ event: "summary" });
      expect(run.stderr).toContain("loaded c1");
      if (args[1] !== "history") for (const line of SAID) expect(run.stderr).toContain(line);
    },
  );

  it("without --json, a migration's console.log stays on standard output", async () => {
    await writeMigrations(acct.tmp.path("migrations"), { "0001_c1.mjs": CHATTY });
    const run = await acct.cli(["migrate", "up", "--yes", "--no-backup"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("up log");
  });
});
