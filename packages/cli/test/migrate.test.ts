/**
 * `resonant migrate`: every command and exit code, run as real processes
 * against a real mock server on 127.0.0.1.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { cliFor, events, startCountingMock, tempDir, type CountingMock } from "./helpers.js";
import { ledgerOf, leasesOf, MODEL_RENAME, snapshot, TIER_DEFAULT, writeMigrations } from "./migrate-helpers.js";

let mock: CountingMock;
let tmp: Awaited<ReturnType<typeof tempDir>>;
let cli: ReturnType<typeof cliFor>;
let key: string;
const closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  mock ??= await startCountingMock();
  key = mock.api.createAccount().key;
  mock.api.seed({ agents: 12, teams: 1, triggers: 2, memories: 3 }, { key });
  tmp = await tempDir();
  closers.push(tmp.remove);
  cli = cliFor(mock, key, tmp.dir);
});
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});
afterAll(async () => mock?.close());

const last = (stdout: string) => events(stdout).at(-1)!;

describe("up, current, history, down", { timeout: 120_000 }, () => {
  it("dry run plans without writing (exit 3); up applies with a backup (exit 0); down reverses the journal (exit 0)", async () => {
    await writeMigrations(tmp.path("migrations"), { "0001_a1.mjs": MODEL_RENAME, "0002_b2.mjs": TIER_DEFAULT });
    const before = await snapshot(mock, key);

    const dry = await cli(["--json", "migrate", "up", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(3);
    const changes = events(dry.stdout).filter((e) => e.event === "change");
    expect(changes.filter((c) => c.revision === "a1")).toHaveLength(12);
    expect(changes.find((c) => c.revision === "a1")!.fields).toEqual([{ path: "model", before: "gpt-4-turbo", after: "gpt-4.1" }]);
    expect(changes.find((c) => c.revision === "b2")!.fields).toEqual([{ path: "metadata.tier", before: null, after: "standard" }]);
    expect(await snapshot(mock, key)).toEqual(before);
    expect(await ledgerOf(mock, key)).toEqual([]);

    const current0 = await cli(["--json", "migrate", "current"]);
    expect(current0.code).toBe(0);
    expect(last(current0.stdout).current).toBeNull();

    const upRun = await cli(["--json", "migrate", "up", "--yes"]);
    expect(upRun.code, upRun.stderr).toBe(0);
    const after = await snapshot(mock, key);
    expect(after.agents!.every((a) => a.model === "gpt-4.1" && (a.metadata as Record<string, string>).tier === "standard")).toBe(true);
    expect(await ledgerOf(mock, key)).toEqual([
      { revision: "a1", state: "applied", direction: "up" },
      { revision: "b2", state: "applied", direction: "up" },
    ]);
    expect(await leasesOf(mock, key)).toBe(0);
    const summary = last(upRun.stdout);
    expect((summary.steps as { backup: string }[])[0]!.backup).toMatch(/^backups\/.*a1-up\.json$/);

    const history = await cli(["--json", "migrate", "history"]);
    expect(last(history.stdout).revisions).toMatchObject([
      { revision: "a1", state: "applied", current: false },
      { revision: "b2", state: "applied", current: true, head: true },
    ]);

    // b2 has a down(); a1 has none: its journal is reversed.
    const downAll = await cli(["--json", "migrate", "down", "base", "--yes"]);
    expect(downAll.code, downAll.stderr).toBe(0);
    expect(await snapshot(mock, key)).toEqual(before);
    const current = await cli(["--json", "migrate", "current"]);
    expect(last(current.stdout).current).toBeNull();
    expect((await ledgerOf(mock, key)).slice(2)).toEqual([
      { revision: "b2", state: "reverted", direction: "down" },
      { revision: "a1", state: "reverted", direction: "down" },
    ]);
  });
});
