/**
 * The dry runs of `import` and `copy` against an account whose export sends one object twice (see sends-twice.ts).
 * The target's: the plan's index kept whichever copy came last, so its skip or overwrite stood on either, and a
 * page that moved may have left an object out, planned as new; the dry runs now stop (exit 1) as verify and restore
 * do, with their words. The source's (copy): the real run sends both and the target takes the second as a conflict
 * with the first, but the plan counted both against the target as it was (two creates of one object, or two
 * overwrites); it now counts the second as the run will take it, under the copy's warning. Run as real processes.
 */
import { DEMO_API_KEY } from "@resonantgenesis/mock";
import { describe, expect, it } from "vitest";
import { accountOn, cliFor, warningless } from "./helpers.js";
import { useServerSendingTwice } from "./sends-twice.js";

const server = useServerSendingTwice();

const refusal = () =>
  `resonant: the target account's export sends agents "${server.repeated}" twice in its kind: what it holds cannot be told from that answer (a plan would stand on whichever copy came last, and an object a moving page left out would look new), so resonant neither compares nor changes anything. Run it again (a live account's export pages can move under a run); if it comes again, the server sends that object twice\n`;

/** The agents row of a table as printed: a plan's read, create, skip, overwrite, conflict; a run's read, created, skipped, failed. */
const agentsRow = (stdout: string): number[] | undefined =>
  /^agents((?: +\d+)+)$/m.exec(stdout)?.[1]?.trim().split(/ +/).map(Number);

describe.each(["1.2", "1.1"] as const)("API %s: a target whose export sends an object twice", (version) => {
  const v = ["--api-version", version, "--max-retries", "0"];
  /** An account of agents alone (all a 1.1 account can import), and the CLI whose source it is. */
  const agentsAlone = () => {
    const { key } = server.api.createAccount();
    server.api.seed({ agents: 2 }, { key });
    return { key, cli: cliFor(server.mock, key, server.tmp.dir) };
  };

  it("stops import --dry-run (exit 1), naming the kind and id", { timeout: 60_000 }, async () => {
    const source = agentsAlone();
    const backup = `plan-${version}.json`;
    const exported = await source.cli([...v, "export", "--out", backup]);
    expect(exported.code, exported.stderr).toBe(0);
    server.sendOnce();
    const before = await accountOn(server.mock, DEMO_API_KEY);

    server.sendTwice(version);
    const cli = cliFor(server.mock, DEMO_API_KEY, server.tmp.dir);
    for (const onConflict of ["skip", "overwrite", "fail"]) {
      const plan = await cli([...v, "import", backup, "--dry-run", "--on-conflict", onConflict]);
      expect(plan.code, `${onConflict}: ${plan.stdout}${plan.stderr}`).toBe(1);
      expect(warningless(plan.stderr)).toBe(refusal());
      expect(plan.stdout).not.toContain("plan (dry run");
    }
    server.sendOnce();
    expect(await accountOn(server.mock, DEMO_API_KEY)).toEqual(before);
  });

  it("stops copy --dry-run (exit 1), naming the kind and id", { timeout: 60_000 }, async () => {
    const source = agentsAlone();
    server.sendOnce();
    const before = await accountOn(server.mock, DEMO_API_KEY);

    server.sendTwice(version);
    const to = ["--to-key", DEMO_API_KEY, "--to-api-version", version];
    const plan = await source.cli([...v, "copy", ...to, "--dry-run"]);
    expect(plan.code, plan.stdout + plan.stderr).toBe(1);
    expect(warningless(plan.stderr)).toBe(refusal());
    expect(plan.stdout).not.toContain("plan (dry run");
    server.sendOnce();
    expect(await accountOn(server.mock, DEMO_API_KEY)).toEqual(before);
  });
});

describe("copy --dry-run from a source whose export sends an object twice", { timeout: 60_000 }, () => {
  const v = ["--max-retries", "0"];
  const kept = {
    skip: "--on-conflict skip keeps the first in the target (the second counts as skipped)",
    overwrite: "--on-conflict overwrite keeps the second in the target",
    fail: "--on-conflict fail refuses the second (logged as failed, exit 2)",
  };
  const warning = (onConflict: keyof typeof kept) =>
    `warning: the source's export sends agents "${server.repeated}" twice in its kind (its export pages may have moved under the run, or the server sends it twice): the copy sends both, and ${kept[onConflict]}\n`;

  it("counts the second as the real run takes it: the first is created, and the second skipped, written over it or refused", async () => {
    const cli = cliFor(server.mock, DEMO_API_KEY, server.tmp.dir);
    server.sendTwice("1.2");
    // The plan's read, create, skip, overwrite, conflict; the run's read, created (or overwrote), skipped, failed.
    const expected = {
      skip: { plan: [4, 3, 1, 0, 0], run: [4, 3, 1, 0], code: 0 },
      overwrite: { plan: [4, 3, 0, 1, 0], run: [4, 4, 0, 0], code: 0 },
      fail: { plan: [4, 3, 0, 0, 1], run: [4, 3, 0, 1], code: 2 },
    };
    for (const onConflict of ["skip", "overwrite", "fail"] as const) {
      const target = server.api.createAccount().key;
      const to = ["--to-key", target, "--on-conflict", onConflict];
      const plan = await cli([...v, "copy", ...to, "--dry-run"]);
      expect(plan.code, plan.stderr).toBe(3);
      expect(plan.stderr).toBe(warning(onConflict));
      expect(agentsRow(plan.stdout), plan.stdout).toEqual(expected[onConflict].plan);
      expect(await accountOn(server.mock, target)).toMatchObject({ agents: [] });
      const run = await cli([...v, "copy", ...to, "--checkpoint", `${onConflict}.checkpoint`]);
      expect(run.code, run.stderr).toBe(expected[onConflict].code);
      expect(agentsRow(run.stdout), run.stdout).toEqual(expected[onConflict].run);
    }
  });

  it("counts one overwrite where the target holds the object changed: the second is the same as the first", async () => {
    const cli = cliFor(server.mock, DEMO_API_KEY, server.tmp.dir);
    server.sendTwice("1.2");
    const target = server.api.createAccount().key;
    const copied = await cli([...v, "copy", "--to-key", target, "--checkpoint", "changed.checkpoint"]);
    expect(copied.code, copied.stderr).toBe(0);
    const renamed = await fetch(`${server.mock.baseURL}/v1.2/agents/${server.repeated}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${target}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "renamed in the target" }),
    });
    expect(renamed.status).toBe(200);
    const plan = await cli([...v, "copy", "--to-key", target, "--dry-run", "--on-conflict", "overwrite"]);
    expect(plan.code, plan.stderr).toBe(3);
    expect(plan.stderr).toBe(warning("overwrite"));
    expect(agentsRow(plan.stdout), plan.stdout).toEqual([4, 0, 3, 1, 0]);
  });
});
