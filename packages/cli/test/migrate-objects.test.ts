/**
 * `resonant migrate` on what a revision makes and keeps: objects it creates and then updates (down, --resume),
 * its backup (the kinds it names, a malformed one), one runner at a time, deletes put back and leases. Real
 * processes against the mock, a fresh account each test (migrate.test.ts has up, down, new, stamp and bad input).
 */
import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { spawnCli } from "./helpers.js";
import {
  migrationSource,
  MODEL_RENAME,
  useMigrateAccount,
  writeMigrations,
  writeFirstMigration,
} from "./migrate-helpers.js";

const acct = useMigrateAccount({ agents: 12, teams: 1, triggers: 2, memories: 3 });

/** A revision that creates five agents and then updates each one it created. */
const CREATES_THEN_UPDATES = migrationSource({
  revision: "c1",
  downRevision: null,
  up: `for (let i = 0; i < 5; i++) {
         const a = await ctx.create("agents", { name: "made-" + i, model: "gpt-4" });
         await ctx.update("agents", { where: (x) => x.id === a.id, set: { "metadata.k": "v", description: "set after" } });
       }`,
});

describe("objects a revision creates and then updates", { timeout: 120_000 }, () => {
  const made = async () => (await acct.snapshot()).agents!.filter((a) => String(a.name).startsWith("made-"));

  it("down deletes them (it was refused: the update's before-image is the create's body), and migrate test passes", async () => {
    await writeMigrations(acct.tmp.path("migrations"), { "0001_c1.mjs": CREATES_THEN_UPDATES });
    const before = await acct.snapshot();
    expect((await acct.cli(["migrate", "up", "--yes", "--no-backup"])).code).toBe(0);
    expect((await made()).map((a) => a.description)).toEqual(Array(5).fill("set after"));
    const down = await acct.cli(["migrate", "down", "--yes", "--no-backup"]);
    expect(down.code, down.stderr).toBe(0);
    expect(await acct.snapshot()).toEqual(before);
    const test = await acct.cli(["migrate", "test"]);
    expect(test.code, test.stdout + test.stderr).toBe(0);
  });

  it("a run killed after some of them resumes with --resume: every update sent, none taken for a conflict", async () => {
    await writeMigrations(acct.tmp.path("migrations"), { "0001_c1.mjs": CREATES_THEN_UPDATES });
    const child = spawnCli(["migrate", "up", "--yes", "--no-backup"], {
      cwd: acct.tmp.dir,
      env: { RESONANT_BASE_URL: acct.mock.baseURL, RESONANT_API_KEY: acct.key },
    });
    child.stdout!.resume();
    child.stderr!.resume();
    let patches = 0;
    acct.mock.onRequest = (request) => {
      if (request.method === "PATCH" && ++patches === 3) child.kill("SIGKILL");
    };
    await new Promise((resolve) => child.on("close", resolve));
    acct.mock.onRequest = undefined;
    const resumed = await acct.cli(["migrate", "up", "--yes", "--resume"]);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(resumed.stdout + resumed.stderr).not.toContain("changed by someone else");
    expect((await made()).map((a) => a.description)).toEqual(Array(5).fill("set after"));
    expect((await acct.ledger()).at(-1)).toEqual({ revision: "c1", state: "applied", direction: "up" });
  });
});

/** A revision that creates an agent and rescores every memory: its backup holds agents and memories. */
const CREATES_AND_RESCORES = migrationSource({
  revision: "m1",
  downRevision: null,
  up: `await ctx.create("agents", { name: "made-by-m1", model: "gpt-4", system_prompt: "x" });
       await ctx.update("memories", { set: { importance: 0.9 } });`,
});

