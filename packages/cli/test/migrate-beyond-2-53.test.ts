/**
 * `resonant migrate` reads objects as the SDK parses them, so an integer beyond 2^53 a server sends (in a field a
 * later server added, say) may be rounded before a migration sees it. A write that sends it stores the rounded
 * value (docs/guarantees.md): each run names such a write, in a dry run too, before anything is written.
 */
import { createMockApi, DEMO_API_KEY } from "@resonantgenesis/mock";
import { startMockServer } from "@resonantgenesis/mock/server";
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, events, tempDir } from "./helpers.js";
import { migrationSource, writeMigrations } from "./migrate-helpers.js";

const api = createMockApi({ seed: { agents: 2, memories: 3 } });
// A later 1.x server: every memory it answers carries a new field holding 2^53 + 1, which JSON.parse rounds.
api.faults.set({
  method: "GET",
  path: /\/memories(\/|$)/,
  rewrite: (text) => text.replaceAll('"importance":', '"cost_micros":9007199254740993,"importance":'),
});
const mock = await startMockServer({ api });
const tmp = await tempDir();
afterAll(async () => {
  await mock.close();
  await tmp.remove();
});
const cli = cliFor(mock, DEMO_API_KEY, tmp.dir);

const warnings = (stdout: string) =>
  events(stdout)
    .filter((e) => e.event === "warning")
    .map((e) => String(e.message));

/** A folder `name` holding one migration, `revision`, whose up() is `up`. */
const oneMigration = (name: string, revision: string, up: string) =>
  writeMigrations(tmp.path(name), { [`${revision}.mjs`]: migrationSource({ revision, downRevision: null, up }) });

describe("an integer beyond 2^53 in what a migration writes", () => {
  it("is named with its object and path for a write that sends the whole object (memories have no PATCH)", async () => {
    const dir = await oneMigration("memories", "m1", `await ctx.update("memories", () => ({ importance: 0.5 }));`);
    const dry = await cli(["--json", "migrate", "up", "--dry-run", "--dir", dir]);
    expect(dry.code, dry.stderr).toBe(3); // A dry run with changes to make.
    const said = warnings(dry.stdout).filter((w) => w.includes("2^53"));
    expect(said).toHaveLength(3);
    for (const w of said) {
      expect(w).toMatch(/revision m1 up\(\): update memories [0-9a-f-]{36} sends cost_micros = 9007199254740992: /);
      expect(w).toContain("may have been rounded when read");
    }
  });

  it("is not named for a PATCH that leaves it out, nor for objects without one", async () => {
    const dir = await oneMigration("agents", "a1", `await ctx.update("agents", { set: { "metadata.tier": "gold" } });`);
    const run = await cli(["--json", "migrate", "up", "--dry-run", "--dir", dir]);
    expect(run.code, run.stderr).toBe(3);
    expect(events(run.stdout).filter((e) => e.event === "change")).toHaveLength(2);
    expect(warnings(run.stdout).filter((w) => w.includes("2^53"))).toEqual([]);
  });

  // Last: it writes. The backup is read as the SDK parses it too, and is what `resonant restore` writes back.
  it("a real run's backup that holds one says so, with the first object and what restore would do", async () => {
    const dir = await oneMigration(
      "memories-real",
      "m2",
      `await ctx.update("memories", () => ({ importance: 0.25 }));`,
    );
    const run = await cli(["--json", "migrate", "up", "--yes", "--dir", dir, "--backup", "b.json"]);
    expect(run.code, run.stderr).toBe(0);
    const said = warnings(run.stdout).filter((w) => w.startsWith("the backup"));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(
      /^the backup \/.*\/b\.json holds 3 object\(s\) with an integer beyond 2\^53, as read: rounded \(first: memories [0-9a-f-]{36} cost_micros = 9007199254740992\); `resonant restore` from it would write them so/,
    );
  });
});
