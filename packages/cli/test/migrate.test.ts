/**
 * `resonant migrate`: every command and exit code, run as real processes
 * against a real mock server on 127.0.0.1.
 */
import { cp, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { template } from "../src/migrate/template.js";
import { events } from "./helpers.js";
import {
  migrationSource,
  MODEL_RENAME,
  TIER_DEFAULT,
  useMigrateAccount,
  writeMigrations,
  writeFirstMigration,
} from "./migrate-helpers.js";

const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));

const acct = useMigrateAccount({ agents: 12, teams: 1, triggers: 2, memories: 3 });

const last = (stdout: string) => events(stdout).at(-1)!;

/** A revision that tags every session (sessions have no PATCH: each is written whole by an import). */
const TAG_SESSIONS = migrationSource({
  revision: "s",
  downRevision: null,
  up: `await ctx.update("sessions", { set: { "metadata.tag": "x" } });`,
});

describe("up, current, history, down", { timeout: 120_000 }, () => {
  it("dry run plans without writing (exit 3); up applies with a backup (exit 0); down reverses the journal (exit 0)", async () => {
    await writeMigrations(acct.tmp.path("migrations"), { "0001_a1.mjs": MODEL_RENAME, "0002_b2.mjs": TIER_DEFAULT });
    const before = await acct.snapshot();

    const dry = await acct.cli(["--json", "migrate", "up", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(3);
    const changes = events(dry.stdout).filter((e) => e.event === "change");
    expect(changes.filter((c) => c.revision === "a1")).toHaveLength(12);
    expect(changes.find((c) => c.revision === "a1")!.fields).toEqual([
      { path: "model", before: "gpt-4-turbo", after: "gpt-4.1" },
    ]);
    expect(changes.find((c) => c.revision === "b2")!.fields).toEqual([
      { path: "metadata.tier", before: null, after: "standard" },
    ]);
    expect(await acct.snapshot()).toEqual(before);
    expect(await acct.ledger()).toEqual([]);

    const current0 = await acct.cli(["--json", "migrate", "current"]);
    expect(current0.code).toBe(0);
    expect(last(current0.stdout).current).toBeNull();

    const upRun = await acct.cli(["--json", "migrate", "up", "--yes"]);
    expect(upRun.code, upRun.stderr).toBe(0);
    const after = await acct.snapshot();
    expect(
      after.agents!.every((a) => a.model === "gpt-4.1" && (a.metadata as Record<string, string>).tier === "standard"),
    ).toBe(true);
    expect(await acct.ledger()).toEqual([
      { revision: "a1", state: "applied", direction: "up" },
      { revision: "b2", state: "applied", direction: "up" },
    ]);
    expect(await acct.leases()).toBe(0);
    const summary = last(upRun.stdout);
    expect((summary.steps as { backup: string }[])[0]!.backup).toMatch(/^\/.*\/backups\/[^/]*a1-up\.json$/);

    const history = await acct.cli(["--json", "migrate", "history"]);
    expect(last(history.stdout).revisions).toMatchObject([
      { revision: "a1", state: "applied", current: false },
      { revision: "b2", state: "applied", current: true, head: true },
    ]);

    // b2 has a down(); a1 has none: its journal is reversed.
    const downAll = await acct.cli(["--json", "migrate", "down", "base", "--yes"]);
    expect(downAll.code, downAll.stderr).toBe(0);
    expect(await acct.snapshot()).toEqual(before);
    const current = await acct.cli(["--json", "migrate", "current"]);
    expect(last(current.stdout).current).toBeNull();
    expect((await acct.ledger()).slice(2)).toEqual([
      { revision: "b2", state: "reverted", direction: "down" },
      { revision: "a1", state: "reverted", direction: "down" },
    ]);

    // Verify after: the rollback put back every field but those the server sets on each write.
    const backup = (summary.steps as { backup: string }[])[0]!.backup;
    const strict = await acct.cli(["--json", "verify", backup]);
    expect(strict.code).toBe(3);
    expect(new Set((last(strict.stdout).changed as { fields: string[] }[]).flatMap((c) => c.fields))).toEqual(
      new Set(["updated_at", "version"]),
    );
    expect(last(strict.stdout).ignored).toEqual([]);
    const leftOutJson = await acct.cli(["--json", "verify", backup, "--ignore", "updated_at,version"]);
    expect(last(leftOutJson.stdout)).toMatchObject({
      identical: true,
      ignored: ["updated_at", "version"],
      changed: [],
    });
    // The backup holds agents alone: the account's teams, triggers and memories are not its objects, nor extras.
    expect((last(leftOutJson.stdout).kinds as { kind: string }[]).map((k) => k.kind)).toEqual(["agents"]);
    expect(last(leftOutJson.stdout).extra).toEqual([]);
    const leftOut = await acct.cli(["verify", backup, "--ignore", "updated_at,version"]);
    expect(leftOut.code, leftOut.stderr).toBe(0);
    expect(leftOut.stdout).toContain(
      "is the backup taken before migrate up a1: compared in the kinds it holds, agents",
    );
    expect(leftOut.stdout).toMatch(/holds every object of the archive, unchanged \(updated_at, version left out\)/);
    const typo = await acct.cli(["verify", backup, "--ignore", "updated at"]);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/--ignore <fields>' argument 'updated at' is invalid. must be field names/);
  });
});

describe("new, stamp, a TypeScript migration", { timeout: 120_000 }, () => {
  it("new writes a template after the head; stamp records without running", async () => {
    const blank = await acct.cli(["migrate", "new", "  "]);
    expect(blank.code).toBe(1);
    expect(blank.stderr).toMatch(/argument 'message'\. must say what the migration does/);
    await expect(stat(acct.tmp.path("migrations"))).rejects.toThrow();
    const first = await acct.cli(["--json", "migrate", "new", " first step "]);
    expect(first.code, first.stderr).toBe(0);
    const a = last(first.stdout);
    expect(a).toMatchObject({ down_revision: null });
    const second = await acct.cli(["--json", "migrate", "new", "second step", "--ext", "mjs"]);
    const b = last(second.stdout);
    expect(b.down_revision).toBe(a.revision);
    expect(await readFile(acct.tmp.path(String(b.file)), "utf8")).toContain(`downRevision: "${String(a.revision)}"`);
    expect(await readFile(acct.tmp.path(String(a.file)), "utf8")).toContain(`message: "first step",`);
    // Numbered after the highest in use: with 0001 gone (and 0002 then following base), the next is 0003, not 0002.
    expect(String(b.file)).toMatch(/migrations\/0002_/);

    const before = await acct.snapshot();
    const stamped = await acct.cli(["--json", "migrate", "stamp", String(a.revision)]);
    expect(stamped.code, stamped.stderr).toBe(0);
    expect(await acct.ledger()).toEqual([{ revision: a.revision, state: "applied", direction: "stamp" }]);
    expect(await acct.snapshot()).toEqual(before);
    const history = await acct.cli(["--json", "migrate", "history"]);
    expect(last(history.stdout).revisions).toMatchObject([
      { revision: a.revision, state: "applied", current: true },
      { revision: b.revision, state: "pending", head: true },
    ]);

    await rm(acct.tmp.path(String(a.file)));
    const bText = await readFile(acct.tmp.path(String(b.file)), "utf8");
    await writeFile(
      acct.tmp.path(String(b.file)),
      bText.replace(`downRevision: "${String(a.revision)}"`, "downRevision: null"),
    );
    const third = await acct.cli(["--json", "migrate", "new", "third step"]);
    expect(third.code, third.stderr).toBe(0);
    expect(String(last(third.stdout).file)).toMatch(/migrations\/0003_[0-9a-f]{12}_third_step\.ts$/);
  });

  it("the .ts template is typed by its type-only import: its example, uncommented, is the fixture tsc checks", async () => {
    // typecheck compiles test/fixtures/migration-template.ts under noImplicitAny: an untyped ctx would fail it.
    const text = template("0a1b2c3d4e5f", null, "every agent on gpt-4-turbo moves to gpt-4.1", "ts");
    expect(text).toMatch(/^import type \{ Migration \} from "@resonantgenesis\/cli";$/m);
    expect(text.replace("// await ctx.update", "await ctx.update")).toBe(
      await readFile(join(FIXTURES, "migration-template.ts"), "utf8"),
    );
  });

  it("loads a .ts migration written with defineMigration (tsx)", async () => {
    // Inside the package, so the file's import of @resonantgenesis/cli resolves to the sources.
    const dir = await mkdtemp(join(FIXTURES, ".tmp-"));
    acct.afterThis(() => rm(dir, { recursive: true, force: true }));
    await cp(join(FIXTURES, "migrations-ts"), dir, { recursive: true });
    const run = await acct.cli(["--json", "migrate", "up", "--yes", "--no-backup", "--dir", dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(events(run.stdout).some((e) => e.event === "info" && String(e.message).includes("12 agents planned"))).toBe(
      true,
    );
    expect((await acct.snapshot()).agents!.every((x) => x.model === "gpt-4.1")).toBe(true);
  });
});

describe("a migrations folder beside no node_modules (resonant installed globally, or run by npx)", () => {
  it("a migration imports defineMigration and the SDK from the running resonant: one copy, nothing to install", async () => {
    // The temporary folder is outside the workspace, and the CLI runs without pnpm's NODE_PATH (helpers.ts).
    await writeMigrations(acct.tmp.path("migrations"), {
      "0001_s1.mjs": `import { defineMigration } from "@resonantgenesis/cli";
import { RequestValidationError } from "@resonantgenesis/sdk";
export default defineMigration({
  revision: "s1",
  downRevision: null,
  message: "shared packages",
  async up(ctx) {
    ctx.log(\`sdk at \${import.meta.resolve("@resonantgenesis/sdk")}, \${typeof RequestValidationError}\`);
    await ctx.update("agents", { set: { model: "gpt-4.1" } });
  },
});
`,
    });
    const run = await acct.cli(["--json", "migrate", "up", "--yes", "--no-backup"]);
    expect(run.code, run.stderr).toBe(0);
    const sdk = new URL("../../sdk/dist/index.node.js", import.meta.url).href; // the running CLI's own
    expect(events(run.stdout).map((e) => e.message)).toContain(`s1: sdk at ${sdk}, function`);
    expect((await acct.snapshot()).agents!.every((a) => a.model === "gpt-4.1")).toBe(true);
  });

  it("a .ts migration loaded as CommonJS that imports them at run time is refused with the way out", async () => {
    await writeMigrations(acct.tmp.path("migrations"), {
      "0001_c.ts": `import { defineMigration } from "@resonantgenesis/cli";
export default defineMigration({ revision: "c", downRevision: null, message: "c", async up() {} });
`,
    });
    const before = await acct.snapshot();
    const run = await acct.cli(["migrate", "up", "--yes"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /0001_c\.ts: cannot be loaded: Cannot find module '@resonantgenesis\/cli'; nothing was run \(outside a "type": "module" package .* `import type \{ Migration \}` .* or name the file \.mts\)/,
    );
    expect(await acct.snapshot()).toEqual(before);
  });
});

describe("bad input: a clear message, exit 1, nothing written", { timeout: 120_000 }, () => {
  it.each([
    ["an empty folder", {}, /no migrations/],
    ["a syntax error", { "0001_bad.mjs": "export default { revision: 'x', " }, /0001_bad\.mjs: cannot be loaded/],
    [
      "two heads",
      {
        "0001_a1.mjs": MODEL_RENAME,
        "0002_b.mjs": migrationSource({ revision: "b", downRevision: "a1", up: "" }),
        "0003_c.mjs": migrationSource({ revision: "c", downRevision: "a1", up: "" }),
      },
      /two heads: .*0002_b\.mjs \(b\) and .*0003_c\.mjs \(c\) both follow a1/,
    ],
    [
      "a missing parent",
      { "0001_x.mjs": migrationSource({ revision: "x", downRevision: "nope", up: "" }) },
      /0001_x\.mjs: downRevision nope is not a revision/,
    ],
    [
      "a duplicate revision",
      { "0001_a1.mjs": MODEL_RENAME, "0002_a1.mjs": MODEL_RENAME },
      /revision a1 is declared twice: .*0001_a1\.mjs and .*0002_a1\.mjs/,
    ],
    [
      "an unknown kind",
      {
        "0001_k.mjs": migrationSource({
          revision: "k",
          downRevision: null,
          up: `await ctx.update("agentz", { set: { model: "x" } });`,
        }),
      },
      /0001_k\.mjs \(revision k\): ctx\.update\("agentz"\): unknown kind "agentz"/,
    ],
    [
      "a migration that throws",
      {
        "0001_t.mjs": migrationSource({
          revision: "t",
          downRevision: null,
          up: `await ctx.update("agents", { set: { model: "x" } }); throw new Error("boom at step 2");`,
        }),
      },
      /0001_t\.mjs: revision t up\(\) threw: boom at step 2; nothing was written/,
    ],
    [
      "writes the SDK would refuse before sending them (each named, the valid ones not sent either)",
      {
        "0001_t.mjs": migrationSource({
          revision: "t",
          downRevision: null,
          up: `await ctx.update("agents", { where: (a) => a.name === "agent-3", set: { name: "n".repeat(101) } }); await ctx.update("agents", { where: (a) => a.name !== "agent-3", set: { "metadata.tier": "gold" } }); await ctx.create("teams", { name: "", agent_ids: [] });`,
        }),
      },
      /0001_t\.mjs: revision t up\(\) plans 2 writes that would be refused before being sent; nothing was written:\n {2}update agents [0-9a-f-]{36}: Invalid request: body\.name: must be at most 100 characters\n {2}create teams [0-9a-f-]{36}: Invalid request: body\.name: /,
    ],
  ])("%s", async (_name, files, message) => {
    await writeMigrations(acct.tmp.path("migrations"), files);
    const before = await acct.snapshot();
    const run = await acct.cli(["migrate", "up", "--yes"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(await acct.snapshot()).toEqual(before);
    expect(await acct.ledger()).toEqual([]);
    expect(await acct.leases()).toBe(0);
    await expect(stat(acct.tmp.path("migrations/.journal/t.up.ndjson"))).rejects.toThrow();
  });

  it("a dry run and migrate test refuse writes the SDK would refuse, as up does (exit 1, not a plan)", async () => {
    await writeFirstMigration(
      acct.tmp.path("migrations"),
      "t",
      `await ctx.update("agents", { set: { model: "gpt-4.1", name: "x".repeat(200) } });`,
    );
    for (const args of [
      ["migrate", "up", "--dry-run"],
      ["migrate", "test"],
    ]) {
      const run = await acct.cli(args);
      expect(run.code, args.join(" ")).toBe(1);
      expect(run.stderr).toMatch(/revision t up\(\) plans 12 writes that would be refused before being sent/);
      expect(
        run.stderr.match(/\n {2}update agents [0-9a-f-]{36}: Invalid request: body\.name: must be at most 100/g),
      ).toHaveLength(12);
      expect(run.stderr).not.toMatch(/would be made|and \d+ more/);
    }
    expect(await acct.ledger()).toEqual([]);
  });

  it("a revision that fails after one was applied: the applied one is said as it ends (and a step event), then the error", async () => {
    await writeMigrations(acct.tmp.path("migrations"), {
      "0001_a1.mjs": MODEL_RENAME,
      "0002_b2.mjs": migrationSource({
        revision: "b2",
        downRevision: "a1",
        up: `throw new Error("b2 is not ready");`,
      }),
    });
    const run = await acct.cli(["migrate", "up", "--yes"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^up a1: applied \(backup \/[^)]*\/backups\/[^)]*a1-up\.json\)$/m);
    expect(run.stderr).toMatch(
      /0002_b2\.mjs: revision b2 up\(\) threw: b2 is not ready; nothing more was written \(before it: up a1 applied\)/,
    );
    expect(await acct.ledger()).toEqual([{ revision: "a1", state: "applied", direction: "up" }]);
    await acct.cli(["migrate", "down", "--yes", "--no-backup"]);
    const json = await acct.cli(["--json", "migrate", "up", "--yes", "--no-backup"]);
    expect(json.code).toBe(1);
    const kinds = events(json.stdout).map((e) => e.event);
    expect(kinds.indexOf("step")).toBeLessThan(kinds.lastIndexOf("error"));
    expect(events(json.stdout).find((e) => e.event === "step")).toMatchObject({
      revision: "a1",
      direction: "up",
      state: "applied",
      written: 12,
      failed: 0,
    });
  });

  it("an update of sessions (written whole by an import) is undone from the journal, steps and all", async () => {
    await writeMigrations(acct.tmp.path("migrations"), { "0001_s.mjs": TAG_SESSIONS });
    acct.mock.api.seed({ sessions: 3 }, { key: acct.key });
    const before = await acct.snapshot();
    expect((await acct.cli(["migrate", "up", "--yes", "--no-backup"])).code).toBe(0);
    expect((await acct.snapshot()).sessions!.every((x) => (x.metadata as { tag?: string }).tag === "x")).toBe(true);
    // A get of a session carries no steps; the import that puts it back must (it was refused: steps is required).
    const down = await acct.cli(["migrate", "down", "--yes", "--no-backup"]);
    expect(down.code, down.stderr).toBe(0);
    expect(await acct.snapshot()).toEqual(before);
  });

  it("a kind the pinned version cannot write is refused once, where the migration asked (sessions on 1.1)", async () => {
    await writeMigrations(acct.tmp.path("migrations"), { "0001_s.mjs": TAG_SESSIONS });
    acct.mock.api.seed({ sessions: 2 }, { key: acct.key });
    const before = await acct.snapshot();
    const run = await acct.cli(["--api-version", "1.1", "migrate", "up", "--yes"]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(
      /0001_s\.mjs: revision s up\(\): update sessions [0-9a-f-]{36}: API 1\.1 cannot update sessions: they have no PATCH, and the import that overwrites them came in 1\.2: run against --api-version 1\.2; nothing was written\n$/,
    );
    expect(await acct.snapshot()).toEqual(before);
    expect(await acct.ledger()).toEqual([]);

    // A migration that catches what ctx throws does not plan on without the write.
    await writeFirstMigration(
      acct.tmp.path("migrations"),
      "s",
      `try { await ctx.update("sessions", { set: { "metadata.tag": "x" } }); } catch {} await ctx.update("agents", { set: { "metadata.tier": "gold" } });`,
    );
    const caught = await acct.cli(["--api-version", "1.1", "migrate", "up", "--yes"]);
    expect(caught.code, caught.stderr).toBe(1);
    expect(caught.stderr).toMatch(/revision s up\(\): update sessions [0-9a-f-]{36}: API 1\.1 cannot update sessions/);
    expect(await acct.snapshot()).toEqual(before);
    expect(await acct.ledger()).toEqual([]);
  });

  it("a --backup that exists is refused before planning: a backup never replaces a file (an earlier run's backup)", async () => {
    await writeMigrations(acct.tmp.path("migrations"), { "0001_a1.mjs": MODEL_RENAME });
    await writeFile(acct.tmp.path("earlier.json"), "an earlier run's backup");
    const before = await acct.snapshot();
    const run = await acct.cli(["migrate", "up", "--yes", "--backup", "earlier.json"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("resonant: --backup earlier.json exists: a backup never replaces a file");
    expect(await readFile(acct.tmp.path("earlier.json"), "utf8")).toBe("an earlier run's backup");
    expect(await acct.snapshot()).toEqual(before);
    expect(await acct.ledger()).toEqual([]);
  });

  it("a --backup that could never be written (a link, a directory) is refused before planning, named by its flag", async () => {
    await writeMigrations(acct.tmp.path("migrations"), { "0001_a1.mjs": MODEL_RENAME });
    await writeFile(acct.tmp.path("victim.json"), "precious");
    await symlink(acct.tmp.path("victim.json"), acct.tmp.path("planted.json"));
    await mkdir(acct.tmp.path("a-folder"));
    const before = await acct.snapshot();
    for (const [target, why] of [
      ["planted.json", "is a symbolic link"],
      ["a-folder", "is a directory"],
    ] as const) {
      const run = await acct.cli(["migrate", "up", "--yes", "--backup", target]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`resonant: --backup ${target}: ${why}`);
      expect(run.stdout).not.toMatch(/update 12 agents/);
    }
    expect(await readFile(acct.tmp.path("victim.json"), "utf8")).toBe("precious");
    expect(await acct.snapshot()).toEqual(before);
    expect(await acct.ledger()).toEqual([]);
    await expect(stat(acct.tmp.path("migrations/.journal/a1.up.ndjson"))).rejects.toThrow();
  });

  it("a target that does not exist, and no terminal without --yes", async () => {
    await writeMigrations(acct.tmp.path("migrations"), { "0001_a1.mjs": MODEL_RENAME });
    const target = await acct.cli(["migrate", "up", "zz9"]);
    expect(target.code).toBe(1);
    expect(target.stderr).toMatch(/migrate up zz9: no such revision \(known: base, a1, head\)/);
    const noTty = await acct.cli(["migrate", "up"]);
    expect(noTty.code).toBe(1);
    expect(noTty.stderr).toMatch(/no one is at a terminal to confirm: add --yes/);
    expect(await acct.ledger()).toEqual([]);
  });
});
