/**
 * One measurement of the migrate figure in its own process (clean peak RSS):
 * `node migrate-child.mjs <mode> <agents> <server url> <concurrency> <dir>`.
 * `migrate`: `resonant migrate up --yes --no-backup` of a migration that
 * moves every agent from gpt-4-turbo to gpt-4.1 (read, plan, journal with
 * fsync, PATCH each, ledger); `fetch-patch`, the floor: the same number of
 * PATCH calls with the global fetch, the same number in flight.
 * Prints one JSON line: { wall (ms), peakRss (MB), agents }.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../packages/cli/dist/index.js";

const [mode, agentsText, url, concurrencyText, dir] = process.argv.slice(2);
const agents = Number(agentsText);
const concurrency = Number(concurrencyText);
// A run of its own: an empty ledger, and its PATCHes counted apart.
const runUrl = `${url}/n/${agents}/r/${process.pid}${Date.now()}`;
const baseURL = `${runUrl}/api`;
const key = "rg_test_sk_bench";

const MIGRATION = `export default {
  revision: "bench1", downRevision: null, message: "gpt-4-turbo to gpt-4.1",
  async up(ctx) { await ctx.update("agents", { where: (a) => a.model === "gpt-4-turbo", set: { model: "gpt-4.1" } }); },
};
`;

const uuid = (i) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;

async function floor() {
  let next = 0;
  const body = JSON.stringify({ model: "gpt-4.1" });
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  const worker = async () => {
    while (next < agents) {
      const i = ++next;
      const res = await fetch(`${baseURL}/v1.2/agents/${uuid(i)}`, { method: "PATCH", headers, body });
      await res.text();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return agents;
}

async function migrate() {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "0001_bench.mjs"), MIGRATION);
  const code = await main([
    "node",
    "resonant",
    "--api-key",
    key,
    "--base-url",
    baseURL,
    "--concurrency",
    String(concurrency),
    "--quiet",
    "migrate",
    "up",
    "--yes",
    "--no-backup",
    "--dir",
    dir,
  ]);
  return code === 0 ? agents : -1;
}

const t0 = performance.now();
const n = mode === "migrate" ? await migrate() : await floor();
const wall = performance.now() - t0;
if (n !== agents) throw new Error(`${mode}: ${n} agents, expected ${agents}`);
// The server's own count: every agent was PATCHed once, in both modes.
const { patches } = await (await fetch(`${runUrl}/patches`)).json();
if (patches !== agents) throw new Error(`${mode}: the server saw ${patches} PATCHes, expected ${agents}`);
process.stdout.write(`${JSON.stringify({ wall, peakRss: process.resourceUsage().maxRSS / 1024, agents: n })}\n`);
process.exit(0);
