// One child process, its output kept (not streamed: consumers run in parallel,
// so interleaved output would be unreadable) and a hard timeout.
import { spawn } from "node:child_process";

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env?: Record<string, string>, timeoutMs?: number }} options
 * @returns {Promise<{ code: number | null, output: string, timedOut: boolean, ms: number }>}
 */
export function exec(command, args, { cwd, env = {}, timeoutMs = 120_000 }) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, PWD: cwd, ...env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    let timedOut = false;
    // detached: the child leads its own process group, so a timeout ends its children too (workerd, chromium).
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    }, timeoutMs);
    child.on("error", (error) => (output += `\n${error.message}`));
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output, timedOut, ms: performance.now() - started });
    });
  });
}

/** Like exec, but throws with the output's tail when the command fails. */
export async function execOrThrow(command, args, options) {
  const result = await exec(command, args, options);
  if (result.code !== 0)
    throw new Error(
      `${command} ${args.join(" ")} failed (${result.timedOut ? "timed out" : `exit ${result.code}`}):\n${tail(result.output)}`,
    );
  return result;
}

/** The last lines of some output, enough to see why something failed. */
export function tail(output, lines = 40) {
  return output.trimEnd().split("\n").slice(-lines).join("\n");
}
