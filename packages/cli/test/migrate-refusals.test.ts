/**
 * `resonant migrate` refusing what it cannot run faithfully, before anything
 * is written: a ctx call left running when `up()` returns, a write of the
 * tool's own reserved tags, a revision named `base` or `head`, a file that
 * does not parse (said with its line and column), a `--dir` that is a file.
 * Real processes against a real mock server on 127.0.0.1.
 */
import { execFileSync } from "node:child_process";
import { readFile, stat, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { migrationSource, useMigrateAccount, writeMigrations, writeFirstMigration } from "./migrate-helpers.js";

const acct = useMigrateAccount({ agents: 12, memories: 3 });

/** Runs `args` (a dry run, then for real) and expects each refused with `message`, the account untouched. */
async function refused(files: Record<string, string>, message: RegExp, runs = [["--dry-run"], ["--yes"]]) {
  await writeMigrations(acct.tmp.path("migrations"), files);
  const before = await acct.snapshot();
  for (const extra of runs) {
    const run = await acct.cli(["migrate", "up", ...extra]);
    expect(run.code, `${extra.join(" ")}: ${run.stdout}\n${run.stderr}`).toBe(1);
    expect(run.stderr).toMatch(message);
    // The dry run printed no plan (it used to print "nothing to change" and then the writes of the call left running).
    expect(run.stdout).not.toMatch(/update agents|nothing to change/);
    expect(run.stderr).not.toMatch(/Unhandled|triggerUncaughtException/);
  }
  expect(await acct.snapshot()).toEqual(before);
  expect(await acct.ledger()).toEqual([]);
  expect(await acct.leases()).toBe(0);
}

describe("a ctx call not awaited", { timeout: 120_000 }, () => {
  it.each([
    ["an update", `ctx.update("agents", { set: { description: "no await" } });`, /ctx\.update\("agents"\)/],
    ["a create", `ctx.create("teams", { name: "t", agent_ids: [] });`, /ctx\.create\("teams"\)/],
  ])("%s: the revision is refused, naming the file and revision (exit 1, nothing written)", async (_n, up, call) => {
    const files = { "0001_k1.mjs": migrationSource({ revision: "k1", downRevision: null, up }) };
    await refused(files, /0001_k1\.mjs: revision k1 up\(\) returned before .*had finished: await every ctx call/);
    await refused(files, call);
  });

  it("one that fails is refused with its cause, and its rejection does not end the process", async () => {
    const up = `ctx.update("agentz", { set: { model: "x" } }); await ctx.get("agents", "nope");`;
    await refused(
      { "0001_k1.mjs": migrationSource({ revision: "k1", downRevision: null, up }) },
      /0001_k1\.mjs \(revision k1\): ctx\.update\("agentz"\): unknown kind "agentz"/,
    );
  });
});

describe("the migration tool's reserved tags", { timeout: 120_000 }, () => {
  it.each([
    ["a create", `await ctx.create("memories", { content: "hello", tags: ["resonant:migrate:lease"] });`, "create"],
    [
      "an update",
      `await ctx.update("memories", { where: (m) => m.content !== "", set: { tags: ["resonant:migrate"] } });`,
      "update",
    ],
    ["an update by function", `await ctx.update("memories", () => ({ tags: ["x", "resonant:migrate:x"] }));`, "update"],
    [
      "a create the migration catches",
      `try { await ctx.create("memories", { content: "hello", tags: ["resonant:migrate"] }); } catch {}`,
      "create",
    ],
  ])("%s is refused while planning (exit 1, nothing written)", async (_n, up, call) => {
    await refused(
      { "0001_r.mjs": migrationSource({ revision: "r", downRevision: null, up }) },
      new RegExp(
        `0001_r\\.mjs \\(revision r\\): ctx\\.${call}\\("memories"\\) on memories \\S+: tags starting "resonant:migrate" are reserved`,
      ),
    );
  });
});

describe("load-time refusals name the file", { timeout: 120_000 }, () => {
  it.each(["base", "head"])("a revision named %s", async (name) => {
    await refused(
      {
        "0001_a.mjs": migrationSource({ revision: "a", downRevision: null, up: "" }),
        "0002_x.mjs": migrationSource({ revision: name, downRevision: "a", up: "" }),
      },
      new RegExp(`0002_x\\.mjs: revision "${name}" is not allowed: "base" and "head" are reserved names of positions`),
      [
        ["head", "--dry-run"],
        ["head", "--yes"],
      ],
    );
  });

  it.each([
    ["0001_bad.ts", /migrations\/0001_bad\.ts: cannot be loaded: migrations\/0001_bad\.ts:2:11: ERROR: Unexpected ";"/],
    [
      "0001_bad.mjs",
      /migrations\/0001_bad\.mjs: cannot be loaded: migrations\/0001_bad\.mjs:2:11: Unexpected token ';'/,
    ],
  ])("a syntax error in %s is said with its line and column", async (name, message) => {
    await refused({ [name]: "export default {};\nconst x = ;\n" }, message, [["--dry-run"]]);
  });

  it.each([[["history"]], [["current"]], [["up", "--dry-run"]], [["new", "x"]]])(
    "--dir naming a file: migrate %j is refused naming --dir and the path",
    async (args) => {
      await writeFile(acct.tmp.path("some.mjs"), "export default {};\n");
      const run = await acct.cli(["migrate", ...args, "--dir", "some.mjs"]);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toMatch(/--dir some\.mjs: not a folder/);
      expect(run.stderr).not.toMatch(/ENOTDIR|EEXIST/);
    },
  );
});

describe("a key that may write agents but not memories", { timeout: 60_000 }, () => {
  it("is refused saying the lease and ledger are memories it cannot write (exit 1, nothing written)", async () => {
    const { key } = acct.mock.api.createAccount({ scopes: ["agents:*", "memories:read", "data:read"] });
    acct.mock.api.seed({ agents: 3 }, { key });
    await writeFirstMigration(
      acct.tmp.path("migrations"),
      "s1",
      `await ctx.update("agents", { set: { description: "s1" } });`,
    );
    const run = await acct.cli(["migrate", "up", "--yes"], { env: { RESONANT_API_KEY: key } });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(
      /cannot take the migration lease \(an account memory tagged resonant:migrate:lease; the ledger is kept in memories too\): 403 .*memories:write.*; nothing was written/,
    );
  });
});

describe("a revision refused after others were applied in the same run", { timeout: 60_000 }, () => {
  it("says nothing more was written, naming those applied before it, not that nothing was written", async () => {
    await writeMigrations(acct.tmp.path("migrations"), {
      "0001_p1.mjs": migrationSource({
        revision: "p1",
        downRevision: null,
        up: `await ctx.update("agents", { set: { description: "p1" } });`,
      }),
      "0002_p2.mjs": migrationSource({ revision: "p2", downRevision: "p1", up: `throw new Error("boom");` }),
    });
    const run = await acct.cli(["migrate", "up", "--yes", "--no-backup"]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain("up p1: applied");
    expect(run.stderr).toMatch(
      /revision p2 up\(\) threw: boom; nothing more was written \(before it: up p1 applied\)$/m,
    );
    expect(await acct.ledger()).toEqual([{ revision: "p1", state: "applied", direction: "up" }]);
  });
});

describe("outputs that meet what the run keeps or reads", { timeout: 120_000 }, () => {
  it.each([
    // A backup under the journal's name was replaced by the journal: the revision recorded as applied, nothing written.
    [
      ["--backup", "migrations/.journal/k1.up.ndjson"],
      /--backup migrations\/\.journal\/k1\.up\.ndjson is in migrations\/\.journal, where resonant keeps the runs' journals/,
    ],
    [
      ["--failures", "migrations/.journal/k1.up.ndjson"],
      /--failures migrations\/\.journal\/k1\.up\.ndjson is in migrations\/\.journal/,
    ],
    [
      ["--failures", "migrations/0001_k1.mjs"],
      /--failures migrations\/0001_k1\.mjs is the same file as the migration migrations\/0001_k1\.mjs/,
    ],
    [
      ["--backup", "same.json", "--failures", "same.json"],
      /--backup same\.json and --failures same\.json are the same file/,
    ],
  ])("%j: refused before anything is opened (exit 1, nothing written, no file left)", async (flags, message) => {
    const up = `await ctx.update("agents", { where: (a) => a.name === "agent-3", set: { "metadata.tier": "gold" } });`;
    const files = { "0001_k1.mjs": migrationSource({ revision: "k1", downRevision: null, up }) };
    const migration = files["0001_k1.mjs"];
    await refused(files, message, [["--yes", ...flags]]);
    expect(await readFile(acct.tmp.path("migrations/0001_k1.mjs"), "utf8")).toBe(migration);
    await expect(stat(acct.tmp.path("same.json"))).rejects.toThrow(/ENOENT/);
    await expect(stat(acct.tmp.path("migrations/.journal/k1.up.ndjson"))).rejects.toThrow(/ENOENT/);
  });
});

describe("a --backup that is not a file", { timeout: 120_000 }, () => {
  // The ledger names the backup for `resonant restore`; a FIFO nobody read also held the run past every signal.
  it.each(["fifo", "/dev/null"])("%s: refused before planning (exit 1, nothing written)", async (name) => {
    const path = name === "fifo" ? acct.tmp.path("backup.fifo") : name;
    if (name === "fifo") execFileSync("mkfifo", [path]);
    const up = `await ctx.update("agents", { set: { model: "backup" } });`;
    await refused(
      { "0001_b1.mjs": migrationSource({ revision: "b1", downRevision: null, up }) },
      /--backup .* is not a file \(a device, a FIFO or a socket\): a backup is kept to be restored from/,
      [["--yes", "--backup", path]],
    );
  });
});

describe("a migration that awaits what never settles", { timeout: 120_000 }, () => {
  // Node ended such a run with exit 13 and not a word, its lease and journal left behind.
  it("up() is refused naming the file and revision (exit 1), the lease given back, nothing written", async () => {
    const up = `await ctx.update("agents", { set: { model: "never" } }); await new Promise(() => {});`;
    await refused(
      { "0001_n1.mjs": migrationSource({ revision: "n1", downRevision: null, up }) },
      /0001_n1\.mjs: revision n1 up\(\) never settled: it awaits a promise that nothing is left to resolve .*; nothing was written/,
    );
    const json = await acct.cli(["--json", "migrate", "up", "--yes"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout.trim().split("\n").at(-1)!)).toMatchObject({ event: "error", exit_code: 1 });
  });

  it("a file whose top-level await never settles is refused as it loads (exit 1)", async () => {
    await writeMigrations(acct.tmp.path("migrations"), {
      "0001_n2.mjs": `await new Promise(() => {});\nexport default {};\n`,
    });
    const run = await acct.cli(["migrate", "up", "--yes"]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/0001_n2\.mjs: its top-level code never settled: .*; nothing was run/);
    expect(await acct.leases()).toBe(0);
  });
});
