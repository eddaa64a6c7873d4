/**
 * One `resonant` measurement in its own process (clean peak RSS):
 * `node cli-child.mjs <mode> <records> <fixture url> <sink url> <out file>`.
 * Modes: `export` (resonant export to a file), `verify` (resonant verify of
 * that file against the same account: run after `export`), `export-gz` (the same, to
 * `<out file>.gz`, compressed), `copy` (resonant copy into the
 * sink), and the floors `exportStream` (the SDK's stream into nothing) and
 * `fetch-posts` (raw fetch POSTs of the same 1,000-item batches into the sink).
 * Prints one JSON line: { wall (ms), peakRss (MB), records }.
 */
import { ResonantClient } from "@resonantgenesis/sdk";
import { main } from "../../packages/cli/dist/index.js";

const [mode, recordsText, url, sink, out] = process.argv.slice(2);
const records = Number(recordsText);
const baseURL = `${url}/n/${records}/api`;
const key = "rg_test_sk_bench";
const env = { RESONANT_API_KEY: key, RESONANT_BASE_URL: baseURL };
Object.assign(process.env, env);

async function floorPosts() {
  // The same batches the CLI sends, built from the same stream, POSTed with the global fetch.
  const client = new ResonantClient({ apiKey: key, baseURL, maxRetries: 0 });
  let batch = [];
  let kind = "";
  let n = 0;
  const send = async () => {
    if (batch.length === 0) return;
    const res = await fetch(`${sink}/api/v1.2/${kind}/import`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ [kind]: batch, on_conflict: "skip" }),
    });
    await res.text();
    batch = [];
  };
  for await (const record of client.data.exportStream()) {
    if (record.kind === "end") break;
    const k = record.kind === "memory" ? "memories" : `${record.kind}s`;
    if (k !== kind) {
      await send();
      kind = k;
    }
    batch.push(record.data);
    n++;
    if (batch.length === 1000) await send();
  }
  await send();
  return n;
}

const modes = {
  export: async () => ((await main(["node", "resonant", "export", "--out", out, "--quiet"])) === 0 ? records : -1),
  // The archive `export` just wrote, against the account it came from: all matched, so the figure is the index.
  verify: async () => ((await main(["node", "resonant", "verify", out, "--quiet"])) === 0 ? records : -1),
  "export-gz": async () =>
    (await main(["node", "resonant", "export", "--out", `${out}.gz`, "--quiet"])) === 0 ? records : -1,
  copy: async () =>
    (await main([
      "node",
      "resonant",
      "copy",
      "--to-key",
      key,
      "--to-base-url",
      `${sink}/api`,
      "--checkpoint",
      `${out}.checkpoint`,
      "--quiet",
    ])) === 0
      ? records
      : -1,
  exportStream: async () => {
    const client = new ResonantClient({ apiKey: key, baseURL, maxRetries: 0 });
    let n = 0;
    for await (const record of client.data.exportStream()) if (record.kind !== "end") n++;
    return n;
  },
  "fetch-posts": floorPosts,
};

const t0 = performance.now();
const n = await modes[mode]();
const wall = performance.now() - t0;
if (n !== records) throw new Error(`${mode}: ${n} records, expected ${records}`);
process.stdout.write(`${JSON.stringify({ wall, peakRss: process.resourceUsage().maxRSS / 1024, records: n })}\n`);
process.exit(0);
