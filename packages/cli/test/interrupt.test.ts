/**
 * Ctrl-C and kill, as a user sends them to the real process: the run stops
 * at once with 128 + the signal's number, leaves no half-written file beside
 * its target, gives a terminal its cursor back, and says how to carry on.
 * The upstream stalls on purpose (an export that never ends, an import batch
 * that is never answered), so the signal lands mid-run every time.
 */
import { once } from "node:events";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { ResonantClient } from "@resonantgenesis/sdk";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  accountOn,
  cliFor,
  DEMO_API_KEY,
  runCli,
  spawnCli,
  startCountingMock,
  tempDir,
  type CountingMock,
} from "./helpers.js";
import { migrationSource, MODEL_RENAME, snapshot, writeMigrations } from "./migrate-helpers.js";
import { hasTmux, terminal } from "./terminal-helpers.js";

let mock: CountingMock;
let tmp: Awaited<ReturnType<typeof tempDir>>;
let lines: string[];
const servers: Server[] = [];

beforeAll(async () => {
  mock = await startCountingMock({ seed: { tools: 2, agents: 40, memories: 20 } });
  tmp = await tempDir();
  const res = await fetch(`${mock.baseURL}/v1.2/data/export`, {
    headers: { authorization: `Bearer ${DEMO_API_KEY}`, accept: "application/x-ndjson" },
  });
  lines = (await res.text()).split("\n").filter((line) => line !== "" && !line.startsWith('{"kind":"end"'));
});
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
  for (const name of await readdir(tmp.dir)) await rm(tmp.path(name), { recursive: true });
});
afterAll(async () => {
  await mock.close();
  await tmp.remove();
});

/** Starts `handler` on loopback; answers its API base URL. */
async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
}

/** An API whose export sends the account's records but its end, then holds the stream open. */
const stallingExport = () =>
  serve((req, res) => {
    if (!req.url?.includes("/data/export")) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/x-ndjson" });
    res.write(`${lines.join("\n")}\n`);
  });

