/**
 * Test helpers: a real mock server on 127.0.0.1 whose requests are counted
 * (so a test can prove that a batch was never imported twice), and the CLI
 * run as a real child process, built as users install it (test/global-setup.ts).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, expect } from "vitest";
import {
  createMockApi,
  DEMO_API_KEY,
  MockNetworkError,
  type MockApi,
  type MockApiOptions,
  type SeedCounts,
} from "@resonantgenesis/mock";
import { startMockServer, type MockServer } from "@resonantgenesis/mock/server";
import { MAX_BODY_BYTES } from "@resonantgenesis/schemas/meta";
import { ResonantClient } from "@resonantgenesis/sdk";

/** The built `resonant` (test/global-setup.ts builds it when its sources are newer). */
export const BIN = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
/** tsx as an `--import` for a node child that runs TypeScript. */
export const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
/** The command line that runs the CLI, as every test runs it: node and the bin, as a user's `resonant` does. */
export const CLI_COMMAND = [process.execPath, BIN];

/**
 * A mock server that answers as `handle` makes it: `handle` gets each request and `ask`, which passes a request
 * to the mock `api`. For a server that misbehaves in a test's own way (an answer rewritten, a header echoed).
 */
export function startHandledMock(
  api: MockApi,
  handle: (request: Request, ask: (request: Request) => Promise<Response>) => Promise<Response>,
): Promise<MockServer> {
  const handled = Object.create(api) as MockApi;
  handled.fetch = (request: Request) => handle(request, (r) => api.fetch(r));
  return startMockServer({ api: handled });
}

/** `response` with `text` for its body: its status and headers (`headers`, if given), less its length. */
export function withBody(response: Response, text: string, headers = new Headers(response.headers)): Response {
  headers.delete("content-length");
  return new Response(text, { status: response.status, headers });
}

/** One request the mock answered. */
export interface Seen {
  method: string;
  path: string;
  status: number;
  replayed: boolean;
  /** For an import: the kind and the first item's id (names the batch). */
  batch?: string;
  /** For an import: how many items. */
  items?: number;
}

/** A mock server whose requests are recorded. */
export interface CountingMock extends MockServer {
  seen: Seen[];
  /** Import calls the mock really carried out (not idempotent replays, not refused). */
  imports(): Seen[];
  /**
   * Set to drop the connection of an import call: called with the number of
   * import calls so far (from 0); "before" drops it unanswered and undone,
   * "after" carries it out and then drops the answer (the client cannot know it went in);
   * "cut" carries it out and sends the answer's status line and half its body, then drops the connection.
   */
  dropImport: ((n: number) => "before" | "after" | "cut" | undefined) | undefined;
  /**
   * Set to watch every request the mock answered, as it is recorded (a test can kill a client at a chosen request);
   * the answer waits for a promise it returns (a request still on its way when the client is signalled).
   */
  onRequest: ((seen: Seen) => void | Promise<void>) | undefined;
}

