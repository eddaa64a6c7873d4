/**
 * With `--concurrency N`, batches are answered out of order: a batch answered while one before it is still
 * on its way is not yet counted by the checkpoint, so a resume sends it again (and the target replays it).
 * Its refused items and its new secrets must then reach `--failures` and `--secrets-out` once, not once per
 * run. Run as real processes against the mock: the first import call's answer is held past `--timeout`,
 * which ends the run after the batches behind it were answered.
 */
import { readFile, writeFile } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { ARCHIVE_HEAD } from "./archive-fixtures.js";
import { cliFor, DEMO_API_KEY, startCountingMock, tempDir } from "./helpers.js";

const mock = await startCountingMock();
const tmp = await tempDir();
const cli = cliFor(mock, DEMO_API_KEY, tmp.dir);
afterAll(async () => {
  await mock.close();
  await tmp.remove();
});

const id = (kind: number, i: number) => `00000000-0000-4000-8000-${String(kind * 1000 + i).padStart(12, "0")}`;
const AT = "2024-01-01T00:00:00Z";

/** 20 agents that each name a tool the target lacks (each refused alone, 422), and 20 webhooks (each given a secret). */
function archive(): string {
  const agents = Array.from({ length: 20 }, (_, i) =>
    JSON.stringify({
      id: id(1, i),
      object: "agent",
      name: `a${i}`,
      description: null,
      model: "gpt-4o",
      system_prompt: "p",
      temperature: 0.5,
      max_tokens: null,
      status: "active",
      metadata: {},
      tool_ids: [id(9, i)],
      version: 1,
      memory_enabled: false,
      created_at: AT,
      updated_at: AT,
    }),
  );
  const webhooks = Array.from({ length: 20 }, (_, i) =>
    JSON.stringify({
      id: id(2, i),
      object: "webhook",
      url: `https://hooks.example.com/${i}`,
      events: ["agent.created"],
      active: true,
      description: null,
      filters: {},
      created_at: AT,
      updated_at: AT,
    }),
  );
  return `${ARCHIVE_HEAD},\n"agents":[\n${agents.join(",\n")}],\n"webhooks":[\n${webhooks.join(",\n")}]}\n`;
}

/** Holds the answer of the first import call of `kind` until `ms` have passed (the call times out first). */
function holdFirst(kind: string, ms: number): void {
  let held = false;
  mock.onRequest = async (seen) => {
    if (held || seen.batch === undefined || !seen.batch.startsWith(`${kind}:`)) return;
    held = true;
    await new Promise((resolve) => setTimeout(resolve, ms));
  };
}

const lines = (text: string) => text.split("\n").filter((line) => line !== "");

describe("--resume after a run cut with batches answered out of order (--concurrency)", () => {
  it.each(["agents", "webhooks"])(
    "the %s answered behind the cut batch are logged once, in --failures and --secrets-out",
    async (kind) => {
      const file = tmp.path(`${kind}.json`);
      await writeFile(file, archive());
      const failures = tmp.path(`${kind}-failures.ndjson`);
      const secrets = tmp.path(`${kind}-secrets.ndjson`);
      const key = mock.api.createAccount().key;
      const args = ["import", file, "--batch-size", "5", "--concurrency", "4", "--failures", failures];
      holdFirst(kind, 2500);
      const cut = await cli([...args, "--secrets-out", secrets, "--timeout", "1", "--max-retries", "0"], {
        env: { RESONANT_API_KEY: key },
      }).finally(() => (mock.onRequest = undefined));
      expect(cut.code, cut.stderr).toBe(1);
      expect(cut.stderr).toContain("--resume");
      // The held call went in all the same: the resume's replay of it is what the target answers.
      await new Promise((resolve) => setTimeout(resolve, 2000));

      const resumed = await cli([...args, "--secrets-out", secrets, "--resume"], { env: { RESONANT_API_KEY: key } });
      expect(resumed.code, resumed.stderr).toBe(2);
      const refused = lines(await readFile(failures, "utf8")).map((line) => (JSON.parse(line) as { id: string }).id);
      expect(refused.sort()).toEqual(Array.from({ length: 20 }, (_, i) => id(1, i)));
      const made = lines(await readFile(secrets, "utf8")).map((line) => (JSON.parse(line) as { id: string }).id);
      expect(made.sort()).toEqual(Array.from({ length: 20 }, (_, i) => id(2, i)));
      expect(resumed.stdout).toMatch(/^agents\s+20\s+0\s+0\s+20$/m);
      expect(resumed.stdout).toMatch(/^webhooks\s+20\s+20\s+0\s+0$/m);
    },
  );
});
