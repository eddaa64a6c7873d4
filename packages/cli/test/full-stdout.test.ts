/**
 * Standard output on a full disk: `resonant versions > /dev/full`. Every
 * write meets ENOSPC; the run ends with one line naming standard output and
 * the cause, exit 1, and never a stack dump. (Linux's /dev/full.)
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { open } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_COMMAND, type CountingMock, DEMO_API_KEY, startCountingMock, tempDir } from "./helpers.js";

let mock: CountingMock;
let tmp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  mock = await startCountingMock({ seed: { agents: 30, memories: 20 } });
  tmp = await tempDir();
  const { code, stderr } = await toFull(["export", "--out", "b.json", "--quiet"]);
  if (code !== 0) throw new Error(`the setup export failed: ${stderr}`);
});
afterAll(async () => {
  await mock.close();
  await tmp.remove();
});

/** Runs the CLI with its standard output on /dev/full; answers the exit code and standard error. */
async function toFull(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const full = await open("/dev/full", "w");
  const child = spawn(CLI_COMMAND[0]!, [...CLI_COMMAND.slice(1), ...args], {
    cwd: tmp.dir,
    env: { ...process.env, NODE_PATH: undefined, RESONANT_BASE_URL: mock.baseURL, RESONANT_API_KEY: DEMO_API_KEY },
    stdio: ["ignore", full.fd, "pipe"],
  });
  await full.close();
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr })));
}

describe.skipIf(!existsSync("/dev/full"))("standard output on a full disk", () => {
  // A report names standard output; where the archive itself was going, the command fails naming --out -.
  it.each([
    ["versions", "standard output"],
    ["--help", "standard output"],
    ["verify b.json", "standard output"],
    ["export", "--out -"],
    ["export --out -", "--out -"],
    ["upgrade b.json", "--out -"],
  ])("resonant %s: one line naming %s and ENOSPC, exit 1", async (command, where) => {
    const run = await toFull(command.split(" "));
    expect(run.stderr).toBe(`resonant: ${where}: no space left on device (ENOSPC)\n`);
    expect(run.code).toBe(1);
  });
});