/** Starts the mock with every version served and a counter in front of it. */
export async function startCountingMock(options: MockApiOptions = {}): Promise<CountingMock> {
  const api = createMockApi({
    stepDelayMs: 1,
    versionStates: { "1.0": "deprecated", "1.1": "deprecated", "1.2": "current" },
    ...options,
  });
  const seen: Seen[] = [];
  let importCalls = 0;
  const state: { dropImport: CountingMock["dropImport"]; onRequest: CountingMock["onRequest"] } = {
    dropImport: undefined,
    onRequest: undefined,
  };
  const counted = Object.create(api) as typeof api;
  counted.fetch = async (request: Request) => {
    const url = new URL(request.url);
    let batch: string | undefined;
    let items: number | undefined;
    if (request.method === "POST" && url.pathname.endsWith("/import")) {
      const body = (await request
        .clone()
        .json()
        .catch(() => ({}))) as Record<string, unknown>;
      const kind = url.pathname.split("/").at(-2)!;
      const list = (body[kind] as { id?: string }[] | undefined) ?? [];
      batch = `${kind}:${list[0]?.id ?? ""}`;
      items = list.length;
    }
    const drop = batch !== undefined ? state.dropImport?.(importCalls++) : undefined;
    if (drop === "before") throw new MockNetworkError();
    const response = await api.fetch(request);
    seen.push({
      method: request.method,
      path: url.pathname,
      status: response.status,
      replayed: response.headers.get("idempotent-replayed") === "true",
      batch,
      items,
    });
    // The target acted, but the answer is lost: seen, and no onRequest (the client never hears of it).
    if (drop === "after") throw new MockNetworkError();
    await state.onRequest?.(seen.at(-1)!);
    return drop === "cut" ? await cutMidBody(response) : response;
  };
  const server = await startMockServer({ api: counted });
  const out = Object.assign(server, {
    seen,
    imports: () => seen.filter((s) => s.batch !== undefined && s.status === 200 && !s.replayed),
  }) as CountingMock;
  Object.defineProperty(out, "dropImport", {
    get: () => state.dropImport,
    set: (f: CountingMock["dropImport"]) => (state.dropImport = f),
  });
  Object.defineProperty(out, "onRequest", {
    get: () => state.onRequest,
    set: (f: CountingMock["onRequest"]) => (state.onRequest = f),
  });
  return out;
}

/**
 * The same answer, whose body stops half-way: the server adapter destroys the
 * socket when the body stream fails, after the status line and the first half
 * went out. Sent without a length (chunked), as a streamed or proxied answer is.
 */
async function cutMidBody(response: Response): Promise<Response> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  let sent = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(bytes.subarray(0, Math.floor(bytes.length / 2)));
        return;
      }
      // A beat, so the first half is written before the socket goes.
      await new Promise((resolve) => setTimeout(resolve, 20));
      controller.error(new MockNetworkError());
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/** The outcome of a CLI run. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link runCli}. */
export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  input?: string | Buffer;
  timeoutMs?: number;
}

