/**
 * A FIFO named as an output that nothing reads yet. Opening it to write
 * blocks until a reader comes, and blocked in Node's thread pool it held the
 * process past Ctrl-C and SIGTERM (only SIGKILL ended it). The run now waits
 * for a reader without blocking: a signal ends it at once with its exit
 * code, and a reader that comes later gets the whole output. Real processes
 * against a real mock server on 127.0.0.1.
 */
import { execFileSync, spawn } from "node:child_process";
import { lstat } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { seededCli, startCli } from "./helpers.js";
import { migrationSource, writeMigrations } from "./migrate-helpers.js";

const { mock, tmp, close } = await seededCli({ agents: 5 });
afterAll(close);
const env = { RESONANT_BASE_URL: mock.baseURL, RESONANT_API_KEY: "rg_test_sk_demo" };

const started = (args: string[]) => startCli(args, { env, cwd: tmp.dir });

/** Resolves with `promise`, or rejects once `ms` have passed (the process would otherwise hang the test). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: still running after ${ms} ms`)), ms)),
  ]);
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a FIFO that nothing reads, as an output", { timeout: 60_000 }, () => {
  it.each([
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const)(
    "export --out FIFO: %s ends the waiting run at once (exit %i); the FIFO stays a FIFO",
    async (signal, code) => {
      const fifo = tmp.path(`wait-${signal}.fifo`);
      execFileSync("mkfifo", [fifo]);
      const run = started(["export", "--out", fifo]);
      // Long enough for the CLI to start and reach the open (through tsx: about a second).
      await settle(3000);
      run.child.kill(signal);
      try {
        expect(await within(run.ended, 10_000, `export after ${signal}`), run.stderr()).toBe(code);
      } finally {
        run.child.kill("SIGKILL");
      }
      expect((await lstat(fifo)).isFIFO()).toBe(true);
    },
  );

  it("export --out FIFO: a reader that comes later gets the whole archive", async () => {
    const fifo = tmp.path("late.fifo");
    execFileSync("mkfifo", [fifo]);
    const run = started(["export", "--out", fifo]);
    await settle(2000);
    const reader = spawn("cat", [fifo]);
    let received = "";
    reader.stdout.setEncoding("utf8").on("data", (d: string) => (received += d));
    const read = new Promise((resolve) => reader.on("close", resolve));
    try {
      expect(await within(run.ended, 30_000, "export with a late reader"), run.stderr()).toBe(0);
      await within(read, 10_000, "cat");
    } finally {
      run.child.kill("SIGKILL");
      reader.kill("SIGKILL");
    }
    const archive = JSON.parse(received) as { counts: Record<string, number>; checksum: string };
    expect(archive.counts.agents).toBe(5);
    expect(archive.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("migrate up --failures FIFO: Ctrl-C ends the waiting run (exit 130), nothing written", async () => {
    await writeMigrations(tmp.path("migrations"), {
      "0001_f1.mjs": migrationSource({
        revision: "f1",
        downRevision: null,
        up: `await ctx.update("agents", { set: { model: "fifo" } });`,
      }),
    });
    const fifo = tmp.path("failures.fifo");
    execFileSync("mkfifo", [fifo]);
    const run = started(["migrate", "up", "--yes", "--failures", fifo]);
    await settle(3000);
    run.child.kill("SIGINT");
    try {
      expect(await within(run.ended, 10_000, "migrate after SIGINT"), run.stderr()).toBe(130);
    } finally {
      run.child.kill("SIGKILL");
    }
    const agents = (await (
      await fetch(`${mock.baseURL}/v1.2/agents`, { headers: { authorization: `Bearer ${env.RESONANT_API_KEY}` } })
    ).json()) as {
      data: { model: string }[];
    };
    expect(agents.data.map((a) => a.model)).not.toContain("fifo");
  });
});
