/**
 * Kill `resonant migrate up` at a random request (SIGKILL), run it again
 * with --resume: the account and the ledger end exactly as an uninterrupted
 * run leaves them, and no object is written twice or skipped.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, events, spawnCli, startCountingMock, tempDir, type CountingMock } from "./helpers.js";
import {
  ledgerOf,
  leasesOf,
  migrationSource,
  MODEL_RENAME,
  snapshot,
  TIER_DEFAULT,
  writeMigrations,
} from "./migrate-helpers.js";

let mock: CountingMock;
beforeAll(async () => {
  mock = await startCountingMock();
});
afterAll(() => mock.close());

/** What an uninterrupted run of a1 (model rename) then b2 (metadata.tier) leaves, from the account before it. */
function expected(before: Record<string, Record<string, unknown>[]>) {
  return {
    ...before,
    agents: before.agents!.map((a) => ({
      ...a,
      model: a.model === "gpt-4-turbo" ? "gpt-4.1" : a.model,
      metadata: { ...(a.metadata as object), tier: (a.metadata as Record<string, string>).tier ?? "standard" },
    })),
  };
}

/** PATCHes the mock carried out per agent since `from`. */
function patchesPerAgent(from: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of mock.seen.slice(from))
    if (s.method === "PATCH" && s.status === 200)
      out.set(s.path.split("/").at(-1)!, (out.get(s.path.split("/").at(-1)!) ?? 0) + 1);
  return out;
}

async function account() {
  const { key } = mock.api.createAccount();
  mock.api.seed({ agents: 10, teams: 1 }, { key });
  const tmp = await tempDir();
  await writeMigrations(tmp.path("migrations"), { "0001_a1.mjs": MODEL_RENAME, "0002_b2.mjs": TIER_DEFAULT });
  return { key, tmp, cli: cliFor(mock, key, tmp.dir) };
}

const ARGS = ["--json", "migrate", "up", "--yes", "--concurrency", "3"];

describe("kill and resume", { timeout: 180_000 }, () => {
  it("ends as an uninterrupted run, writing nothing twice and skipping nothing", async () => {
    // An uninterrupted run first: how many requests it makes bounds where to cut.
    const ref = await account();
    const from = mock.seen.length;
    const whole = await ref.cli(ARGS);
    expect(whole.code, whole.stderr).toBe(0);
    const requests = mock.seen.length - from;
    // Cuts among each revision's PATCHes are always tried (the rest of a run is reads and the ledger).
    const patchAt = mock.seen.slice(from).flatMap((s, i) => (s.method === "PATCH" ? [i + 1] : []));
    expect(patchAt).toHaveLength(20);
    await ref.tmp.remove();

    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: requests }), async (cutAt) => {
        const { key, tmp, cli } = await account();
        try {
          const before = await snapshot(mock, key);
          const start = mock.seen.length;
          const child = spawnCli(ARGS, {
            cwd: tmp.dir,
            env: { RESONANT_BASE_URL: mock.baseURL, RESONANT_API_KEY: key },
          });
          child.stdout!.resume();
          child.stderr!.resume();
          let n = 0;
          mock.onRequest = () => {
            if (++n === cutAt) child.kill("SIGKILL");
          };
          await new Promise((resolve) => child.on("close", resolve));
          mock.onRequest = undefined;

          const resumed = await cli([...ARGS, "--resume"]);
          expect(resumed.code, resumed.stderr).toBe(0);
          expect(await snapshot(mock, key)).toEqual(expected(before));
          expect(await ledgerOf(mock, key)).toEqual([
            { revision: "a1", state: "applied", direction: "up" },
            { revision: "b2", state: "applied", direction: "up" },
          ]);
          expect(await leasesOf(mock, key)).toBe(0);
          // Each agent was patched once per revision that changes it: never twice, never skipped.
          const want = new Map<string, number>();
          for (const a of before.agents!)
            want.set(
              String(a.id),
              (a.model === "gpt-4-turbo" ? 1 : 0) + ((a.metadata as Record<string, string>).tier ? 0 : 1),
            );
          expect(patchesPerAgent(start)).toEqual(new Map([...want].filter(([, v]) => v > 0)));
        } finally {
          await tmp.remove();
        }
      }),
      { numRuns: 4, examples: [[1], [patchAt[2]!], [patchAt[14]!], [requests]] },
    );
  });
});

