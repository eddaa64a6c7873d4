/**
 * A signal outside a command: while `resonant` loads (before the command's own handlers) or once the command
 * has ended. Left to Node's default, either killed the process with no word (no exit code, no line). Each
 * instant is held open by a preload (fixtures/signal-at-start.mjs, fixtures/signal-at-exit.mjs).
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";

const preload = (name: string) => ({
  env: { NODE_OPTIONS: `--import ${fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))}` },
});

describe("a signal outside the command", () => {
  it("while the commands load: exit 143 and the interrupted line", async () => {
    const run = await runCli(["--version"], preload("signal-at-start.mjs"));
    expect(run.code, run.stderr).toBe(143);
    expect(run.stderr).toBe("resonant: interrupted (SIGTERM)\n");
    expect(run.stdout).toBe("");
    // A script reading --json events gets its error event, as for any other end.
    const json = await runCli(["--json", "versions"], preload("signal-at-start.mjs"));
    expect(json.code, json.stderr).toBe(143);
    expect(JSON.parse(json.stdout)).toEqual({ event: "error", message: "interrupted (SIGTERM)", exit_code: 143 });
    // An export to standard output may be writing to the archive's file: the event goes to standard error.
    for (const args of [["export"], ["export", "--out", "-"], ["export", "-o-"], ["upgrade", "a.json", "--out=-"]]) {
      const exported = await runCli(["--json", ...args], preload("signal-at-start.mjs"));
      expect(exported.code, exported.stderr).toBe(143);
      expect(exported.stdout, args.join(" ")).toBe("");
      expect(exported.stderr).toContain('{"event":"error","message":"interrupted (SIGTERM)","exit_code":143}');
    }
  });

  it("after the command ended: its own exit code, nothing more said", async () => {
    const run = await runCli(["--version"], preload("signal-at-exit.mjs"));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(run.stderr).toBe("");
    const failed = await runCli(["import", "no-such-file.json"], preload("signal-at-exit.mjs"));
    expect(failed.code).toBe(1);
    expect(failed.stderr).not.toMatch(/interrupted/);
  });
});