/** Spawns the CLI. */
export function spawnCli(args: readonly string[], options: RunOptions = {}): ChildProcess {
  return spawn(CLI_COMMAND[0]!, [...CLI_COMMAND.slice(1), ...args], {
    cwd: options.cwd,
    env: {
      ...process.env,
      RESONANT_API_KEY: undefined,
      RESONANT_BASE_URL: undefined,
      RESONANT_LOG: undefined,
      // pnpm's .bin shims (vitest's among them) put the workspace's hoisted node_modules on NODE_PATH,
      // which would let any file anywhere import our packages; a user's `resonant` runs without it.
      NODE_PATH: undefined,
      ...options.env,
    } as NodeJS.ProcessEnv,
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** The CLI started (stdin closed): the process, its exit code once it ends, and its stderr so far. */
export function startCli(args: readonly string[], options: RunOptions = {}) {
  const child = spawnCli(args, options);
  child.stdin!.end();
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const ended = new Promise<number | null>((resolve) => child.on("close", resolve));
  return { child, ended, stderr: () => stderr };
}

/** Runs the CLI to its end. */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  const child = spawnCli(args, options);
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  child.stdin!.end(options.input ?? "");
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`resonant ${args.join(" ")} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A CLI bound to one mock and key (the env the user would set). */
export function cliFor(mock: MockServer, key = DEMO_API_KEY, cwd?: string) {
  return (args: readonly string[], options: RunOptions = {}) =>
    runCli(args, { cwd, ...options, env: { RESONANT_BASE_URL: mock.baseURL, RESONANT_API_KEY: key, ...options.env } });
}

/** `stderr` without its `warning:` lines. */
export const warningless = (stderr: string): string => stderr.replace(/^warning: .*\n/gm, "");

/**
 * Exports to `out` on API `version` as a server that misbehaves would answer: first with `misbehave(false)`, to
 * `plain-<out>` (which must succeed), then with `misbehave(true)` and no retry. Answers the second run.
 */
export async function exportPlainThenOdd(
  cli: ReturnType<typeof cliFor>,
  version: string,
  out: string,
  misbehave: (on: boolean) => void,
): Promise<Run> {
  misbehave(false);
  const plain = await cli(["--api-version", version, "export", "--out", `plain-${out}`]);
  expect(plain.code, plain.stderr).toBe(0);
  misbehave(true);
  return cli(["--api-version", version, "--max-retries", "0", "export", "--out", out]);
}

/** A fresh temporary directory, removed by the returned function. */
export async function tempDir(): Promise<{ dir: string; path: (name: string) => string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "resonant-test-"));
  return { dir, path: (name) => join(dir, name), remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A seeded counting mock, a temporary directory, the CLI bound to both (run there), and what closes them. */
export async function seededCli(seed: MockApiOptions["seed"]) {
  const mock = await startCountingMock({ seed });
  const tmp = await tempDir();
  const cli = cliFor(mock, DEMO_API_KEY, tmp.dir);
  const close = async () => {
    await mock.close();
    await tmp.remove();
  };
  return { mock, tmp, cli, close };
}

/** {@link seededCli}, and the account exported to `file` in its directory. */
export async function exportedAccount(seed: MockApiOptions["seed"], file: string) {
  const seeded = await seededCli(seed);
  const archive = seeded.tmp.path(file);
  const run = await seeded.cli(["export", "--out", archive]);
  if (run.code !== 0) throw new Error(`the setup export failed (exit ${run.code}): ${run.stderr}`);
  return { ...seeded, archive };
}

/** The account of `key` on `mock`, kind by kind, as the API exports it (without the export's time). */
export async function accountOn(mock: MockServer, key: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${mock.baseURL}/v1.2/data/export`, { headers: { authorization: `Bearer ${key}` } });
  const doc = (await res.json()) as Record<string, unknown>;
  delete doc.exported_at;
  return doc;
}

/** Parses `--json` output: one object per line. */
export function events(stdout: string): Record<string, unknown>[] {
  return stdout
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export { DEMO_API_KEY };

/**
 * Creates in the account of `key` a session the API takes (its body just under the 10 MiB limit) whose export record
 * (that body plus its id, times, status and steps) is past the limit; answers its id. The account needs an agent.
 */
export async function createOversizedSession(baseURL: string, key: string = DEMO_API_KEY): Promise<string> {
  const client = new ResonantClient({ apiKey: key, baseURL, logLevel: "off" });
  const agent = (await client.agents.list().toArray())[0]!;
  const blob = "x".repeat(MAX_BODY_BYTES - 150);
  return (await client.sessions.create({ agent_id: agent.id, goal: "g", context: { blob } })).id;
}

/** A test file's mock (seeded with `seed` and one {@link createOversizedSession}) on 127.0.0.1, and a temporary folder. */
export interface OversizedAccount {
  readonly api: MockApi;
  mock: MockServer;
  tmp: Awaited<ReturnType<typeof tempDir>>;
  /** The oversized session's id. */
  session: string;
}

/** Sets up an {@link OversizedAccount} before the file's tests and removes it after; read its members inside tests. */
export function useOversizedAccount(seed: SeedCounts): OversizedAccount {
  const account = { api: createMockApi({ seed, stepDelayMs: 1 }) } as OversizedAccount;
  beforeAll(async () => {
    account.mock = await startMockServer({ api: account.api });
    account.tmp = await tempDir();
    account.session = await createOversizedSession(account.mock.baseURL);
  });
  afterAll(async () => {
    await account.mock?.close();
    await account.tmp?.remove();
  });
  return account;
}

/**
 * Whether this machine lets a test make a device node in the temporary folder and use it: root, mknod allowed
 * (a container may drop CAP_MKNOD) and a folder not mounted nodev. A full device's write must say ENOSPC.
 */
export const canMakeDevices: boolean = (() => {
  if (process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(join(tmpdir(), "resonant-mknod-"));
  try {
    execFileSync("mknod", [join(dir, "full"), "c", "1", "7"], { stdio: "ignore" });
    writeFileSync(join(dir, "full"), "x");
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOSPC";
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();
