import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** What the mock server child prints. */
export interface MockInfo {
  baseURL: string;
  /** The demo account's key: seeded. */
  demoKey: string;
  /** A second, empty account's key. */
  otherKey: string;
  /** The seeded agents' ids, oldest first. */
  agentIds: string[];
}

/** The monorepo root: tsx and the source condition resolve from there. */
export const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/** `node` with tsx and the workspace source condition, for child scripts. */
export const NODE_TS = ["--import", "tsx", "--conditions=@resonantgenesis/source"];

/** What `run` threw (undefined when it returned): a SyncClient call throws on this thread, so no `rejects`. */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Start the mock as a real HTTP server in a child process. */
export async function startMockChild(
  env: Record<string, string> = {},
): Promise<{ info: MockInfo; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...NODE_TS, fileURLToPath(new URL("./mock-server.ts", import.meta.url))],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const lines = createInterface({ input: child.stdout! });
  const info = await new Promise<MockInfo>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the mock server exited early (code ${code})`)));
    lines.once("line", (line) => resolve(JSON.parse(line) as MockInfo));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  return { info, stop };
}

/** Start fixtures/faulty-server.ts (the unit tests' misbehaving server, with the routes it sets) in a child process. */
export async function startFaultyChild(): Promise<{ baseURL: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    [...NODE_TS, fileURLToPath(new URL("./fixtures/faulty-server.ts", import.meta.url))],
    { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the faulty server exited early (code ${code})`)));
    createInterface({ input: child.stdout! }).once("line", resolve);
  });
  return { baseURL: (JSON.parse(line) as { baseURL: string }).baseURL, stop: () => child.kill("SIGTERM") };
}

/**
 * Runs `fixtures/<name>.ts` as a script of its own against the mock (MOCK_KEY, MOCK_BASE_URL): how it exits
 * (`"timeout"` after 25 s, then killed) and what it printed. A child, since a hang would sleep in
 * Atomics.wait, which no timer of the test's thread could interrupt; tsx boots twice (script and worker).
 */
export async function runFixture(
  name: string,
  info: MockInfo,
): Promise<{ code: number | null | "timeout"; stdout: string }> {
  const script = fileURLToPath(new URL(`./fixtures/${name}.ts`, import.meta.url));
  const child = spawn(process.execPath, [...NODE_TS, script], {
    cwd: ROOT,
    env: { ...process.env, MOCK_KEY: info.demoKey, MOCK_BASE_URL: info.baseURL },
  });
  let stdout = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null | "timeout">((resolve) => {
    const timer = setTimeout(() => resolve("timeout"), 25_000);
    child.once("exit", (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  if (code === "timeout") child.kill("SIGKILL");
  return { code, stdout };
}
