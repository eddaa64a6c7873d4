/**
 * Interrupted imports: a kill -9 in the middle, a connection lost after any
 * batch (fast-check), and a 429 storm. Every batch is counted at the mock, so
 * "no batch re-sent" is checked where it matters: the mock carried out each
 * batch exactly once (a batch in flight at the crash comes back as an
 * idempotent replay, which changes nothing).
 */
import { readFile, stat } from "node:fs/promises";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { accountOn, DEMO_API_KEY, events, exportedAccount, spawnCli } from "./helpers.js";

const SEED = { agents: 600, memories: 350, webhooks: 2 };
const TOTAL = 952;

const { mock, tmp, cli, archive, close } = await exportedAccount(SEED, "big.json");
afterAll(() => close());

const accountOf = (key: string) => accountOn(mock, key);

/** Each batch the mock carried out, and how often. */
function timesCarriedOut(since: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of mock.imports().slice(since)) counts.set(s.batch!, (counts.get(s.batch!) ?? 0) + 1);
  return counts;
}

const sum = (kinds: { created: number }[], field: "created" | "read" | "skipped" | "failed" = "created") =>
  kinds.reduce((a, k) => a + (k as unknown as Record<string, number>)[field]!, 0);

describe("resume", () => {
  it("kill -9 in the middle, then --resume: exact final counts, no batch carried out twice, no key in the checkpoint", async () => {
    const key = mock.api.createAccount().key;
    const since = mock.imports().length;
    mock.api.faults.set({ latencyMs: 120, method: "POST", path: "**/import" });
    const child = spawnCli(["import", archive, "--batch-size", "50"], {
      cwd: tmp.dir,
      env: { RESONANT_BASE_URL: mock.baseURL, RESONANT_API_KEY: key },
    });
    child.stdout!.resume();
    child.stderr!.resume();
    const checkpointPath = `${archive}.checkpoint`;
    let checkpoint = "";
    for (let i = 0; i < 400; i++) {
      await new Promise((r) => setTimeout(r, 25));
      checkpoint = await readFile(checkpointPath, "utf8").catch(() => "");
      if (checkpoint && (JSON.parse(checkpoint) as { batches: number }).batches >= 5) break;
    }
    child.kill("SIGKILL");
    await new Promise((r) => child.once("close", r));
    mock.api.faults.reset();
    const state = JSON.parse(await readFile(checkpointPath, "utf8")) as {
      batches: number;
      acked: Record<string, number>;
    };
    expect(state.batches).toBeGreaterThanOrEqual(5);
    expect(state.batches).toBeLessThan(TOTAL / 50);
    expect(await readFile(checkpointPath, "utf8")).not.toContain(key);

    const run = await cli(["import", archive, "--batch-size", "50", "--resume", "--json"], {
      env: { RESONANT_API_KEY: key },
    });
    expect(run.code, run.stderr).toBe(0);
    const kinds = events(run.stdout).at(-1)!.kinds as { created: number; read: number }[];
    expect(sum(kinds, "read")).toBe(TOTAL);
    expect(sum(kinds, "created")).toBe(TOTAL);
    const carried = timesCarriedOut(since);
    expect(carried.size).toBe(Math.ceil(600 / 50) + Math.ceil(350 / 50) + 1);
    expect([...carried.values()].every((n) => n === 1)).toBe(true);
    await expect(stat(checkpointPath)).rejects.toThrow();
    expect(await accountOf(key)).toEqual(await accountOf(DEMO_API_KEY));
  });

  it("property: a connection lost after any batch, then --resume, gives the same account as an uninterrupted run", async () => {
    const batches = Math.ceil(600 / 100) + Math.ceil(350 / 100) + 1;
    const reference = await accountOf(DEMO_API_KEY);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: batches - 1 }),
        fc.constantFrom("before" as const, "after" as const),
        async (k, how) => {
          const key = mock.api.createAccount().key;
          const env = { RESONANT_API_KEY: key };
          const since = mock.imports().length;
          let calls = -1;
          mock.dropImport = () => (++calls === k ? how : undefined);
          const crashed = await cli(["import", archive, "--batch-size", "100", "--max-retries", "0"], { env });
          mock.dropImport = undefined;
          expect(crashed.code).toBe(1);
          expect(crashed.stderr).toMatch(/--resume/);
          const resumed = await cli(["import", archive, "--batch-size", "100", "--resume", "--json"], { env });
          expect(resumed.code, resumed.stderr).toBe(0);
          const kinds = events(resumed.stdout).at(-1)!.kinds as { created: number }[];
          expect(sum(kinds)).toBe(TOTAL);
          expect([...timesCarriedOut(since).values()].every((n) => n === 1)).toBe(true);
          expect(await accountOf(key)).toEqual(reference);
        },
      ),
      // The first batch lost before any answer always runs: the case the checkpoint written at the start exists for.
      { numRuns: 5, examples: [[0, "before"]] },
    );
  });

  it("a 429 storm: retried (printed as warnings, not failures), nothing lost or doubled", async () => {
    const key = mock.api.createAccount().key;
    const since = mock.imports().length;
    mock.api.faults.once({ status: 429, retryAfter: 1, method: "POST", path: "**/import", times: 3 });
    mock.api.faults.once({ status: 503, retryAfter: 1, path: "**/data/export", times: 1 });
    const run = await cli(["import", archive], { env: { RESONANT_API_KEY: key } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^warning: retrying POST \S*import in 1 s \(retry 1 of 6\): 429 Too Many Requests$/m);
    expect(run.stdout).toMatch(/^total\s+952\s+952\s+0\s+0$/m);
    expect([...timesCarriedOut(since).values()].every((n) => n === 1)).toBe(true);
    const copy = await cli(["copy", "--to-key", mock.api.createAccount().key, "--quiet"]);
    expect(copy.code, copy.stderr).toBe(0);
    expect(copy.stdout).toBe("");
    expect(copy.stderr).toMatch(
      /^warning: retrying GET data\/export in 1 s \(retry 1 of 6\): 503 Service Unavailable$/m,
    );
  });
});