/** Runs `args` with `fault` set for one request, lets `check` read the run that failed, then resumes it: the account ends as an uninterrupted run leaves it. */
async function failThenResume(
  fault: Parameters<typeof mock.api.faults.once>[0],
  args: string[],
  check: (failed: Awaited<ReturnType<ReturnType<typeof cliFor>>>) => void,
) {
  const { key, tmp, cli } = await account();
  try {
    const before = await snapshot(mock, key);
    mock.api.faults.once(fault);
    const failed = await cli(args);
    expect(failed.code).toBe(1);
    check(failed);
    const resumed = await cli([...ARGS, "--resume"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(await snapshot(mock, key)).toEqual(expected(before));
  } finally {
    mock.api.faults.reset();
    await tmp.remove();
  }
}

describe("a PATCH that fails", { timeout: 60_000 }, () => {
  it("is not announced as retried (the SDK never repeats a PATCH without a key), and --resume carries on", async () => {
    await failThenResume({ method: "PATCH", status: 503 }, ["migrate", "up", "--yes"], (failed) => {
      expect(failed.stderr).not.toMatch(/retrying/);
      expect(failed.stderr).toMatch(/503/);
    });
  });
});

describe("an error that ends a run after its plan", { timeout: 60_000 }, () => {
  it("says the run was cut and to carry on with --resume (plain and --json), and the resume does", async () => {
    const args = ["--json", "migrate", "up", "--yes", "--concurrency", "1"];
    await failThenResume({ method: "PATCH", drop: true }, args, (failed) => {
      const hint =
        "up a1 was cut with its plan in migrations/.journal/a1.up.ndjson: carry on with `resonant migrate up --resume`";
      expect(failed.stderr).toContain(hint);
      const error = failed.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .at(-1)!;
      expect(error).toMatchObject({ event: "error", exit_code: 1 });
      expect(error.message).toContain(hint);
    });
  });
});

describe("a dry run of a partial revision", { timeout: 60_000 }, () => {
  it("shows the writes up would retry from the journal, not a new plan", async () => {
    const { tmp, cli } = await account();
    try {
      const tool = (i: number) =>
        `{ name: "made-${i}", description: "d", endpoint: "https://example.com/${i}", parameters: { type: "object", properties: {} } }`;
      await writeMigrations(tmp.path("creates"), {
        "0001_t1.mjs": migrationSource({
          revision: "t1",
          downRevision: null,
          up: [0, 1, 2].map((i) => `await ctx.create("tools", ${tool(i)});`).join(" "),
        }),
      });
      mock.api.faults.once({ method: "POST", path: "/tools", status: 409 });
      const first = await cli(["migrate", "up", "--yes", "--no-backup", "--dir", "creates"]);
      expect(first.code, first.stderr).toBe(2);
      const dry = await cli(["--json", "migrate", "up", "--dry-run", "--dir", "creates"]);
      expect(dry.code, dry.stderr).toBe(3);
      const shown = events(dry.stdout);
      expect(shown.filter((e) => e.event === "change")).toHaveLength(1);
      expect(shown.find((e) => e.event === "plan")).toMatchObject({ kinds: { tools: { create: 1 } } });
      expect(shown.at(-1)).toMatchObject({ changes: 1 });
      const retried = await cli(["--json", "migrate", "up", "--yes", "--no-backup", "--dir", "creates"]);
      expect(retried.code, retried.stderr).toBe(0);
      expect(events(retried.stdout).find((e) => e.event === "step")).toMatchObject({ written: 3, resumed: true });
    } finally {
      mock.api.faults.reset();
      await tmp.remove();
    }
  });
});
