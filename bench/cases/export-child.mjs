/**
 * One export measurement in its own process, so its peak RSS is its own:
 * `node export-child.mjs <mode> <records> <fixture url>`. Prints one JSON
 * line: { wall (ms, the export alone, not the imports), peakRss (MB), records }.
 */
import { ResonantClient } from "@resonantgenesis/sdk";

const [mode, records, url] = process.argv.slice(2);
const baseURL = `${url}/n/${records}/api`;
const client = new ResonantClient({
  apiKey: "rg_test_sk_bench",
  baseURL,
  validateResponses: mode !== "exportAll-novalidate",
  maxRetries: 0,
});
const count = (archive) => archive.agents.length + archive.memories.length;

const modes = {
  // The floor: the same archive through the global fetch and JSON.parse.
  "fetch+JSON.parse": async () => count(JSON.parse(await (await fetch(`${baseURL}/v1.2/data/export`)).text())),
  exportAll: async () => count(await client.data.exportAll()),
  "exportAll-novalidate": async () => count(await client.data.exportAll()),
  exportStream: async () => {
    let n = 0;
    for await (const record of client.data.exportStream()) if (record.kind !== "end") n++;
    return n;
  },
};

const t0 = performance.now();
const n = await modes[mode]();
const wall = performance.now() - t0;
if (n !== Number(records)) throw new Error(`${mode}: ${n} records, expected ${records}`);
// maxRSS is the process's high-water mark, in KB.
process.stdout.write(`${JSON.stringify({ wall, peakRss: process.resourceUsage().maxRSS / 1024, records: n })}\n`);
