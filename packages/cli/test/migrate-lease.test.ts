/**
 * Who may take over a lease, and what a run cut after its plan looks like to
 * `history`, `current` and a `--resume` under another API version. A lease
 * whose holder may still run is never taken over (`--resume` or not): two
 * runners carrying out one journal send its writes twice. One whose process
 * is gone from this host (kill -9) is taken over at once; Ctrl-C and SIGTERM
 * give it back.
 */
import { hostname } from "node:os";
import { ResonantClient } from "@resonantgenesis/sdk";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cliFor, spawnCli, startCountingMock, tempDir, type CountingMock } from "./helpers.js";
import { ledgerOf, leasesOf, migrationSource, MODEL_RENAME, writeMigrations } from "./migrate-helpers.js";

let mock: CountingMock;
beforeAll(async () => {
  mock = await startCountingMock();
});
afterAll(() => mock.close());

const LEASE_TAG = "resonant:migrate:lease";
const patches = () => mock.seen.filter((s) => s.method === "PATCH").length;

// Each test's folder, removed after it.
const removals: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const remove of removals.splice(0)) await remove();
});

async function account(migration = MODEL_RENAME) {
  const { key } = mock.api.createAccount();
  mock.api.seed({ agents: 10 }, { key });
  const tmp = await tempDir();
  removals.push(tmp.remove);
  await writeMigrations(tmp.path("migrations"), { "0001_a1.mjs": migration });
  return { key, tmp, cli: cliFor(mock, key, tmp.dir) };
}

/** Starts `migrate up` and sends it `signal` at the first request `when` picks; answers once it has exited. */
async function cut(
  key: string,
  dir: string,
  signal: NodeJS.Signals,
  when: (s: CountingMock["seen"][number]) => boolean,
) {
  const child = spawnCli(["migrate", "up", "--yes", "--no-backup", "--concurrency", "1"], {
    cwd: dir,
    env: { RESONANT_BASE_URL: mock.baseURL, RESONANT_API_KEY: key },
  });
  child.stdout!.resume();
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  let sent = false;
  // The index in mock.seen of the request the signal was sent at.
  let at = -1;
  mock.onRequest = (s) => {
    if (!sent && when(s)) {
      sent = true;
      at = mock.seen.length - 1;
      child.kill(signal);
    }
  };
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  mock.onRequest = undefined;
  return { code, stderr, at };
}

/** Starts `migrate up` in `dir` and answers once its first write is held: `release` lets it go on, `done` is its end. */
async function holdingFirstWrite(key: string, dir: string) {
  const env = { RESONANT_BASE_URL: mock.baseURL, RESONANT_API_KEY: key };
  const first = spawnCli(["migrate", "up", "--yes", "--no-backup", "--concurrency", "1"], { cwd: dir, env });
  first.stdout!.resume();
  first.stderr!.resume();
  const done = new Promise((resolve) => first.on("close", resolve));
  let release!: () => void;
  await new Promise<void>((writing) => {
    mock.onRequest = (s) => {
      if (s.method !== "PATCH") return;
      mock.onRequest = undefined;
      writing();
      return new Promise<void>((r) => (release = r));
    };
  });
  return { release: () => release(), done };
}

/** The lease left by a killed run made to look held by a live process of this host (this test's own). */
async function keepAlive(key: string): Promise<string> {
  const client = new ResonantClient({ apiKey: key, baseURL: mock.baseURL, logLevel: "off" });
  for await (const m of client.memories.list({ tag: LEASE_TAG, limit: 100 })) {
    const holder = JSON.parse(m.content) as { run: string };
    await client.memories.create({
      content: JSON.stringify({ ...holder, host: hostname(), pid: process.pid }),
      tags: [LEASE_TAG],
    });
    await client.memories.delete(m.id);
    return holder.run;
  }
  throw new Error("the killed run left no lease");
}

