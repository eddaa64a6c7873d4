/**
 * A `down` that leaves objects alone (conflicts: changed since the migration)
 * must end `partial` however its plan is carried out: at once, retried after
 * refused writes, or resumed after a kill. The retry and the resume carry out
 * the plan on disk without planning again, so the conflicts must be on disk
 * too; a ledger saying `reverted` over objects left migrated could never be
 * undone by `down --force`.
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ResonantClient } from "@resonantgenesis/sdk";
import { cliFor, events, spawnCli, startCountingMock, tempDir, type CountingMock } from "./helpers.js";
import { ledgerOf, MODEL_RENAME, writeMigrations } from "./migrate-helpers.js";

let mock: CountingMock;
beforeAll(async () => {
  mock = await startCountingMock();
});
afterAll(() => mock.close());

/** An account with a1 applied and its first agent edited since, so a1's down conflicts on it. */
async function appliedThenEdited() {
  const { key } = mock.api.createAccount();
  mock.api.seed({ agents: 4 }, { key });
  const tmp = await tempDir();
  await writeMigrations(tmp.path("migrations"), { "0001_a1.mjs": MODEL_RENAME });
  const cli = cliFor(mock, key, tmp.dir);
  const up = await cli(["migrate", "up", "--yes", "--no-backup"]);
  expect(up.code, up.stderr).toBe(0);
  const client = new ResonantClient({ apiKey: key, baseURL: mock.baseURL, logLevel: "off" });
  const agents = [];
  for await (const a of client.agents.list()) agents.push(a);
  await client.agents.update(agents[0]!.id, { name: "edited since" });
  const models = async () => {
    const out: Record<string, string> = {};
    for await (const a of client.agents.list()) out[a.id] = a.model;
    return out;
  };
  return { key, tmp, cli, agents, models };
}

/** `down --force` finishes what was left: a1 reverted, every agent back on its first model, the edited one too. */
async function forcedDownRevertsAll({ key, cli, agents, models }: Awaited<ReturnType<typeof appliedThenEdited>>) {
  const forced = await cli(["migrate", "down", "--yes", "--no-backup", "--force"]);
  expect(forced.code, forced.stderr).toBe(0);
  expect(await lastState(key)).toBe("reverted");
  expect(Object.values(await models())).toEqual(agents.map(() => "gpt-4-turbo"));
}

const lastState = async (key: string) => (await ledgerOf(mock, key)).at(-1)!.state;

describe("a down's conflicts", { timeout: 120_000 }, () => {
  it("keep it partial when its refused writes are retried, and down --force then undoes the conflicted object", async () => {
    const account = await appliedThenEdited();
    const { key, tmp, cli, agents, models } = account;
    try {
      mock.api.faults.once({ method: "PATCH", path: `/agents/${agents[1]!.id}`, status: 409 });
      const first = await cli(["migrate", "down", "--yes", "--no-backup"]);
      expect(first.code, first.stderr).toBe(2);
      expect(await lastState(key)).toBe("partial");

      const retried = await cli(["--json", "migrate", "down", "--yes", "--no-backup"]);
      expect(retried.code, retried.stderr).toBe(2);
      const step = events(retried.stdout).find((e) => e.event === "step")!;
      expect(step).toMatchObject({ state: "partial", resumed: true, failed: 0 });
      expect(step.conflicts).toEqual([expect.objectContaining({ kind: "agents", id: agents[0]!.id })]);
      expect(await lastState(key)).toBe("partial");
      expect((await models())[agents[0]!.id]).toBe("gpt-4.1");

      await forcedDownRevertsAll(account);
    } finally {
      mock.api.faults.reset();
      await tmp.remove();
    }
  });

  it("keep it partial when a killed run is resumed, and are written to the resumed run's failure log", async () => {
    const { key, tmp, cli, agents } = await appliedThenEdited();
    try {
      const child = spawnCli(["migrate", "down", "--yes", "--no-backup", "--concurrency", "1"], {
        cwd: tmp.dir,
        env: { RESONANT_BASE_URL: mock.baseURL, RESONANT_API_KEY: key },
      });
      child.stdout!.resume();
      child.stderr!.resume();
      // Killed at its first write: the plan (and its conflict) is on disk, the run is not over.
      mock.onRequest = (s) => {
        if (s.method === "PATCH") child.kill("SIGKILL");
      };
      await new Promise((resolve) => child.on("close", resolve));
      mock.onRequest = undefined;

      const resumed = await cli(["migrate", "down", "--yes", "--no-backup", "--resume", "--failures", "f.ndjson"]);
      expect(resumed.code, resumed.stderr).toBe(2);
      expect(resumed.stderr).toContain(`conflict: agents ${agents[0]!.id}`);
      expect(await lastState(key)).toBe("partial");
      expect(JSON.parse(await readFile(tmp.path("f.ndjson"), "utf8"))).toMatchObject({
        id: agents[0]!.id,
        kind: "agents",
        code: "conflict",
      });
    } finally {
      await tmp.remove();
    }
  });
});

describe("up over a revision a down left partial", { timeout: 120_000 }, () => {
  it("is refused until the down is finished, so the next down still undoes every object", async () => {
    const account = await appliedThenEdited();
    const { tmp, cli, agents } = account;
    try {
      mock.api.faults.once({ method: "PATCH", path: `/agents/${agents[1]!.id}`, status: 409 });
      expect((await cli(["migrate", "down", "--yes", "--no-backup", "--force"])).code).toBe(2);
      const up = await cli(["migrate", "up", "--yes", "--no-backup"]);
      expect(up.code, up.stderr).toBe(1);
      expect(up.stderr).toContain(
        "revision a1 was left partial by migrate down (some of its writes were not undone): run `resonant migrate down` again",
      );
      await forcedDownRevertsAll(account);
    } finally {
      mock.api.faults.reset();
      await tmp.remove();
    }
  });
});
