/** Small helpers shared by the cases: statistics, timing, child processes. */
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

export const BENCH_DIR = fileURLToPath(new URL(".", import.meta.url));

export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
export const median = (values) => quantile(values, 0.5);

/** Rotate the order each round, so no contender always runs first (warm caches) or last (after everyone's garbage). */
export const rotated = (list, round) => list.map((_, i) => list[(i + round) % list.length]);

/** CPU time (user + system) of this process in ms, all threads. */
export const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Run `node args...` to completion in bench/ (inheriting our CPU pin); returns its wall time in ms, stdout and status. */
export function runNode(args, { env, timeout = 300_000 } = {}) {
  const start = performance.now();
  const child = spawnSync(process.execPath, args, {
    cwd: BENCH_DIR,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout,
    maxBuffer: 16 << 20,
  });
  const wall = performance.now() - start;
  return {
    wall,
    stdout: child.stdout ?? "",
    stderr: child.stderr ?? "",
    status: child.status,
    signal: child.signal,
    error: child.error,
  };
}

/** The last JSON line a child printed, or an error naming why there is none. */
export function lastJson(result) {
  const line = result.stdout.trim().split("\n").pop();
  try {
    return JSON.parse(line);
  } catch {
    const why = result.error?.message ?? result.signal ?? `exit ${result.status}`;
    return {
      error: `${why}: ${(result.stderr || result.stdout).trim().split("\n").slice(-3).join(" | ").slice(0, 300)}`,
    };
  }
}

/** A target line: what, the value shown, and whether it is met (null: not measured). */
export const target = (name, shown, met) => ({ name, shown, met });

export const ms = (v, digits = 3) => (Number.isFinite(v) ? `${v.toFixed(digits)} ms` : "n/a");
export const x = (v) => (Number.isFinite(v) ? `${v.toFixed(2)}x` : "n/a");
export const mb = (v) => (Number.isFinite(v) ? `${v.toFixed(0)} MB` : "n/a");

/**
 * A "peak RSS flat, 1M records < 150 MB" target from the runs at the smallest
 * and the largest size: under 150 MB, and at most 1.5x the small run's.
 */
export function flatRssTarget(name, small, big, quick) {
  if (quick) return target(name, "not measured (--quick)", null);
  return target(
    name,
    `${mb(small.rss)} at 10k, ${mb(big.rss)} at 1M`,
    !big.failed && big.rss < 150 && big.rss <= small.rss * 1.5,
  );
}

/**
 * Starts a bench server on 127.0.0.1 with idle timeouts long enough that a pooled socket is never closed
 * between two cases; answers its URL.
 */
export async function listenOnLoopback(server) {
  server.keepAliveTimeout = 600_000;
  server.headersTimeout = 601_000;
  server.requestTimeout = 0;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${server.address().port}`;
}

/** Tells the parent what a server child serves (one JSON line), then lives until the parent closes stdin, so no orphan survives it. */
export function announceAndWait(fields) {
  process.stdout.write(`${JSON.stringify(fields)}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => process.exit(0));
}
