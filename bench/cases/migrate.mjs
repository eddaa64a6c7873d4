/**
 * Issue 17's figure: `resonant migrate up` of a migration that updates
 * 10,000 and 100,000 agents (reading them, planning, journaling each write
 * with the plan fsync'd first, PATCHing at --concurrency 8, recording the
 * ledger), beside the floor: raw fetch PATCH calls, as many, as many in
 * flight, against the same server (migrate-server.mjs, its own process, on
 * CPU 1 when run.mjs pins itself to CPU 0).
 * Targets: at least 0.8x the floor's objects per second, and peak RSS flat
 * (under 150 MB at 100,000).
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { BENCH_DIR, lastJson, mb, median, runNode, target, x } from "../lib.mjs";

const CONCURRENCY = 8;

async function startServer() {
  // As run.mjs does with the fixture: when it pinned itself (and so this case and its children) to CPU 0, the
  // server goes to CPU 1, so the figure measures the client; sharing CPU 0, the server's own work was counted in.
  const server = [process.execPath, `${BENCH_DIR}cases/migrate-server.mjs`];
  const [cmd, ...args] = process.env.BENCH_PINNED ? ["taskset", "-c", "1", ...server] : server;
  const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "inherit"] });
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`the migrate server exited (${code}) before it was ready`)));
  });
  return { url: JSON.parse(line).url, stop: () => child.stdin.end() };
}

export async function run({ quick }) {
  const sizes = quick
    ? [[2_000, 1]]
    : [
        [10_000, 2],
        [100_000, 1],
      ];
  const server = await startServer();
  const dir = join(tmpdir(), `resonant-bench-migrate-${process.pid}`);
  const rows = [];
  const got = {};
  try {
    for (const [agents, reps] of sizes) {
      // The two modes alternate within each repeat, so the command and its floor see the same state of the machine.
      const runs = { "fetch-patch": [], migrate: [] };
      for (let r = 0; r < reps; r++)
        for (const mode of Object.keys(runs))
          runs[mode].push(
            lastJson(
              runNode(
                [`${BENCH_DIR}cases/migrate-child.mjs`, mode, String(agents), server.url, String(CONCURRENCY), dir],
                { timeout: 600_000 },
              ),
            ),
          );
      for (const [mode, list] of Object.entries(runs)) {
        const failed = list.find((o) => o.error);
        const ok = list.filter((o) => !o.error);
        const wall = median(ok.map((o) => o.wall));
        const rss = Math.max(...ok.map((o) => o.peakRss));
        got[`${mode}@${agents}`] = { wall, rss, failed };
        rows.push([
          agents.toLocaleString("en"),
          mode === "migrate" ? "resonant migrate up (journal on)" : `floor: raw fetch PATCH, ${CONCURRENCY} in flight`,
          failed ? `failed: ${failed.error}` : `${(wall / 1000).toFixed(2)} s`,
          failed ? "" : mb(rss),
          failed ? "" : `${((agents / wall) * 1000).toFixed(0)} objects/s`,
        ]);
      }
    }
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const big = sizes.at(-1)[0];
  const small = sizes[0][0];
  const a = got[`migrate@${big}`];
  const b = got[`fetch-patch@${big}`];
  const ratio = b.wall / a.wall;
  const targets = [
    target(
      `issue 17: resonant migrate >= 0.8x the floor's objects/s (${big.toLocaleString("en")} agents)`,
      `${x(ratio)} (${((big / a.wall) * 1000).toFixed(0)} against ${((big / b.wall) * 1000).toFixed(0)} objects/s)`,
      a.failed ? false : ratio >= 0.8,
    ),
  ];
  if (quick)
    targets.push(
      target("issue 17: resonant migrate peak RSS flat, 100,000 agents < 150 MB", "not measured (--quick)", null),
    );
  else {
    const s = got[`migrate@${small}`];
    targets.push(
      target(
        "issue 17: resonant migrate peak RSS flat, 100,000 agents < 150 MB",
        `${mb(s.rss)} at 10k, ${mb(a.rss)} at 100k (floor ${mb(b.rss)})`,
        !a.failed && a.rss < 150 && a.rss <= s.rss * 1.5,
      ),
    );
  }
  return {
    id: "migrate",
    title: `17. resonant migrate up (child processes; --concurrency ${CONCURRENCY}; wall of the run, peak RSS of the whole process)`,
    header: ["agents", "how", "wall (median)", "peak RSS", "rate"],
    rows,
    targets,
  };
}
