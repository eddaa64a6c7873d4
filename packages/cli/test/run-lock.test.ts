/**
 * One run at a time per checkpoint (src/fs/run-lock.ts), as real processes: a second import of the
 * same archive, or a second copy on the same checkpoint, is refused while the first runs; the lock goes when a run ends, however it ends; a
 * lock left by a process that is gone is taken over; anything else at the lock's name is refused.
 */
import { spawnSync } from "node:child_process";
import { access, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_API_KEY, exportedAccount, spawnCli, startCli } from "./helpers.js";

const { cli, tmp, archive, close, mock } = await exportedAccount({ agents: 40 }, "locked.json");
const baseURL = mock.baseURL;
afterAll(async () => close());

const lock = () => `${archive}.checkpoint.lock`;
const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );
/** An import paced to one record per batch at `rate` a second, so it runs for seconds; and how it ends. */
function slowImport(rate: number) {
  const env = { RESONANT_BASE_URL: baseURL, RESONANT_API_KEY: DEMO_API_KEY };
  const args = ["import", archive, "--on-conflict", "overwrite", "--batch-size", "1", "--rate", String(rate)];
  return startCli(args, { env, cwd: tmp.dir });
}

/** A pid no process has: one that just ended. */
const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid!;

describe("the checkpoint's lock", () => {
  it("refuses a second run on the same checkpoint, naming the first; the first ends whole and leaves no lock", async () => {
    const first = slowImport(10);
    while (!(await exists(lock()))) await new Promise((r) => setTimeout(r, 20));

    const second = await cli(["import", archive]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      `${archive}.checkpoint is in use by another resonant run (pid ${first.child.pid} on `,
    );
    expect(await exists(lock())).toBe(true); // the refused run took nothing away

    expect(await first.ended, first.stderr()).toBe(0);
    expect(await exists(lock())).toBe(false);
    expect(await exists(`${archive}.checkpoint`)).toBe(false);
  }, 60_000);

  it("holds for copy too: a second copy on the same checkpoint is refused, saying what to do, while the first runs", async () => {
    const env = {
      RESONANT_BASE_URL: baseURL,
      RESONANT_API_KEY: DEMO_API_KEY,
      RESONANT_TO_API_KEY: mock.api.createAccount().key,
    };
    const first = spawnCli(["copy", "--batch-size", "1", "--rate", "10"], { env, cwd: tmp.dir });
    first.stdin!.end();
    first.stdout!.resume();
    let stderr = "";
    first.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const ended = new Promise<number | null>((resolve) => first.on("close", resolve));
    const copyLock = tmp.path("resonant-copy.checkpoint.lock");
    // The checkpoint is written just before the first batch, the lock before anything.
    while (!(await exists(tmp.path("resonant-copy.checkpoint")))) await new Promise((r) => setTimeout(r, 20));
    expect(await exists(copyLock)).toBe(true);

    const second = await cli(["copy"], { env: { RESONANT_TO_API_KEY: mock.api.createAccount().key } });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      `resonant: resonant-copy.checkpoint is in use by another resonant run (pid ${first.pid} on ${hostname()}, since `,
    );
    expect(second.stderr).toContain("): wait for it to end; if it is gone, remove resonant-copy.checkpoint.lock\n");
    expect(await exists(copyLock)).toBe(true); // the refused run took nothing away

    expect(await ended, stderr).toBe(0);
    expect(await exists(copyLock)).toBe(false);
  }, 60_000);

  it("goes with a run that fails, and with one interrupted by Ctrl-C (whose checkpoint stays for --resume)", async () => {
    const refused = await cli(["import", archive], { env: { RESONANT_API_KEY: "rg_test_sk_nobody" } });
    expect(refused.code).toBe(1);
    expect(await exists(lock())).toBe(false);
    // Its key refused at the first batch, the target took nothing: no checkpoint either.
    expect(await exists(`${archive}.checkpoint`)).toBe(false);

    const run = slowImport(5);
    // Under way: the lock taken, the checkpoint written (before the first batch), a batch or two sent.
    while (!(await exists(`${archive}.checkpoint`))) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    run.child.kill("SIGINT");
    expect(await run.ended, run.stderr()).toBe(130);
    expect(await exists(lock())).toBe(false);
    expect(await exists(`${archive}.checkpoint`)).toBe(true);
    const resumed = await cli(["import", archive, "--on-conflict", "overwrite", "--resume"]);
    expect(resumed.code, resumed.stderr).toBe(0);
  }, 60_000);

  it("is taken over from a run that is gone (kill -9, a power cut), with a warning", async () => {
    const pid = deadPid();
    await writeFile(lock(), JSON.stringify({ pid, host: hostname(), started: "2026-01-01T00:00:00.000Z" }));
    const run = await cli(["import", archive]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`warning: ${lock()}: taken over from a run that is gone (pid ${pid}`);
    expect(await exists(lock())).toBe(false);
  });

  it("is taken over by one run alone when two find it stale at once, however slow the removal", async () => {
    const pid = deadPid();
    await writeFile(lock(), JSON.stringify({ pid, host: hostname(), started: "2026-01-01T00:00:00.000Z" }));
    // Two runs that read the stale lock together; removing it waits 200 ms, so the faster one's new lock is
    // there by the time the slower one removes "the stale lock" (both then ran, each saying it took it over).
    const slow = fileURLToPath(new URL("./fixtures/slow-lock-removal.mjs", import.meta.url));
    const env = { RESONANT_BASE_URL: baseURL, RESONANT_API_KEY: DEMO_API_KEY, NODE_OPTIONS: `--import ${slow}` };
    const args = ["import", archive, "--on-conflict", "overwrite", "--batch-size", "1", "--rate", "20"];
    const runs = [startCli(args, { env, cwd: tmp.dir }), startCli(args, { env, cwd: tmp.dir })];
    const codes = await Promise.all(runs.map((run) => run.ended));
    expect([...codes].sort(), runs.map((run) => run.stderr()).join("\n---\n")).toEqual([0, 1]);
    const [ran, refused] = codes[0] === 0 ? runs : [runs[1]!, runs[0]!];
    expect(ran!.stderr()).toContain(`warning: ${lock()}: taken over from a run that is gone (pid ${pid}`);
    expect(refused!.stderr()).toContain("is in use by another resonant run");
    expect(refused!.stderr()).not.toContain("taken over");
    expect(await exists(lock())).toBe(false);
  }, 60_000);

  it("read in the instant before its run has written it, is read again: the run is named, not called a stranger", async () => {
    await writeFile(lock(), "");
    const late = fileURLToPath(new URL("./fixtures/lock-written-late.mjs", import.meta.url));
    const owner = JSON.stringify({ pid: process.pid, host: hostname(), started: "2026-12-07T00:00:00.000Z" });
    const run = await cli(["import", archive], { env: { NODE_OPTIONS: `--import ${late}`, LOCK_OWNER: owner } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`is in use by another resonant run (pid ${process.pid} on `);
    await rm(lock());
  });

  it("is not taken from another host's run, nor is anything else at its name followed or removed", async () => {
    await writeFile(
      lock(),
      JSON.stringify({ pid: deadPid(), host: `not-${hostname()}`, started: "2026-01-01T00:00:00Z" }),
    );
    const other = await cli(["import", archive]);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/is in use by another resonant run \(pid \d+ on not-/);

    const victim = tmp.path("victim.txt");
    await writeFile(victim, "precious");
    await rm(lock());
    await symlink(victim, lock());
    const planted = await cli(["import", archive]);
    expect(planted.code).toBe(1);
    expect(planted.stderr).toContain(`${lock()} exists and is not a lock resonant made`);
    expect(await readFile(victim, "utf8")).toBe("precious");
  });
});
