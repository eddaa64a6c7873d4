/**
 * Figure 6 (and the second half of 5): exportAll and exportStream on accounts
 * of 10k, 100k and 1M records (half agents, half memories), each run in a
 * fresh child process for a clean peak RSS. The fixture generates the archive
 * and the NDJSON stream lazily. fetch + JSON.parse of the same archive is the
 * floor exportAll is held to.
 */
import { BENCH_DIR, flatRssTarget, lastJson, mb, median, runNode, target, x } from "../lib.mjs";

const MODES = ["fetch+JSON.parse", "exportAll", "exportAll-novalidate", "exportStream"];

export async function run({ fixture, quick }) {
  // Fewer repeats as accounts grow: a 1M-record run takes tens of seconds per mode.
  const sizes = quick
    ? [[10_000, 1]]
    : [
        [10_000, 3],
        [100_000, 2],
        [1_000_000, 1],
      ];
  const rows = [];
  const got = {};
  for (const [records, reps] of sizes) {
    const runs = Object.fromEntries(MODES.map((m) => [m, []]));
    for (let r = 0; r < reps; r++) {
      for (const mode of MODES) {
        const out = lastJson(
          runNode([`${BENCH_DIR}cases/export-child.mjs`, mode, String(records), fixture.url], { timeout: 240_000 }),
        );
        runs[mode].push(out);
      }
    }
    for (const mode of MODES) {
      const failed = runs[mode].find((o) => o.error);
      const wall = median(runs[mode].filter((o) => !o.error).map((o) => o.wall));
      const rss = Math.max(...runs[mode].filter((o) => !o.error).map((o) => o.peakRss));
      got[`${mode}@${records}`] = { wall, rss, failed };
      rows.push([
        records.toLocaleString("en"),
        mode === "exportAll-novalidate" ? "exportAll (validation off)" : mode,
        failed ? `failed: ${failed.error}` : `${(wall / 1000).toFixed(2)} s`,
        failed ? "" : mb(rss),
        failed ? "" : `${((records / wall) * 1000).toFixed(0)} rec/s`,
      ]);
    }
  }
  const targets = [];
  for (const [records] of sizes) {
    const all = got[`exportAll@${records}`];
    const floor = got[`fetch+JSON.parse@${records}`];
    const ratio = all.wall / floor.wall;
    targets.push(
      target(
        `issue 5: exportAll <= 2x fetch + JSON.parse (${records.toLocaleString("en")} records)`,
        x(ratio),
        all.failed ? false : ratio <= 2,
      ),
    );
  }
  const small = got[`exportStream@${sizes[0][0]}`];
  const big = got[`exportStream@${sizes.at(-1)[0]}`];
  targets.push(flatRssTarget("issue 5: exportStream peak RSS flat, 1M records < 150 MB", small, big, quick));
  return {
    id: "export",
    title: "6. exportAll and exportStream (child processes; wall of the export itself, peak RSS of the whole process)",
    header: ["records", "how", "wall (median)", "peak RSS", "rate"],
    rows,
    targets,
  };
}
