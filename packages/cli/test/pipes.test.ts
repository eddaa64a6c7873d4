/**
 * A reader that goes away: `resonant ... | head -1`. The reading end of the
 * child's standard output is closed before it writes, so every write of it
 * meets EPIPE, as after `head` has had its line.
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CountingMock, DEMO_API_KEY, spawnCli, startCountingMock, tempDir } from "./helpers.js";

let mock: CountingMock;
let tmp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  mock = await startCountingMock({ seed: { agents: 30, memories: 20 } });
  tmp = await tempDir();
});
afterAll(async () => {
  await mock.close();
  await tmp.remove();
});

/** Runs the CLI with its standard output's reader gone; answers the exit code and standard error. */
function withReaderGone(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const env = { RESONANT_BASE_URL: mock.baseURL, RESONANT_API_KEY: DEMO_API_KEY };
  const child = spawnCli(args, { env, cwd: tmp.dir });
  child.stdout!.destroy();
  child.stdin!.end();
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr })));
}

describe("standard output's reader goes away", () => {
  it.each([["--help"], ["versions"], ["export", "--help"]])(
    "%s: ends as it would have, no stack dump",
    async (...args) => {
      const run = await withReaderGone(args);
      expect(run.stderr).not.toMatch(/EPIPE|Unhandled|at /);
      expect(run.code, run.stderr).toBe(0);
    },
  );

  it("--json events were going there: the export still completes, whole, exit 0", async () => {
    const run = await withReaderGone(["--json", "export", "--out", "whole.json"]);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(await readFile(tmp.path("whole.json"), "utf8")) as { counts: Record<string, number> };
    expect(doc.counts).toMatchObject({ agents: 30, memories: 20 });
  });

  it("the archive itself was going there: the export fails, saying so", async () => {
    const run = await withReaderGone(["export", "--quiet"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("resonant: --out -: the reader went away (broken pipe) (EPIPE)\n");
  });
});