/** Resolves once `predicate` holds, polling. */
async function until(predicate: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never: ${what}`);
}

/** Runs the CLI until `ready`, sends `signal`, and answers how it ended. */
async function interrupt(args: string[], baseURL: string, ready: () => Promise<boolean>, signal: NodeJS.Signals) {
  const child = spawnCli(args, { cwd: tmp.dir, env: { RESONANT_BASE_URL: baseURL, RESONANT_API_KEY: DEMO_API_KEY } });
  let stderr = "";
  let stdout = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  const closed = once(child, "close");
  await until(ready, `resonant ${args.join(" ")} got under way (stderr: ${stderr})`);
  child.kill(signal);
  const [code] = (await closed) as [number | null];
  return { code, stderr, stdout };
}

const partialOf = async (name: string) => (await readdir(tmp.dir)).some((f) => f.startsWith(`.${name}.`));

describe("an interrupted export", () => {
  it("on Ctrl-C removes its unfinished file, leaves the target absent and exits 130", async () => {
    const baseURL = await stallingExport();
    const run = await interrupt(["export", "--out", "big.json"], baseURL, () => partialOf("big.json"), "SIGINT");
    expect(run.code).toBe(130);
    expect(await readdir(tmp.dir)).toEqual([]);
    expect(run.stderr).toContain("resonant: interrupted (SIGINT); --out big.json was not written");
  });

  it("on SIGTERM does the same with 143, and with --json says so as an error event", async () => {
    const baseURL = await stallingExport();
    const args = ["export", "--out", "big.ndjson", "--json"];
    const run = await interrupt(args, baseURL, () => partialOf("big.ndjson"), "SIGTERM");
    expect(run.code).toBe(143);
    expect(await readdir(tmp.dir)).toEqual([]);
    const last = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
    expect(last).toMatchObject({ event: "error", exit_code: 143 });
    expect(last.message).toBe("interrupted (SIGTERM); --out big.ndjson was not written");
  });

  it("on SIGHUP (its terminal closed) does the same with 129, and the archive already at the name stays as it was", async () => {
    const baseURL = await stallingExport();
    const earlier = '{"an earlier":"archive"}\n';
    await writeFile(tmp.path("big.json"), earlier);
    const run = await interrupt(["export", "--out", "big.json"], baseURL, () => partialOf("big.json"), "SIGHUP");
    expect(run.code).toBe(129);
    expect(await readdir(tmp.dir)).toEqual(["big.json"]);
    expect(await readFile(tmp.path("big.json"), "utf8")).toBe(earlier);
    expect(run.stderr).toContain("resonant: interrupted (SIGHUP); --out big.json was not written");
  });
});

describe("an interrupted import", () => {
  it("keeps its checkpoint, says to resume, and the resumed run brings in every record once", async () => {
    const archive = tmp.path("backup.json");
    expect((await cliFor(mock, DEMO_API_KEY, tmp.dir)(["export", "--out", archive])).code).toBe(0);
    const target = mock.api.createAccount().key;
    // Passes everything to the mock but holds the second import batch unanswered.
    let imports = 0;
    const upstream = new URL(mock.baseURL);
    const baseURL = await serve((req, res) => {
      if (req.method === "POST" && req.url?.endsWith("/import") && ++imports === 2) return;
      const out = request({
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      });
      out.on("response", (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      });
      req.pipe(out);
    });
    const args = ["import", archive, "--batch-size", "5"];
    const child = spawnCli(args, { cwd: tmp.dir, env: { RESONANT_BASE_URL: baseURL, RESONANT_API_KEY: target } });
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const closed = once(child, "close");
    await until(() => imports === 2 && readdir(tmp.dir).then((f) => f.includes("backup.json.checkpoint")), "batch 2");
    child.kill("SIGINT");
    expect((await closed)[0]).toBe(130);
    expect(stderr).toContain(`run the same command with --resume to carry on (checkpoint ${archive}.checkpoint)`);

    // Through the same proxy (the checkpoint names its target), which now passes every batch.
    const env = { RESONANT_BASE_URL: baseURL, RESONANT_API_KEY: target };
    const resumed = await runCli([...args, "--resume"], { cwd: tmp.dir, env });
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    expect(await accountOn(mock, target)).toEqual(await accountOn(mock, DEMO_API_KEY));
  });
});

describe("private temporary copies of the account's data", () => {
  const system = () => tmp.path("system-tmp"); // the child's TMPDIR, so its leftovers can be counted
  const ours = async () => (await readdir(system())).filter((name) => name.startsWith("resonant-")); // tsx keeps a cache there too
  const envWith = async (key = DEMO_API_KEY) => {
    await mkdir(system());
    return { RESONANT_BASE_URL: mock.baseURL, RESONANT_API_KEY: key, TMPDIR: system() };
  };

  it("an archive from standard input: an interrupt removes its copy with the rest", async () => {
    const child = spawnCli(["import", "-", "--dry-run"], { cwd: tmp.dir, env: await envWith() });
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const closed = once(child, "close");
    child.stdin!.write(`${lines.slice(0, 20).join("\n")}\n`); // and the pipe stays open: still copying
    const copy = async () => {
      const [dir] = await ours();
      return dir !== undefined && ((await stat(join(system(), dir, "archive")).catch(() => undefined))?.size ?? 0) > 0;
    };
    await until(copy, "the copy of standard input began");
    child.kill("SIGINT");
    expect((await closed)[0]).toBe(130);
    expect(stderr).toContain("resonant: interrupted (SIGINT)");
    expect(await ours()).toEqual([]);
  });

  it("migrate test: an interrupt removes the journals of its copy", async () => {
    const { key } = mock.api.createAccount();
    mock.api.seed({ agents: 3 }, { key });
    const slow = MODEL_RENAME.replace(
      "async up(ctx) {",
      "async up(ctx) { await new Promise((r) => setTimeout(r, 60_000));",
    );
    await writeMigrations(tmp.path("migrations"), { "0001_a1.mjs": slow });
    const child = spawnCli(["migrate", "test"], { cwd: tmp.dir, env: await envWith(key) });
    child.stdout!.resume();
    child.stderr!.resume();
    const closed = once(child, "close");
    await until(async () => (await ours()).length > 0, "migrate test made its work folder");
    child.kill("SIGINT");
    expect((await closed)[0]).toBe(130);
    expect(await ours()).toEqual([]);
  });

  it("migrate test: an interrupt once a plan is in its copy's journal does not say to --resume", async () => {
    const { key } = mock.api.createAccount();
    mock.api.seed({ agents: 600 }, { key });
    const every = migrationSource({
      revision: "a1",
      downRevision: null,
      up: `await ctx.update("agents", { set: { "metadata.touched": "yes" } });`,
    });
    await writeMigrations(tmp.path("migrations"), { "0001_a1.mjs": every });
    const child = spawnCli(["migrate", "test"], { cwd: tmp.dir, env: await envWith(key) });
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.stdout!.resume();
    const closed = once(child, "close");
    const planned = async () => {
      const [dir] = await ours();
      const journal = dir && (await readFile(join(system(), dir, ".journal", "a1.up.ndjson"), "utf8").catch(() => ""));
      return Boolean(journal?.includes('"t":"planned"'));
    };
    await until(planned, "migrate test planned a1 on its copy");
    // The plan is synced before the note is registered: a beat, well within the 600 writes that follow.
    await new Promise((r) => setTimeout(r, 100));
    child.kill("SIGINT");
    expect((await closed)[0]).toBe(130);
    expect(stderr).toContain(
      "resonant: interrupted (SIGINT); the run was on migrate test's copy (the account was not written to; the copy and its journals are gone): run `resonant migrate test` again",
    );
    expect(stderr).not.toContain("--resume");
    expect(await ours()).toEqual([]);
  });
});

describe("an interrupted migration", () => {
  it("says to carry on with --resume, and the resumed run finishes it", async () => {
    const { key } = mock.api.createAccount();
    mock.api.seed({ agents: 10 }, { key });
    await writeMigrations(tmp.path("migrations"), { "0001_a1.mjs": MODEL_RENAME });
    const before = await snapshot(mock, key);
    const env = { RESONANT_BASE_URL: mock.baseURL, RESONANT_API_KEY: key };
    const child = spawnCli(["migrate", "up", "--yes"], { cwd: tmp.dir, env });
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.stdout!.resume();
    let patches = 0;
    mock.onRequest = (seen) => {
      if (seen.method === "PATCH" && ++patches === 2) child.kill("SIGINT");
    };
    const [code] = (await once(child, "close")) as [number | null];
    mock.onRequest = undefined;
    expect(code).toBe(130);
    expect(stderr).toContain("resonant: interrupted (SIGINT); carry on with `resonant migrate up --resume`");

    const resumed = await runCli(["migrate", "up", "--yes", "--resume"], { cwd: tmp.dir, env });
    expect(resumed.code, resumed.stderr).toBe(0);
    const after = await snapshot(mock, key);
    expect(after.agents).toEqual(
      before.agents!.map((a) => ({ ...a, model: a.model === "gpt-4-turbo" ? "gpt-4.1" : a.model })),
    );
  });
});

describe.skipIf(!hasTmux)("Ctrl-C on a terminal", () => {
  it("at restore's question ends the run as anywhere else: exit 130, nothing changed", async () => {
    const archive = tmp.path("backup.json");
    expect((await cliFor(mock, DEMO_API_KEY, tmp.dir)(["export", "--out", archive])).code).toBe(0);
    const client = new ResonantClient({ apiKey: DEMO_API_KEY, baseURL: mock.baseURL });
    const [agent] = (await client.agents.list()).data;
    await client.agents.update(agent!.id, { name: "renamed since the backup" });
    const term = terminal("resonant-interrupt-ask", { dir: tmp.dir, baseURL: mock.baseURL });
    try {
      await term.run("restore", ["restore", archive], DEMO_API_KEY, /Go on\? \[y\/N\]/);
      term.keys("restore", "C-c");
      const screen = await term.screen("restore", /EXIT:\d+/);
      expect(screen).toMatch(/EXIT:130/);
      expect(screen).toContain("resonant: interrupted (SIGINT)");
      expect((await client.agents.get(agent!.id)).name).toBe("renamed since the backup");
    } finally {
      term.close();
    }
  });

  it("`-` at a terminal is refused at once instead of waiting for an archive nobody types", async () => {
    const term = terminal("resonant-stdin-tty", { dir: tmp.dir, baseURL: mock.baseURL });
    try {
      const screen = await term.run("import", ["import", "-"], DEMO_API_KEY, /EXIT:\d+/);
      expect(screen).toMatch(/EXIT:1\b/);
      expect(screen.replace(/\s+/g, " ")).toContain(
        "resonant: -: standard input is a terminal: pipe an archive in (`resonant export | resonant import -`) or name a file",
      );
    } finally {
      term.close();
    }
  });

  it("gives the shell its cursor back after the progress bars hid it", async () => {
    const term = terminal("resonant-interrupt", { dir: tmp.dir, baseURL: await stallingExport() });
    try {
      await term.run("export", ["export", "--out", "tty.json"], DEMO_API_KEY, /memories\s+\d+ records/);
      expect(term.cursorShown("export")).toBe(false); // the bars hide it while they draw
      term.keys("export", "C-c");
      const screen = await term.screen("export", /EXIT:\d+/);
      expect(screen).toMatch(/EXIT:130/);
      expect(screen).toContain("resonant: interrupted (SIGINT)");
      expect(term.cursorShown("export")).toBe(true);
    } finally {
      term.close();
    }
  });
});
