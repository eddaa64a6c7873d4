// `pnpm mock` as a real process: its flags are checked before it serves anything.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));

/** Runs the mock's CLI until it exits or prints its first stdout line (then stops it with SIGTERM). */
function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--conditions=@resonantgenesis/source", "--import", TSX, CLI, ...args], {
    env: { ...process.env, PORT: undefined },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
    if (stdout.includes("Press Ctrl-C")) child.kill("SIGTERM");
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

// Each case starts the CLI through tsx (up to five times in one case): past the 5 s default on a loaded machine.
describe("pnpm mock", { timeout: 60_000 }, () => {
  it("--help prints the usage and serves nothing", async () => {
    const { code, stdout } = await run(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: pnpm mock \[--port <n>\] \[--evolve\]/);
    expect(stdout).not.toContain("listening");
  });

  it("refuses a mistyped flag or a bad port with exit 2, saying which", async () => {
    const typo = await run(["--evolv"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("Unknown option '--evolv'");
    expect(typo.stdout).toBe("");
    for (const port of ["abc", "70000", "-1", "4010x"]) {
      const bad = await run([`--port=${port}`]);
      expect(bad.code, port).toBe(2);
      expect(bad.stderr).toContain(`invalid port: ${port}`);
    }
  });

  it("serves on the port it is given, and stops on SIGTERM", async () => {
    const { code, stdout } = await run(["--port", "0", "--evolve"]);
    expect(stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+ \(evolved/);
    expect(code).toBe(0);
  });
});
