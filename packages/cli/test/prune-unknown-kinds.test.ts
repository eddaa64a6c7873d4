/**
 * `restore --prune` of a kind this resonant does not know (a newer server's, here the evolved mock's
 * `workflows`): it cannot delete them, so each counts as failed (exit 2) and, like every other failure, gets
 * its line in `--failures`, with all six members. It used to count them and write no line. A real process
 * against the mock.
 */
import { readFile, writeFile } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, DEMO_API_KEY, startCountingMock, tempDir } from "./helpers.js";

const mock = await startCountingMock({ evolve: true, seed: { agents: 2 } });
const tmp = await tempDir();
afterAll(async () => {
  await mock.close();
  await tmp.remove();
});

describe("restore --prune of an unknown kind", () => {
  it("exit 2, and a failure line for each object it could not delete", async () => {
    const cli = cliFor(mock, DEMO_API_KEY, tmp.dir);
    const full = tmp.path("full.json");
    expect((await cli(["export", "--out", full, "--quiet"])).code).toBe(0);
    const doc = JSON.parse(await readFile(full, "utf8")) as Record<string, unknown>;
    const workflows = doc.workflows as { id: string }[];
    expect(workflows.length).toBeGreaterThan(0);
    // The backup holds the kind, without these objects: a prune would delete them.
    doc.workflows = [];
    delete doc.counts;
    delete doc.checksum;
    const backup = tmp.path("backup.json");
    await writeFile(backup, JSON.stringify(doc));

    const failures = tmp.path("failures.ndjson");
    const run = await cli(["restore", backup, "--prune", "--yes", "--failures", failures]);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stdout).toContain(`deleted: 0 workflows (${workflows.length} failed)`);
    const lines = (await readFile(failures, "utf8"))
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => l.id).sort()).toEqual(workflows.map((w) => w.id).sort());
    for (const line of lines)
      expect(line).toEqual({
        id: line.id,
        kind: "workflows",
        code: "unknown_kind",
        message:
          "not deleted: workflows is a kind this resonant does not know (a newer server's), which it cannot delete; delete it with a newer resonant or on the platform",
        request_id: null,
        status: null,
      });
  });
});
