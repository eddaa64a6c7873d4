/**
 * A dry run whose revision fails part-way (its migration throws after planning writes) says what the real run does:
 * the revisions before it applied, that one refused before any of it is written. It used to list the failing
 * revision's planned changes as if they would be made, then the error. Real processes against the mock.
 */
import { describe, expect, it } from "vitest";
import { events } from "./helpers.js";
import { MODEL_RENAME, migrationSource, useMigrateAccount, writeMigrations } from "./migrate-helpers.js";

const acct = useMigrateAccount({ agents: 4 });

/** b2 plans a description for every agent, then throws. */
const THROWS = migrationSource({
  revision: "b2",
  downRevision: "a1",
  up: `await ctx.update("agents", { set: { description: "never" } }); throw new Error("boom");`,
});

describe("a dry run whose revision fails part-way", { timeout: 60_000 }, () => {
  it("lists none of its changes, says it would be refused whole after the revisions before it, as up does", async () => {
    const { cli, tmp } = acct;
    await writeMigrations(tmp.path("migrations"), { "0001_a1.mjs": MODEL_RENAME, "0002_b2.mjs": THROWS });
    const before = await acct.snapshot();

    const dry = await cli(["migrate", "up", "--dry-run"]);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toMatch(
      /^up a1 \(gpt-4-turbo to gpt-4\.1\), dry run:\n( {2}update agents \S+: model .*\n){4}kind/,
    );
    expect(dry.stdout).not.toContain("never");
    expect(dry.stdout).toMatch(
      /\nup b2 \(b2\), dry run:\n {2}failed part-way: the real run would refuse it whole, writing none of it\n$/,
    );
    expect(dry.stderr).toBe(
      "resonant: migrations/0002_b2.mjs: revision b2 up() threw: boom; dry run: up b2 failed, and the real run would refuse it before writing any of it, so none of the 4 change(s) it planned before this would be applied (before it, the real run would apply up a1: 4 change(s)); nothing was written\n",
    );

    // --json streams each change as it is planned: the error says b2's would not be applied.
    const json = await cli(["--json", "migrate", "up", "--dry-run"]);
    expect(json.code).toBe(1);
    const out = events(json.stdout);
    expect(out.filter((e) => e.event === "change" && e.revision === "b2")).toHaveLength(4);
    expect(out.filter((e) => e.event === "plan").map((e) => e.revision)).toEqual(["a1"]);
    expect(String(out.at(-1)!.message)).toContain(
      `dry run: up b2 failed, and the real run would refuse it before writing any of it, so none of the 4 change(s) it planned before this (its "change" events above) would be applied (before it, the real run would apply up a1: 4 change(s))`,
    );
    expect(await acct.snapshot()).toEqual(before);

    // The real run does what the dry run said: a1 applied, b2 refused whole.
    const real = await cli(["migrate", "up", "--yes", "--no-backup"]);
    expect(real.code).toBe(1);
    expect(real.stderr).toContain("revision b2 up() threw: boom; nothing more was written (before it: up a1 applied)");
    expect(real.stdout).not.toContain("never");
    const after = await acct.snapshot();
    expect(after.agents).toEqual(
      before.agents!.map((a) => ({ ...a, model: a.model === "gpt-4-turbo" ? "gpt-4.1" : a.model })),
    );
  });

  it("the first revision failing: no revision before it to name", async () => {
    await writeMigrations(acct.tmp.path("migrations"), { "0001_b2.mjs": THROWS.replace('"a1"', "null") });
    const dry = await acct.cli(["migrate", "up", "--dry-run"]);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toBe(
      "up b2 (b2), dry run:\n  failed part-way: the real run would refuse it whole, writing none of it\n",
    );
    expect(dry.stderr).toMatch(
      /so none of the 4 change\(s\) it planned before this would be applied; nothing was written\n$/,
    );
  });

  it("a revision that fails before planning anything: said failed, not part-way", async () => {
    const up = `throw new Error("not ready");`;
    await writeMigrations(acct.tmp.path("migrations"), {
      "0001_c3.mjs": migrationSource({ revision: "c3", downRevision: null, up }),
    });
    const dry = await acct.cli(["migrate", "up", "--dry-run"]);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toBe("up c3 (c3), dry run:\n  failed: the real run would refuse it, writing none of it\n");
    expect(dry.stderr).toBe(
      "resonant: migrations/0001_c3.mjs: revision c3 up() threw: not ready; dry run: up c3 failed, and the real run would refuse it before writing any of it; nothing was written\n",
    );
  });
});
