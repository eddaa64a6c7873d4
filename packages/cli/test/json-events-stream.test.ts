/**
 * With `--json` and the archive on standard output (`export` or `upgrade` without `--out`), every event goes
 * to standard error, the archive alone to standard output. The `error` event that ends a failed run went to
 * standard output all the same: into the archive's stream, and missing from the events a script reads.
 * Run as real processes.
 */
import { writeFile } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { events, runCli, tempDir } from "./helpers.js";

const tmp = await tempDir();
afterAll(() => tmp.remove());

/** The error event among the lines of `text`, if any. */
const errorEvent = (text: string) => events(text).find((e) => e.event === "error");

describe("--json with the archive on standard output", () => {
  it("export: the error event goes to standard error with the others, nothing to standard output", async () => {
    const run = await runCli(["--json", "--max-retries", "0", "export"], {
      env: { RESONANT_API_KEY: "rg_test_sk_demo", RESONANT_BASE_URL: "http://127.0.0.1:1/api" },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    const lines = run.stderr.split("\n").filter((line) => line.startsWith("{"));
    expect(events(lines.join("\n")).map((e) => e.event)).toEqual(["start", "error"]);
    expect(errorEvent(lines.join("\n"))).toMatchObject({ exit_code: 1 });
  });

  it("upgrade: a refused archive's error event goes to standard error, nothing to standard output", async () => {
    const bad = tmp.path("bad.json");
    await writeFile(bad, '{"format":"resonantgenesis.export","format_version":1,"api_version":"1.0"');
    const run = await runCli(["--json", "upgrade", bad]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    const lines = run.stderr.split("\n").filter((line) => line.startsWith("{"));
    expect(errorEvent(lines.join("\n"))).toMatchObject({ exit_code: 1 });
  });
});
