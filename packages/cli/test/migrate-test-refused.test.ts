/**
 * `migrate test` on an account the copy cannot hold whole: a newer server's objects (an enum value or a name
 * length API 1.2 does not take) are refused by the copy's import, an API 1.2 of the letter. The test ran
 * without them and said the migrations restore the account, not a word of the objects it never tried.
 * Run as a real process against the evolved mock.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, DEMO_API_KEY, events, startCountingMock, tempDir, type CountingMock } from "./helpers.js";
import { MODEL_RENAME, writeMigrations } from "./migrate-helpers.js";

let mock: CountingMock;
let tmp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  mock = await startCountingMock({ evolve: { kinds: [] }, seed: { agents: 3 } });
  tmp = await tempDir();
});
afterAll(async () => {
  await mock.close();
  await tmp.remove();
});

describe("migrate test on objects its copy refuses", { timeout: 60_000 }, () => {
  it("says how many it refused and names them, in text and in --json", async () => {
    const agents = (await (
      await fetch(`${mock.baseURL}/v1.2/agents/export`, { headers: { authorization: `Bearer ${DEMO_API_KEY}` } })
    ).json()) as { agents: { id: string; name: string; status: string }[] };
    // The evolved seed holds agents API 1.2 refuses: a name past 100 characters, a status it does not list.
    const refusable = agents.agents.filter((a) => a.name.length > 100 || !["active", "archived"].includes(a.status));
    expect(refusable.length).toBeGreaterThan(0);
    await writeMigrations(tmp.path("migrations"), { "0001_a1.mjs": MODEL_RENAME });
    const cli = cliFor(mock, DEMO_API_KEY, tmp.dir);

    const run = await cli(["migrate", "test"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`migrate test: the copy could not take ${refusable.length} of the account's objects`);
    expect(run.stderr).toContain(`agents ${JSON.stringify(refusable[0]!.id)} (`);
    expect(run.stderr).toMatch(/must be at most 100 characters|must be one of active, archived/);

    const json = await cli(["--json", "migrate", "test"]);
    const warnings = events(json.stdout).filter((e) => e.event === "warning");
    expect(warnings.map((e) => String(e.message))).toEqual([
      expect.stringContaining(`the copy could not take ${refusable.length} of the account's objects`),
    ]);
    const summary = events(json.stdout).at(-1)!;
    expect((summary.not_copied as { kind: string; id: string }[]).map((o) => o.id).sort()).toEqual(
      refusable.map((a) => a.id).sort(),
    );
  });
});
