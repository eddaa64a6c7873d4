/**
 * Issue 11's figure: `resonant export` to a file and `resonant copy` of 10k,
 * 100k and 1M records (half agents, half memories), records per second and
 * peak RSS, each in a fresh child process, beside the floor: the SDK's
 * exportStream into nothing, and raw fetch POSTs of the same 1,000-item
 * batches. The copy's target is a sink (cli-sink.mjs, its own process) that
 * answers every import at once, so the figure is the CLI's own cost.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BENCH_DIR, flatRssTarget, lastJson, mb, median, runNode, target, x } from "../lib.mjs";

/** Starts cli-sink.mjs in its own process; closing its stdin ends it. */
async function startSink() {
  const child = spawn(process.execPath, [`${BENCH_DIR}cases/cli-sink.mjs`], { stdio: ["pipe", "pipe", "inherit"] });
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`the sink exited (${code}) before it was ready`)));
  });
  return { url: JSON.parse(line).url, stop: () => child.stdin.end() };
}

const MODES = ["exportStream", "export", "fetch-posts", "copy"];

export async function run({ fixture, quick }) {
  const sizes = quick
    ? [[10_000, 1]]
    : [
        [10_000, 3],
        [100_000, 2],
        [1_000_000, 1],
      ];
  const sink = await startSink();
  const out = join(tmpdir(), `resonant-bench-${process.pid}.json`);
  const rows = [];
  const got = {};
  try {
    for (const [records, reps] of sizes) {
      for (const mode of MODES) {
        const runs = [];
        for (let r = 0; r < reps; r++)
          runs.push(
            lastJson(
              runNode([`${BENCH_DIR}cases/cli-child.mjs`, mode, String(records), fixture.url, sink.url, out], {
                timeout: 600_000,
              }),
            ),
          );
        const failed = runs.find((o) => o.error);
        const wall = median(runs.filter((o) => !o.error).map((o) => o.wall));
        const rss = Math.max(...runs.filter((o) => !o.error).map((o) => o.peakRss));
        got[`${mode}@${records}`] = { wall, rss, failed };
        rows.push([
          records.toLocaleString("en"),
          {
            exportStream: "floor: SDK exportStream -> nothing",
            export: "resonant export -> file",
            "fetch-posts": "floor: exportStream + raw fetch POSTs",
            copy: "resonant copy",
          }[mode],
          failed ? `failed: ${failed.error}` : `${(wall / 1000).toFixed(2)} s`,
          failed ? "" : mb(rss),
          failed ? "" : `${((records / wall) * 1000).toFixed(0)} rec/s`,
        ]);
      }
    }
  } finally {
    sink.stop();
    rmSync(out, { force: true });
  }
  const targets = [];
  for (const [records] of sizes) {
    for (const [mine, floor] of [
      ["export", "exportStream"],
      ["copy", "fetch-posts"],
    ]) {
      const a = got[`${mine}@${records}`];
      const b = got[`${floor}@${records}`];
      const ratio = b.wall / a.wall;
      targets.push(
        target(
          `11. resonant ${mine} >= 0.8x the floor's records/s (${records.toLocaleString("en")} records)`,
          x(ratio),
          a.failed ? false : ratio >= 0.8,
        ),
      );
    }
  }
  const small = sizes[0][0];
  const big = sizes.at(-1)[0];
  for (const mode of ["export", "copy"]) {
    targets.push(
      flatRssTarget(
        `11. resonant ${mode} peak RSS flat, 1M records < 150 MB`,
        got[`${mode}@${small}`],
        got[`${mode}@${big}`],
        quick,
      ),
    );
  }
  return {
    id: "cli",
    title: "11. resonant export and copy (child processes; wall of the run, peak RSS of the whole process)",
    header: ["records", "how", "wall (median)", "peak RSS", "rate"],
    rows,
    targets,
  };
}
