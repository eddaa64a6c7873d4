/**
 * The soak (not in CI): `resonant copy` of N records (default 1,000,000, half
 * agents, half memories) through the fault proxy, SIGKILLed three times at
 * random batches and carried on with --resume (and again after any run that
 * gives up on a fault), then checked against the mock itself: the target's
 * export equals the source's line for line, and each import batch was
 * carried out once. Prints the wall time, the faults injected (each one a
 * retry the CLI had to make), the peak RSS of every CLI process and the result.
 *
 *   pnpm soak [--records N] [--kills K] [--rate R]    (FAULT_SEED=<seed> replays the faults)
 *
 * Runs the built CLI (packages/cli/dist: `pnpm build` first); with --source,
 * the CLI from its TypeScript sources instead.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DEMO_API_KEY } from "@resonantgenesis/mock";
import { startCountingMock } from "../packages/cli/test/helpers.ts";
import { FAULT_KINDS, prng, seedFromEnv, startFaultProxy } from "../packages/cli/test/fault/proxy.ts";

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  if (i === -1) return fallback;
  const n = Number(args[i + 1]);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} ${args[i + 1]}: expected a whole number`);
  return n;
};
const RECORDS = flag("--records", 1_000_000);
const KILLS = flag("--kills", 3);
/** Each kind's chance per request, in thousandths (default 2: 1.6% of requests meet a fault). */
const RATE = flag("--rate", 2) / 1000;
const BATCH = 1000;
const TIMEOUT_S = 5;
const FROM_SOURCE = args.includes("--source");
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const seed = seedFromEnv();
const random = prng(seed ^ 0xc0ffee);

const log = (line) => process.stderr.write(`soak: ${line}\n`);
const started = performance.now();
const mock = await startCountingMock({ seed: { agents: Math.ceil(RECORDS / 2), memories: Math.floor(RECORDS / 2) } });
log(`seeded ${RECORDS.toLocaleString("en")} records in ${((performance.now() - started) / 1000).toFixed(1)} s`);
const proxy = await startFaultProxy({
  target: mock.url,
  seed,
  holdMs: TIMEOUT_S * 1000 + 1000,
  rates: Object.fromEntries(FAULT_KINDS.map((k) => [k, RATE])),
  log,
});
const dir = await mkdtemp(join(tmpdir(), "resonant-soak-"));
const checkpoint = join(dir, "copy.checkpoint");
const target = mock.api.createAccount().key;

