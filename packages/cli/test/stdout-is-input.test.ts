/**
 * A shell redirection can make standard output the very archive a command reads: `resonant upgrade
 * backup.json >> backup.json` appended the upgraded archive to the one it read (exit 0, the backup now two
 * documents that no reader takes), and `verify backup.json --json >> backup.json` its events. Standard output
 * is now compared with the inputs like every output, and nothing is written to it, not even the --json
 * error event. Run as real processes, standard output the archive opened for appending.
 */
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { CLI_COMMAND, DEMO_API_KEY, seededCli } from "./helpers.js";

const { mock, tmp, cli, close } = await seededCli({ agents: 2 });
afterAll(close);

/**
 * Runs the CLI with standard output appended to `file` (or standard input read from it); answers the exit code and
 * standard error.
 */
function appendingTo(
  file: string,
  args: readonly string[],
  stream: "stdout" | "stdin" = "stdout",
): Promise<{ code: number | null; stderr: string }> {
  const fd = openSync(file, stream === "stdout" ? "a" : "r");
  const child = spawn(CLI_COMMAND[0]!, [...CLI_COMMAND.slice(1), ...args], {
    cwd: tmp.dir,
    env: {
      ...process.env,
      RESONANT_BASE_URL: mock.baseURL,
      RESONANT_API_KEY: DEMO_API_KEY,
      RESONANT_LOG: undefined,
      NODE_PATH: undefined,
    },
    stdio: stream === "stdout" ? ["ignore", fd, "pipe"] : [fd, "ignore", "pipe"],
  });
  closeSync(fd);
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr })));
}

describe("standard output redirected to the archive read", () => {
  it.each([
    ["upgrade", ["upgrade"], []],
    ["verify --json", ["--json", "verify"], []],
    ["import --dry-run", ["import"], ["--dry-run"]],
  ])("%s: refused, exit 1, the archive as it was", async (_, before, after) => {
    const archive = tmp.path("backup.json");
    expect((await cli(["export", "--out", archive])).code).toBe(0);
    const text = await readFile(archive, "utf8");
    const run = await appendingTo(archive, [...before, archive, ...after]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toBe(
      `resonant: standard output is the same file as the archive ${archive} (redirected to it): resonant never writes over what it reads; nothing was written, redirect it elsewhere\n`,
    );
    expect(await readFile(archive, "utf8")).toBe(text);
    await writeFile(archive, text);
  });
});

describe("standard input redirected from an output", () => {
  it("upgrade - --out backup.json < backup.json: refused, exit 1, the archive as it was", async () => {
    const archive = tmp.path("stdin.json");
    expect((await cli(["export", "--out", archive])).code).toBe(0);
    const text = await readFile(archive, "utf8");
    const run = await appendingTo(archive, ["upgrade", "-", "--out", archive], "stdin");
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toBe(
      `resonant: --out ${archive} is the same file as the archive - (standard input is redirected from it): resonant never writes over what it reads; nothing was written, name another file\n`,
    );
    expect(await readFile(archive, "utf8")).toBe(text);
  });
});
