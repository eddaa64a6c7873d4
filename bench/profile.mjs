/**
 * `node bench/profile.mjs [calls]`: where a ResonantClient call spends its
 * CPU. Starts the fixture server, makes `calls` sequential agents.get calls
 * under the V8 sampling profiler (node:inspector), and prints the top
 * self-time frames, so a change to the call path can be judged by its cost.
 */
import { spawn } from "node:child_process";
import { Session } from "node:inspector/promises";
import { createInterface } from "node:readline";
import { ResonantClient } from "@resonantgenesis/sdk";
import { BENCH_DIR } from "./lib.mjs";

const calls = Number(process.argv[2] ?? 5000);
const server = spawn(process.execPath, [`${BENCH_DIR}fixture-server.mjs`], { stdio: ["pipe", "pipe", "inherit"] });
const { url } = JSON.parse(
  await new Promise((resolve) => createInterface({ input: server.stdout }).once("line", resolve)),
);
const validate = !process.argv.includes("--no-validate");
const client = new ResonantClient({ apiKey: "rg_test_sk_bench", baseURL: `${url}/api`, validateResponses: validate });
const id = "00000000-0000-4000-8000-000000000001";
for (let i = 0; i < 300; i++) await client.agents.get(id);

const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 100 });
await session.post("Profiler.start");
for (let i = 0; i < calls; i++) await client.agents.get(id);
const { profile } = await session.post("Profiler.stop");
server.stdin.end();

// Self time per frame (function + file:line), from the samples' leaf nodes.
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const deltas = profile.timeDeltas;
profile.samples.forEach((nodeId, i) => {
  const { functionName, url: file, lineNumber } = byId.get(nodeId).callFrame;
  const short = file
    .replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, "")
    .replace(/^file:\/\/.*\/packages\//, "packages/");
  const key = `${functionName || "(anonymous)"} ${short}:${lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + (deltas[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
// The same self time per owner: undici (the global fetch), ky, zod, our dist, other Node internals, native.
const owner = (key) =>
  /undici/.test(key)
    ? "undici (global fetch)"
    : /^\S+ ky\//.test(key)
      ? "ky"
      : /zod\//.test(key)
        ? "zod"
        : /packages\//.test(key)
          ? "@resonantgenesis/*"
          : /node:/.test(key)
            ? "node internals"
            : /^\((idle|garbage collector|program)\)/.test(key)
              ? key.replace(" :0", "")
              : "native (socket writes, JSON, ...)";
const owners = new Map();
for (const [key, us] of self) owners.set(owner(key), (owners.get(owner(key)) ?? 0) + us);
console.log(
  `${calls} calls, validation ${validate ? "on" : "off"}: ${(total / 1000 / calls).toFixed(3)} ms sampled per call`,
);
console.log(
  [...owners]
    .sort((a, b) => b[1] - a[1])
    .map(([k, us]) => `${k} ${((us / total) * 100).toFixed(1)}%`)
    .join(", "),
);
for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
  console.log(`${((us / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
}
process.exit(0);