/** Peak RSS of a running process, from the kernel's high-water mark (VmHWM), in bytes. */
function peakRss(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Batches the checkpoint says were acknowledged (0 before it exists). */
function batchesDone() {
  try {
    return JSON.parse(readFileSync(checkpoint, "utf8")).batches ?? 0;
  } catch {
    return 0;
  }
}

/** One `resonant copy` process; killed with SIGKILL once the checkpoint passes `killAt` batches. */
function copy(resume, killAt) {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  const bin = FROM_SOURCE
    ? ["--conditions=@resonantgenesis/source", "--import", tsx, join(ROOT, "packages/cli/src/bin.ts")]
    : [join(ROOT, "packages/cli/dist/bin.js")];
  const cli = [
    "--timeout",
    String(TIMEOUT_S),
    "copy",
    "--to-key",
    target,
    "--batch-size",
    String(BATCH),
    "--checkpoint",
    checkpoint,
    "--quiet",
    ...(resume ? ["--resume"] : []),
  ];
  const child = spawn(process.execPath, [...bin, ...cli], {
    cwd: dir,
    env: { ...process.env, RESONANT_BASE_URL: proxy.baseURL, RESONANT_API_KEY: DEMO_API_KEY },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const run = { resume, killAt, killed: false, peak: 0, warnings: 0, lastError: "", code: null };
  createInterface({ input: child.stderr }).on("line", (line) => {
    if (/retrying$/.test(line)) run.warnings++;
    else if (line.startsWith("resonant:") || line.includes("Error")) run.lastError = line;
  });
  const watch = setInterval(() => {
    run.peak = Math.max(run.peak, peakRss(child.pid));
    if (killAt !== undefined && !run.killed && batchesDone() >= killAt) {
      run.killed = true;
      child.kill("SIGKILL");
    }
  }, 100);
  return new Promise((resolve) => {
    child.once("exit", (code) => {
      clearInterval(watch);
      run.code = code;
      resolve(run);
    });
  });
}

// Kill points: distinct batch counts drawn from the run, in order.
const totalBatches = Math.ceil(Math.ceil(RECORDS / 2) / BATCH) + Math.ceil(Math.floor(RECORDS / 2) / BATCH);
const killAt = [
  ...new Set(Array.from({ length: KILLS }, () => 1 + Math.floor(random() * Math.max(totalBatches - 2, 1)))),
].sort((a, b) => a - b);
log(`${totalBatches} batches; SIGKILL after batches ${killAt.join(", ")}`);

const copyStarted = performance.now();
const runs = [];
for (let attempt = 0; attempt < KILLS + 20; attempt++) {
  const run = await copy(attempt > 0, killAt[runs.filter((r) => r.killed).length]);
  runs.push(run);
  log(
    `run ${runs.length}${run.resume ? " (--resume)" : ""}: ${run.killed ? "SIGKILL" : `exit ${run.code}`}, peak RSS ${(run.peak / 2 ** 20).toFixed(0)} MB, ${run.warnings} retries${run.code && !run.killed ? `: ${run.lastError}` : ""}`,
  );
  if (run.code === 0) break;
}
const copySeconds = (performance.now() - copyStarted) / 1000;

/** The account's NDJSON export from the mock itself: a hash of its record lines, their count, and the end line's counts. */
async function digest(key) {
  const res = await fetch(`${mock.baseURL}/v1.2/data/export`, {
    headers: { authorization: `Bearer ${key}`, accept: "application/x-ndjson" },
  });
  const hash = createHash("sha256");
  let lines = 0;
  let counts;
  for await (const line of createInterface({ input: Readable.fromWeb(res.body), crlfDelay: Infinity })) {
    if (line.startsWith('{"kind":"end"')) counts = JSON.parse(line).counts;
    else if (line) {
      hash.update(line);
      lines++;
    }
  }
  return { sha256: hash.digest("hex"), lines, counts };
}

const [source, copied] = [await digest(DEMO_API_KEY), await digest(target)];
const carried = new Map();
for (const s of mock.imports()) carried.set(s.batch, (carried.get(s.batch) ?? 0) + 1);
const twice = [...carried.values()].filter((n) => n > 1).length;
const items = mock.imports().reduce((a, s) => a + (s.items ?? 0), 0);
const ok =
  runs.at(-1).code === 0 &&
  source.sha256 === copied.sha256 &&
  source.lines === RECORDS &&
  copied.lines === RECORDS &&
  twice === 0 &&
  items === RECORDS;
const summary = {
  records: RECORDS,
  fault_seed: seed,
  copy_seconds: Number(copySeconds.toFixed(1)),
  records_per_second: Math.round(RECORDS / copySeconds),
  processes: runs.length,
  sigkills: runs.filter((r) => r.killed).length,
  gave_up: runs.filter((r) => !r.killed && r.code !== 0).length,
  faults_injected: proxy.counts,
  retries_reported: runs.reduce((a, r) => a + r.warnings, 0),
  peak_rss_mb: runs.map((r) => Math.round(r.peak / 2 ** 20)),
  batches_carried_out_twice: twice,
  items_carried_out: items,
  source_lines: source.lines,
  target_lines: copied.lines,
  equal: source.sha256 === copied.sha256,
  result: ok ? "ok" : "FAILED",
};
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
await proxy.close();
await mock.close();
rmSync(dir, { recursive: true, force: true });
process.exit(ok ? 0 : 1);
