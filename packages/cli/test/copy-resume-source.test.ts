/**
 * `copy --resume` skips the first records of each kind that the checkpoint counts as sent, by their place in
 * the source's export. The source is a live account: an object deleted there since the cut shifts the rest
 * down, and the first record never sent used to be skipped as sent (exit 0, one object missing from the
 * target). The resume now checks that the last record counted is where it was, and refuses otherwise.
 * Run as real processes against the mock.
 */
import { afterAll, describe, expect, it } from "vitest";
import { accountOn, cliFor, startCountingMock, tempDir } from "./helpers.js";

const mock = await startCountingMock();
const tmp = await tempDir();
afterAll(async () => {
  await mock.close();
  await tmp.remove();
});

async function agentIds(key: string): Promise<string[]> {
  const doc = await accountOn(mock, key);
  return (doc.agents as { id: string }[]).map((a) => a.id);
}

describe("copy --resume after the source changed", () => {
  it.each([
    { agents: 30, deleted: [1], what: "an object deleted before the place the checkpoint counts" },
    { agents: 16, deleted: [1, 2], what: "the kind now ending before that place" },
  ])("$what: refused (exit 1, nothing skipped); a new run then copies every object", async ({ agents, deleted }) => {
    const source = mock.api.createAccount().key;
    mock.api.seed({ agents }, { key: source });
    const target = mock.api.createAccount().key;
    const cli = cliFor(mock, source, tmp.dir);
    const checkpoint = tmp.path(`copy-${agents}.checkpoint`);
    const args = ["copy", "--batch-size", "5", "--checkpoint", checkpoint];
    let calls = -1;
    // Three batches (15 agents) go in, then the fourth call's connection is lost: the run stops with its checkpoint.
    mock.dropImport = () => (++calls === 3 ? "before" : undefined);
    const cut = await cli([...args, "--max-retries", "0"], { env: { RESONANT_TO_API_KEY: target } }).finally(
      () => (mock.dropImport = undefined),
    );
    expect(cut.code, cut.stderr).toBe(1);
    expect(cut.stderr).toContain("--resume");
    const ids = await agentIds(source);
    for (const i of deleted) {
      const res = await fetch(`${mock.baseURL}/v1.2/agents/${ids[i]}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${source}` },
      });
      expect(res.status).toBe(204);
    }

    const resumed = await cli([...args, "--resume"], { env: { RESONANT_TO_API_KEY: target } });
    expect(resumed.code, resumed.stderr).toBe(1);
    expect(resumed.stderr).toMatch(
      new RegExp(
        `^resonant: --resume: the source changed since the interrupted run: agents record 15, the last the checkpoint ${checkpoint} counts as sent, was ${ids[14]} and it (is now ${ids[15]}|now holds fewer than 15), so a resume would skip records never sent; run without --resume to start over`,
        "m",
      ),
    );

    const again = await cli(args, { env: { RESONANT_TO_API_KEY: target } });
    expect(again.code, again.stderr).toBe(0);
    const copied = new Set(await agentIds(target));
    expect((await agentIds(source)).filter((id) => !copied.has(id))).toEqual([]);
  });
});
