/**
 * `pnpm bench [--quick] [--build] [--only=latency,bundle,...]` (or `--only latency,...`): every figure of
 * issue 5 in one run, then the report (docs/benchmarks.md in a full run).
 *
 * Where `taskset` exists and there are two CPUs or more, this process re-runs
 * itself pinned to CPU 0 and the fixture server runs pinned to CPU 1, so
 * client and server never share an event loop or a core. --quick only checks
 * that every case runs (CI); its numbers mean nothing.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import os from "node:os";
import { createInterface } from "node:readline";
import { BENCH_DIR } from "./lib.mjs";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
// `--only=a,b` or `--only a,b` (the spaced form used to be ignored, running every case).
const onlyAt = args.findIndex((a) => a === "--only" || a.startsWith("--only="));
const only =
  onlyAt < 0 ? undefined : (args[onlyAt] === "--only" ? (args[onlyAt + 1] ?? "") : args[onlyAt].slice(7)).split(",");
const ROOT = `${BENCH_DIR}../`;
const hasTaskset = spawnSync("taskset", ["-V"]).status === 0;
const canPin = hasTaskset && os.cpus().length >= 2;

if (canPin && !process.env.BENCH_PINNED) {
  const child = spawnSync("taskset", ["-c", "0", process.execPath, ...process.execArgv, process.argv[1], ...args], {
    stdio: "inherit",
    env: { ...process.env, BENCH_PINNED: "1" },
  });
  process.exit(child.status ?? 1);
}

// The shipped build is what users get: measure dist, building it when missing (or on --build).
const missing = ["schemas", "mock", "sdk", "cli"].filter((p) => !existsSync(`${ROOT}packages/${p}/dist/index.js`));
if (missing.length > 0 || args.includes("--build")) {
  console.log(`building packages (${missing.length ? `no dist: ${missing.join(", ")}` : "--build"})...`);
  const built = spawnSync("pnpm", ["-r", "--filter", "./packages/*", "run", "build"], { cwd: ROOT, stdio: "inherit" });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const started = new Date();
// If someone rebuilds dist mid-run, in-process cases and child processes measure different builds: the report says so.
const distBuilt = statSync(`${ROOT}packages/sdk/dist/index.js`).mtimeMs;
const loadStart = os.loadavg();
const pinning = canPin
  ? "client (this process and its children) on CPU 0, fixture server on CPU 1 (taskset)"
  : `none (${hasTaskset ? "fewer than 2 CPUs" : "no taskset"}): client and server share the machine's cores`;

async function startFixture() {
  const cmd = canPin
    ? ["taskset", ["-c", "1", process.execPath, `${BENCH_DIR}fixture-server.mjs`]]
    : [process.execPath, [`${BENCH_DIR}fixture-server.mjs`]];
  const child = spawn(cmd[0], cmd[1], { cwd: BENCH_DIR, stdio: ["pipe", "pipe", "inherit"] });
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`fixture server exited (${code}) before it was ready`)));
  });
  return { child, info: JSON.parse(line) };
}

const fixture = await startFixture();
// Closing its stdin ends the fixture server; also on our own crash or Ctrl-C.
const stopFixture = () => fixture.child.stdin.end();
process.once("exit", stopFixture);
process.once("SIGINT", () => process.exit(130));

const { makeContenders } = await import("./contenders.mjs");
const contenders = makeContenders(fixture.info);
const ctx = { quick, fixture: fixture.info, contenders };
// Order: the in-process HTTP cases first, while the machine is freshest; the heavy children last.
const CASES = ["latency", "throughput", "validation", "sync", "cold", "bundle", "export", "cli", "migrate"];
const results = [];
let failed = false;
for (const name of CASES) {
  if (only && !only.includes(name)) continue;
  const t0 = performance.now();
  process.stdout.write(`running ${name}... `);
  try {
    const { run } = await import(`./cases/${name}.mjs`);
    results.push(await run(ctx));
  } catch (error) {
    failed = true;
    results.push({
      id: name,
      title: name,
      error: String(error?.stack ?? error)
        .split("\n")
        .slice(0, 3)
        .join(" "),
      targets: [],
    });
  }
  process.stdout.write(`${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

const { report } = await import("./report.mjs");
report(results, { quick, partial: only !== undefined, started, loadStart, pinning, distBuilt });
stopFixture();
// Pooled keep-alive sockets and the SyncClient worker would hold the loop open.
process.exit(failed ? 1 : 0);
