/**
 * What the SDK logs reaches the user through the CLI's reporter, never the
 * console: `RESONANT_LOG=debug` once wrote its request lines onto standard
 * output, into the archive an `export` was writing there and between the
 * `--json` events.
 */
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_API_KEY, events, exportedAccount } from "./helpers.js";

const { cli, archive, close } = await exportedAccount({ agents: 12, memories: 5 }, "backup.json");
afterAll(async () => close());

const debugLog = { env: { RESONANT_LOG: "debug" } };

describe("RESONANT_LOG=debug", () => {
  it("an archive on standard output stays whole; the SDK's request lines go to standard error", async () => {
    const run = await cli(["export", "--quiet"], debugLog);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { counts: Record<string, number> };
    expect(doc.counts).toMatchObject({ agents: 12, memories: 5 });
    expect(run.stderr).toMatch(/^debug: GET data\/export -> 200 \(req_\w+\)$/m);
    expect(run.stdout + run.stderr).not.toContain(DEMO_API_KEY);
  });

  it("with --json, every line of standard output is an event, the SDK's lines `debug` ones", async () => {
    const run = await cli(["--json", "verify", archive], debugLog);
    expect(run.code, run.stderr).toBe(0);
    const all = events(run.stdout);
    expect(all.filter((e) => e.event === "debug")).toContainEqual({
      event: "debug",
      message: expect.stringMatching(/^GET data\/export -> 200/),
    });
    expect(all.at(-1)).toMatchObject({ event: "summary" });
    expect(run.stderr).toBe("");
  });

  it("RESONANT_LOG=off silences the SDK's lines only: the run and its own output are unchanged", async () => {
    const run = await cli(["verify", archive], { env: { RESONANT_LOG: "off" } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/^debug:/m);
  });
});