describe("a migration's backup", { timeout: 120_000 }, () => {
  it("names the kinds it holds, so restore --prune deletes in those alone and never the ledger", async () => {
    await writeMigrations(acct.tmp.path("migrations"), { "0001_m1.mjs": CREATES_AND_RESCORES });
    const before = await acct.snapshot();
    const up = await acct.cli(["migrate", "up", "--yes", "--backup", "pre-m1.json"]);
    expect(up.code, up.stderr).toBe(0);
    const header = JSON.parse(
      (await readFile(acct.tmp.path("pre-m1.json"), "utf8")).split("\n")[0]!.replace(/,$/, "}"),
    );
    expect(header.migrate_backup).toEqual({
      revision: "m1",
      direction: "up",
      at: "base",
      kinds: ["agents", "memories"],
    });
    const ledger = await acct.ledger();

    const run = await acct.cli(["restore", "pre-m1.json", "--prune", "--yes"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /kept, not pruned: teams, triggers, which the backup \(of migrate up m1\) does not hold/,
    );
    // The created agent is pruned and the memories put back; teams and triggers, written empty, are kept.
    expect(await acct.snapshot()).toEqual(before);
    // The tool's own memories are none of the backup's: the ledger still says m1 ran.
    expect(await acct.ledger()).toEqual(ledger);
    // ...and the run says how to record the rollback in it.
    expect(run.stdout).toMatch(/the ledger still records migrate up m1; .*`resonant migrate stamp base`/);
    expect((await acct.cli(["migrate", "stamp", "base"])).code).toBe(0);
    expect((await acct.ledger()).at(-1)).toEqual({ revision: "m1", state: "reverted", direction: "stamp" });
  });

  it("a malformed migrate_backup member is refused, naming the file and the member, before anything changes", async () => {
    const head = `{"format":"resonantgenesis.export","format_version":1,"api_version":"1.2","exported_at":"2026-12-01T00:00:00Z"`;
    const kinds = ["agents", "sessions", "webhooks", "tools", "teams", "memories", "triggers"];
    const body = `${head},"migrate_backup":{"kinds":"agents"},${kinds.map((k) => `"${k}":[]`).join(",")}}`;
    await writeFile(acct.tmp.path("odd.json"), body);
    const before = await acct.snapshot();
    const run = await acct.cli(["restore", "odd.json", "--prune", "--yes"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/odd\.json: "migrate_backup": must be \{"revision": .*; got \{"kinds":"agents"\}/);
    expect(await acct.snapshot()).toEqual(before);
  });
});

describe("one runner at a time", { timeout: 120_000 }, () => {
  it("two migrate up at once: one writes, the other exits 1 naming the holder", async () => {
    // up waits before planning so the two runs overlap while the first holds the lease.
    await writeFirstMigration(
      acct.tmp.path("migrations"),
      "a1",
      `await new Promise((r) => setTimeout(r, 1500)); await ctx.update("agents", { where: (a) => a.model === "gpt-4-turbo", set: { model: "gpt-4.1" } });`,
    );
    const patches = () => acct.mock.seen.filter((s) => s.method === "PATCH").length;
    const p0 = patches();
    const [one, two] = await Promise.all([
      acct.cli(["migrate", "up", "--yes", "--no-backup"]),
      acct.cli(["migrate", "up", "--yes", "--no-backup"]),
    ]);
    expect([one.code, two.code].sort()).toEqual([0, 1]);
    const loser = one.code === 1 ? one : two;
    expect(loser.stderr).toMatch(
      /another migration holds the account: run \w+ \(migrate up, .* pid \d+\) since \d{4}-/,
    );
    expect(patches() - p0).toBe(12);
    expect(await acct.ledger()).toEqual([{ revision: "a1", state: "applied", direction: "up" }]);
    expect(await acct.leases()).toBe(0);
  });
});

describe("deletes and leases", { timeout: 120_000 }, () => {
  it("down puts deleted objects back with their ids (retire archived agents and their triggers)", async () => {
    const client = acct.client();
    const all = (await acct.snapshot()).agents!;
    const archived = all.filter((a) => a.name === "agent-5" || a.name === "agent-6").map((a) => String(a.id));
    for (const id of archived) await client.agents.update(id, { status: "archived" });
    await writeFirstMigration(
      acct.tmp.path("migrations"),
      "r1",
      `const gone = new Set(); for await (const a of ctx.list("agents")) if (a.status === "archived") gone.add(a.id);
             await ctx.delete("triggers", (t) => gone.has(t.agent_id)); await ctx.delete("memories", (m) => gone.has(m.agent_id));
             await ctx.update("teams", (t) => (t.agent_ids.some((id) => gone.has(id)) ? { agent_ids: t.agent_ids.filter((id) => !gone.has(id)), lead_agent_id: null } : null));
             await ctx.delete("agents", (a) => gone.has(a.id));`,
      "retire",
    );
    const before = await acct.snapshot();
    const up = await acct.cli(["--json", "migrate", "up", "--yes", "--no-backup"]);
    expect(up.code, up.stderr).toBe(0);
    const after = await acct.snapshot();
    expect(after.agents!.map((a) => a.id)).not.toContain(archived[0]);
    expect(after.agents).toHaveLength(before.agents!.length - 2);
    const down = await acct.cli(["migrate", "down", "--yes", "--no-backup"]);
    expect(down.code, down.stderr).toBe(0);
    expect(await acct.snapshot()).toEqual(before);
  });

  it("a live lease of another runner is respected; an expired one is taken over and removed", async () => {
    const client = acct.client();
    await writeMigrations(acct.tmp.path("migrations"), { "0001_a1.mjs": MODEL_RENAME });
    const lease = (ttl: number) =>
      client.memories.create({
        content: JSON.stringify({
          type: "resonant.migration.lease",
          run: "other1",
          host: "ci-runner-7",
          pid: 4242,
          command: "migrate up",
          ttl_ms: ttl,
        }),
        tags: ["resonant:migrate:lease"],
      });
    const live = await lease(600_000);
    const refused = await acct.cli(["migrate", "up", "--yes", "--no-backup"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /another migration holds the account: run other1 \(migrate up, ci-runner-7 pid 4242\) since .*; its lease expires at/,
    );
    expect(await acct.ledger()).toEqual([]);
    await client.memories.delete(live.id);
    await lease(1);
    const ran = await acct.cli(["migrate", "up", "--yes", "--no-backup"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(await acct.leases()).toBe(0);
  });
});