async function dropLeases(key: string): Promise<void> {
  const client = new ResonantClient({ apiKey: key, baseURL: mock.baseURL, logLevel: "off" });
  for await (const m of client.memories.list({ tag: LEASE_TAG, limit: 100 })) await client.memories.delete(m.id);
}

describe("a run cut after its plan", { timeout: 120_000 }, () => {
  it("--resume while its run may still be alive is refused, naming the holder; once it is gone, it carries on", async () => {
    const { key, tmp, cli } = await account();
    expect((await cut(key, tmp.dir, "SIGKILL", (s) => s.method === "PATCH")).code).toBe(null);
    const run = await keepAlive(key);
    const p0 = patches();
    const refused = await cli(["migrate", "up", "--resume", "--yes"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(`another migration holds the account: run ${run} \\(migrate up, .* pid ${process.pid}\\)`),
    );
    expect(refused.stderr).toMatch(/Nothing was written: wait for it to end/);
    expect(refused.stderr).not.toMatch(/carrying on/);
    expect(patches()).toBe(p0);
    // The holder ends (here: its lease goes): the resume carries on.
    await dropLeases(key);
    const resumed = await cli(["migrate", "up", "--resume", "--yes"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(await ledgerOf(mock, key)).toEqual([{ revision: "a1", state: "applied", direction: "up" }]);
  });

  it("history and current say it was interrupted (plain and --json); its dead lease is taken over by --resume", async () => {
    const { key, tmp, cli } = await account();
    expect((await cut(key, tmp.dir, "SIGKILL", (s) => s.method === "PATCH")).code).toBe(null);
    const history = await cli(["--json", "migrate", "history"]);
    expect(history.code, history.stderr).toBe(0);
    const summary = JSON.parse(history.stdout.trim().split("\n").at(-1)!) as {
      revisions: { revision: string; state: string; interrupted: { direction: string } | null }[];
    };
    expect(summary.revisions[0]).toMatchObject({ revision: "a1", state: "interrupted" });
    expect(summary.revisions[0]!.interrupted).toMatchObject({ direction: "up" });
    const table = await cli(["migrate", "history"]);
    expect(table.stdout).toMatch(/a1 +interrupted .*\(run `resonant migrate up --resume`\)/);
    const current = await cli(["migrate", "current"]);
    expect(current.stdout).toMatch(/migrate up a1 was interrupted: run `resonant migrate up --resume`/);
    // The dead run's lease (this host, its pid gone) is taken over at once.
    const resumed = await cli(["migrate", "up", "--resume", "--yes"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/took over the lease of run \w+ \(migrate up, .*\): that process is gone/);
    expect((await cli(["migrate", "history"])).stdout).toMatch(/a1 +applied/);
  });

  it("--resume under another API version than its journal's is refused before any write", async () => {
    const { key, tmp, cli } = await account();
    expect((await cut(key, tmp.dir, "SIGKILL", (s) => s.method === "PATCH")).code).toBe(null);
    const p0 = patches();
    const other = await cli(["--api-version", "1.1", "migrate", "up", "--resume", "--yes"]);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(
      /a1\.up\.ndjson was planned with API 1\.2, this run uses 1\.1: resume it with --api-version 1\.2; nothing was written/,
    );
    expect(patches()).toBe(p0);
    expect(await ledgerOf(mock, key)).toEqual([]);
  });
});

describe("Ctrl-C and SIGTERM give the lease back", { timeout: 120_000 }, () => {
  it("while planning: exit 130, the lease deleted, so the next up need take nothing over", async () => {
    // up() waits, so the interrupt lands while planning, the lease held.
    const { key, tmp, cli } = await account(
      migrationSource({
        revision: "a1",
        downRevision: null,
        up: `await new Promise((r) => setTimeout(r, 60_000));`,
      }),
    );
    let leased = false;
    const { code, stderr } = await cut(key, tmp.dir, "SIGINT", (s) => {
      if (s.method === "POST" && s.path.endsWith("/memories")) leased = true;
      return leased && s.method === "GET" && s.path.includes("/memories");
    });
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted \(SIGINT\); .*the lease was given back/);
    expect(await leasesOf(mock, key)).toBe(0);
    await writeMigrations(tmp.path("migrations"), { "0001_a1.mjs": MODEL_RENAME });
    const again = await cli(["migrate", "up", "--yes", "--no-backup"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/took over/);
    expect(await ledgerOf(mock, key)).toEqual([{ revision: "a1", state: "applied", direction: "up" }]);
    expect(await leasesOf(mock, key)).toBe(0);
  });

  it("while writing: exit 143, no write after the signal but the lease's delete, and --resume carries on", async () => {
    const { key, tmp, cli } = await account();
    const from = mock.seen.length;
    const { code, stderr, at } = await cut(key, tmp.dir, "SIGTERM", (s) => s.method === "PATCH");
    expect(code).toBe(143);
    expect(stderr).toMatch(
      /interrupted \(SIGTERM\); carry on with `resonant migrate up --resume`; the lease was given back/,
    );
    const after = mock.seen.slice(at + 1);
    // A PATCH already on its way when the signal came may land; nothing else but the lease's delete goes out.
    expect(after.filter((s) => s.method === "PATCH").length).toBeLessThanOrEqual(1);
    expect(after.filter((s) => s.method !== "PATCH").map((s) => s.method)).toEqual(["DELETE"]);
    expect(await leasesOf(mock, key)).toBe(0);
    expect(await ledgerOf(mock, key)).toEqual([]);
    const resumed = await cli(["migrate", "up", "--resume", "--yes"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).not.toMatch(/took over/);
    expect(mock.seen.slice(from).filter((s) => s.method === "PATCH" && s.status === 200).length).toBe(10);
    expect(await ledgerOf(mock, key)).toEqual([{ revision: "a1", state: "applied", direction: "up" }]);
  });

  // The answer held back here once met a garbage collection that cancelled its body in the mock (a 500 from the
  // loopback server); the mock's packages/mock/test/answer-gc.test.ts forces that case.
  it("with a ledger record on its way: the lease goes only once it has landed, and the run is over", async () => {
    const { key, tmp, cli } = await account();
    const child = spawnCli(["migrate", "up", "--yes", "--no-backup"], {
      cwd: tmp.dir,
      env: { RESONANT_BASE_URL: mock.baseURL, RESONANT_API_KEY: key },
    });
    child.stdout!.resume();
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    let written = 0;
    let landed = 0;
    let deleted = 0;
    mock.onRequest = async (s) => {
      if (s.method === "PATCH") written++;
      if (s.method === "DELETE") deleted = performance.now();
      // The ledger's record (every write done): the signal comes while its answer is still on its way.
      if (s.method === "POST" && s.path.endsWith("/memories") && written === 10 && landed === 0) {
        child.kill("SIGTERM");
        await new Promise((r) => setTimeout(r, 500));
        landed = performance.now();
      }
    };
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    mock.onRequest = undefined;
    expect(code, stderr).toBe(143);
    expect(stderr).toContain("the lease was given back");
    expect(landed).toBeGreaterThan(0);
    expect(deleted).toBeGreaterThanOrEqual(landed);
    expect(await leasesOf(mock, key)).toBe(0);
    expect(await ledgerOf(mock, key)).toEqual([{ revision: "a1", state: "applied", direction: "up" }]);
    // The ledger has the run's outcome: it is over, not interrupted.
    expect((await cli(["migrate", "history"])).stdout).toMatch(/a1 +applied/);
    const again = await cli(["migrate", "up", "--yes"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("nothing to do: the account is at a1");
  });
});

describe("a run that waited for the ledger while another held the lease", { timeout: 120_000 }, () => {
  it("decides what to run from the ledger as it is once the lease is its own: nothing twice, the first run's journal kept", async () => {
    const { key, tmp, cli } = await account();
    const env = { RESONANT_BASE_URL: mock.baseURL, RESONANT_API_KEY: key };
    const first = spawnCli(["migrate", "up", "--yes", "--no-backup", "--concurrency", "1"], { cwd: tmp.dir, env });
    first.stdout!.resume();
    first.stderr!.resume();
    const firstDone = new Promise((resolve) => first.on("close", resolve));
    let second: ReturnType<typeof spawnCli> | undefined;
    let releaseFirst!: () => void;
    let releaseSecond!: () => void;
    const secondRead = new Promise<void>((resolve) => {
      mock.onRequest = (s) => {
        // The first run holds the lease and writes; its first write waits until the second has read the ledger.
        if (!second && s.method === "PATCH") {
          second = spawnCli(["migrate", "up", "--yes", "--no-backup"], { cwd: tmp.dir, env });
          return new Promise<void>((r) => (releaseFirst = r));
        }
        // The second run's ledger read answers a1 pending; its answer waits until the first run has ended.
        if (second && s.method === "GET" && s.path.endsWith("/memories")) {
          mock.onRequest = undefined;
          resolve();
          return new Promise<void>((r) => (releaseSecond = r));
        }
      };
    });
    await secondRead;
    releaseFirst();
    await firstDone;
    let out = "";
    second!.stdout!.setEncoding("utf8").on("data", (d: string) => (out += d));
    second!.stderr!.setEncoding("utf8").on("data", (d: string) => (out += d));
    const secondDone = new Promise<number | null>((resolve) => second!.on("close", resolve));
    releaseSecond();
    expect(await secondDone, out).toBe(0);
    expect(out).toContain("nothing to do: the account is at a1");
    expect(await ledgerOf(mock, key)).toEqual([{ revision: "a1", state: "applied", direction: "up" }]);
    // The first run's journal is the one down reverses: every agent back on its model.
    const down = await cli(["migrate", "down", "--yes", "--no-backup"]);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toMatch(/update 10 agents/);
  });
});

describe("a run started while another writes", { timeout: 120_000 }, () => {
  it("is told who holds the account, not to --resume the live run's journal", async () => {
    const { key, tmp, cli } = await account();
    // The first run's journal is open (planned, no end) while its first write waits.
    const first = await holdingFirstWrite(key, tmp.dir);
    try {
      // Not to resume (up), nor to resume the other direction first (down --resume).
      for (const args of [["up"], ["down", "--resume"]]) {
        const second = await cli(["migrate", ...args, "--yes"]);
        expect(second.code, second.stderr).toBe(1);
        expect(second.stderr).toMatch(/another migration holds the account: run \w+ \(migrate up, .* pid \d+\)/);
        expect(second.stderr).not.toMatch(/was interrupted|took over/);
      }
    } finally {
      first.release();
    }
    await first.done;
    expect(await ledgerOf(mock, key)).toEqual([{ revision: "a1", state: "applied", direction: "up" }]);
  });
});

describe("a lease under a server clock behind this host's", { timeout: 120_000 }, () => {
  it("is not taken for expired while its run writes: expiry is measured on the server's clock", async () => {
    const { key, tmp } = await account();
    // A second checkout of the same migrations: its run does not see the first one's journal.
    const other = await tempDir();
    removals.push(other.remove);
    await writeMigrations(other.path("migrations"), { "0001_a1.mjs": MODEL_RENAME });
    mock.api.clock.advance(-10 * 60_000);
    try {
      // The first run holds the lease and is writing: its first write waits until the second run has ended.
      const first = await holdingFirstWrite(key, tmp.dir);
      const second = await cliFor(mock, key, other.dir)(["migrate", "up", "--yes", "--no-backup"]);
      first.release();
      await first.done;
      expect(second.code, second.stderr).toBe(1);
      expect(second.stderr).toMatch(/another migration holds the account: run \w+ \(migrate up/);
      expect(second.stderr).not.toMatch(/took over/);
      expect(await ledgerOf(mock, key)).toEqual([{ revision: "a1", state: "applied", direction: "up" }]);
    } finally {
      mock.onRequest = undefined;
      mock.api.clock.advance(10 * 60_000);
    }
  });
});

describe("a run killed after writing one object twice", { timeout: 120_000 }, () => {
  it("is carried on by --resume with no false conflict, and down then undoes every write", async () => {
    const twice = migrationSource({
      revision: "a1",
      downRevision: null,
      up: `await ctx.update("agents", { where: () => true, set: { "metadata.x": "1" } });
        await ctx.update("agents", { where: () => true, set: { "metadata.y": "2" } });`,
    });
    const { key, tmp, cli } = await account(twice);
    // Killed once every agent has its x and half have their y: the journal's done lines, still in memory, are lost.
    let writes = 0;
    expect((await cut(key, tmp.dir, "SIGKILL", (s) => s.method === "PATCH" && ++writes === 15)).code).toBe(null);
    const resumed = await cli(["migrate", "up", "--resume", "--yes", "--no-backup"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).not.toMatch(/changed by someone else/);
    const client = new ResonantClient({ apiKey: key, baseURL: mock.baseURL, logLevel: "off" });
    const metadata = async () => (await client.agents.list({ limit: 100 })).data.map((a) => a.metadata);
    for (const m of await metadata()) expect(m).toMatchObject({ x: "1", y: "2" });
    const down = await cli(["migrate", "down", "--yes", "--no-backup"]);
    expect(down.code, down.stderr).toBe(0);
    for (const m of await metadata()) expect(Object.keys(m as object)).not.toContain("x");
  });
});

describe("a lease of this host", { timeout: 120_000 }, () => {
  it("is not taken over once expired while its process still runs (a run stopped with Ctrl-Z, a laptop asleep)", async () => {
    const { key, cli } = await account();
    const client = new ResonantClient({ apiKey: key, baseURL: mock.baseURL, logLevel: "off" });
    const holder = { type: "resonant.migration.lease", run: "r-stopped", host: hostname(), pid: process.pid };
    // Made ten minutes ago by the server's clock, with a life of one second: long expired, its process alive.
    mock.api.clock.advance(-10 * 60_000);
    try {
      const content = JSON.stringify({ ...holder, command: "migrate up", ttl_ms: 1000 });
      await client.memories.create({ content, tags: [LEASE_TAG] });
    } finally {
      mock.api.clock.advance(10 * 60_000);
    }
    const p0 = patches();
    const run = await cli(["migrate", "up", "--yes", "--no-backup"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/another migration holds the account: run r-stopped \(migrate up, /);
    expect(run.stderr).not.toMatch(/took over/);
    expect(patches()).toBe(p0);
    await dropLeases(key);
  });
});

describe("a run that ends while its lease is being renewed", { timeout: 120_000 }, () => {
  it("leaves no lease behind: the renewal's new lease is given back too", async () => {
    const { key, tmp } = await account();
    // Renewed each second, and the writes last longer than that.
    mock.api.faults.set({ method: "PATCH", latencyMs: 150 });
    let posts = 0;
    let renewal: (() => void) | undefined;
    // The renewal (the second memory created) is answered only well after the ledger's record (the third), by when
    // the run is giving its lease back.
    mock.onRequest = (s) => {
      if (s.method !== "POST" || !s.path.endsWith("/memories")) return;
      if (++posts === 2) return new Promise<void>((r) => (renewal = r));
      if (posts === 3) setTimeout(() => renewal?.(), 300);
    };
    try {
      const run = await cliFor(
        mock,
        key,
        tmp.dir,
      )(["migrate", "up", "--yes", "--no-backup", "--concurrency", "1"], {
        env: { RESONANT_MIGRATE_LEASE_TTL_MS: "3000" },
      });
      expect(run.code, run.stderr).toBe(0);
      expect(await ledgerOf(mock, key)).toEqual([{ revision: "a1", state: "applied", direction: "up" }]);
      expect(await leasesOf(mock, key)).toBe(0);
    } finally {
      mock.onRequest = undefined;
      mock.api.faults.reset();
      renewal?.();
    }
  });
});
