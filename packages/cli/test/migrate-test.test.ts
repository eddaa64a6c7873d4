/**
 * `resonant migrate test`: up, down and up again on a copy in the embedded
 * mock. It passes good migrations, catches a down() that does not restore
 * and an up that is not deterministic, and never writes to the account.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, events, startCountingMock, tempDir, type CountingMock } from "./helpers.js";
import { migrationSource, MODEL_RENAME, TIER_DEFAULT, writeMigrations } from "./migrate-helpers.js";

let mock: CountingMock;
let tmp: Awaited<ReturnType<typeof tempDir>>;
let cli: ReturnType<typeof cliFor>;

beforeAll(async () => {
  mock = await startCountingMock();
  const { key } = mock.api.createAccount();
  mock.api.seed({ tools: 2, agents: 15, teams: 2, sessions: 3, memories: 4, triggers: 2, webhooks: 1 }, { key });
  tmp = await tempDir();
  cli = cliFor(mock, key, tmp.dir);
});
afterAll(async () => {
  await mock.close();
  await tmp.remove();
});

const writes = (from: number) => mock.seen.slice(from).filter((s) => s.method !== "GET");

describe("migrate test", { timeout: 120_000 }, () => {
  it("passes migrations whose down restores and whose up is deterministic (exit 0), reading the account only", async () => {
    // c3 creates: its second up must create again, not be answered the first up's object (idempotency keys are per journal).
    const dir = await writeMigrations(tmp.path("good"), {
      "0001_a1.mjs": MODEL_RENAME,
      "0002_b2.mjs": TIER_DEFAULT,
      "0003_c3.mjs": migrationSource({
        revision: "c3",
        downRevision: "b2",
        up: `await ctx.create("memories", { content: "moved to gpt-4.1", tags: ["migration-note"] });`,
      }),
    });
    const from = mock.seen.length;
    const run = await cli(["--json", "migrate", "test", "--dir", dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(events(run.stdout).at(-1)).toMatchObject({
      event: "summary",
      revisions: ["a1", "b2", "c3"],
      not_restored: [],
      not_deterministic: [],
      failed: 0,
    });
    expect(writes(from)).toEqual([]);

    // From an archive: the account is not even read.
    expect((await cli(["export", "--out", "acct.json"])).code).toBe(0);
    const seen = mock.seen.length;
    const fromFile = await cli(["migrate", "test", "--dir", dir, "--from", "acct.json"]);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(fromFile.stdout).toMatch(/a1, b2, c3 restore the account and are deterministic/);
    expect(mock.seen.length).toBe(seen);
  });

  it("catches a down() that does not restore (exit 3), naming kind, id and field", async () => {
    const dir = await writeMigrations(tmp.path("bad-down"), {
      "0001_a1.mjs": migrationSource({
        revision: "a1",
        downRevision: null,
        up: `await ctx.update("agents", { where: (a) => a.model === "gpt-4-turbo", set: { model: "gpt-4.1" } });`,
        down: `await ctx.update("agents", { where: (a) => a.name === "agent-1", set: { model: "gpt-4-turbo" } });`,
      }),
    });
    const from = mock.seen.length;
    const run = await cli(["migrate", "test", "--dir", dir]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toMatch(
      /up then down did not restore the account:\n {2}agents [0-9a-f-]{36} model: expected "gpt-4-turbo", got "gpt-4\.1"/,
    );
    expect(run.stdout.match(/ model: expected/g)).toHaveLength(14);
    expect(writes(from)).toEqual([]);
  });

  it("catches an up that is not deterministic (exit 3)", async () => {
    const dir = await writeMigrations(tmp.path("random"), {
      "0001_r.mjs": migrationSource({
        revision: "r",
        downRevision: null,
        up: `await ctx.update("agents", (a) => ({ "metadata.nonce": Math.random().toString(36) }));`,
      }),
    });
    const run = await cli(["--json", "migrate", "test", "--dir", dir]);
    expect(run.code, run.stderr).toBe(3);
    const summary = events(run.stdout).at(-1)!;
    expect(summary.not_restored).toEqual([]);
    const diffs = summary.not_deterministic as { kind: string; fields: { path: string }[] }[];
    expect(diffs).toHaveLength(15);
    expect(diffs[0]).toMatchObject({ kind: "agents", problem: "changed", fields: [{ path: "metadata.nonce" }] });
  });
});

describe("migrate test on an account whose current revision is partial", { timeout: 120_000 }, () => {
  it("tests the partial revision with the pending ones, as up would run them, and lays no difference at a good one", async () => {
    const { key } = mock.api.createAccount();
    mock.api.seed({ agents: 4 }, { key });
    const own = await tempDir();
    try {
      const run = cliFor(mock, key, own.dir);
      await writeMigrations(own.path("migrations"), { "0001_a1.mjs": MODEL_RENAME });
      const first = (await mock.api
        .fetch(new Request(`${mock.baseURL}/v1.2/agents?limit=1`, { headers: { authorization: `Bearer ${key}` } }))
        .then((r) => r.json())) as { data: { id: string }[] };
      // a1 ends partial: one agent's write refused, so it is still on gpt-4-turbo.
      mock.api.faults.once({ method: "PATCH", path: `/agents/${first.data[0]!.id}`, status: 409 });
      expect((await run(["migrate", "up", "--yes", "--no-backup"])).code).toBe(2);
      await writeMigrations(own.path("migrations"), { "0002_b2.mjs": TIER_DEFAULT });
      const tested = await run(["--json", "migrate", "test"]);
      expect(tested.code, tested.stdout + tested.stderr).toBe(0);
      expect(events(tested.stdout).at(-1)).toMatchObject({ revisions: ["a1", "b2"], not_restored: [], failed: 0 });
    } finally {
      mock.api.faults.reset();
      await own.remove();
    }
  });
});
