/**
 * `resonant versions` as a real process against the mock on 127.0.0.1: the lifecycle table, the SDK's version,
 * and the server's answer, in text and in `--json`.
 */
import { API_VERSIONS } from "@resonantgenesis/sdk";
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, events, startCountingMock } from "./helpers.js";

const mock = await startCountingMock();
afterAll(() => mock.close());
const cli = cliFor(mock);

describe("versions", () => {
  it("prints the lifecycle table, the SDK version and the server's answer (exit 0)", async () => {
    const run = await cli(["versions", "--api-version", "1.0"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/1\.0\s+\S+\s+2025-09-01\s+2026-03-01/);
    expect(run.stdout).toMatch(/SDK \d+\.\d+\.\d+/);
    expect(run.stdout).toMatch(/asked for 1\.0, answered with 1\.0; deprecated since 2025-09-01/);
    expect(run.stderr, "the server's line says it; no second warning").not.toMatch(/deprecated/);
    const json = await cli(["versions", "--json"]);
    const summary = events(json.stdout).at(-1)!;
    expect(summary).toMatchObject({ event: "summary", command: "versions", server: { asked: "1.2", served: "1.2" } });
    // Each version's status as the table shows it: a version past its sunset is gone in both.
    const rows = summary.versions as { version: string; status: string; gone: boolean }[];
    expect(rows.some((r) => r.gone)).toBe(true);
    for (const r of rows) {
      expect(r.status).toBe(r.gone ? "gone" : API_VERSIONS[r.version as "1.2"].status);
      expect(run.stdout).toMatch(new RegExp(`^${r.version.replace(".", "\\.")}\\s+${r.status}\\s`, "m"));
    }
    const offline = await cli(["versions"], { env: { RESONANT_API_KEY: undefined } });
    expect(offline.code).toBe(0);
    expect(offline.stdout).toMatch(/server was not asked/);
  });
});
