/**
 * Figure 7: SyncClient (a blocking proxy over a worker-thread ResonantClient).
 * Per-call overhead = the median of paired differences (sync - async), same
 * route, call by call, alternating which goes first, after both clients are
 * warm; start-up = construct + first call in a fresh process, beside the
 * async client's, median of several processes.
 */
import { lastJson, median, ms, rotated, runNode, target } from "../lib.mjs";

const KEY = "rg_test_sk_bench";
const AGENT = "00000000-0000-4000-8000-000000000001";

async function loadSync() {
  try {
    return (await import("@resonantgenesis/sdk/sync")).SyncClient;
  } catch {
    return undefined;
  }
}

const firstCall = (
  url,
  sync,
) => `import { ResonantClient } from "@resonantgenesis/sdk"; import { SyncClient } from "@resonantgenesis/sdk/sync";
const t0 = performance.now();
const client = new ${sync ? "SyncClient" : "ResonantClient"}({ apiKey: "${KEY}", baseURL: "${url}/api" });
${sync ? "" : "await "}client.agents.get("${AGENT}");
const wall = performance.now() - t0;
${sync ? "client.close();" : ""}
process.stdout.write(JSON.stringify({ wall }) + "\\n");`;

export async function run({ fixture, quick }) {
  const SyncClient = await loadSync();
  const header = ["what", "async ResonantClient", "SyncClient", "difference"];
  if (!SyncClient) {
    return {
      id: "sync",
      title: "7. SyncClient",
      header,
      rows: [["not measured: @resonantgenesis/sdk/sync not found", "", "", ""]],
      targets: [target("7. SyncClient overhead <= 0.15 ms per call", "not measured", null)],
    };
  }
  const { ResonantClient } = await import("@resonantgenesis/sdk");
  const { calls, warm, procs } = quick ? { calls: 100, warm: 100, procs: 1 } : { calls: 2000, warm: 2000, procs: 6 };
  const options = { apiKey: KEY, baseURL: `${fixture.url}/api` };
  const asyncClient = new ResonantClient(options);
  const syncClient = new SyncClient(options);
  const kinds = {
    async: async () => {
      const t0 = performance.now();
      await asyncClient.agents.get(AGENT);
      return performance.now() - t0;
    },
    sync: async () => {
      const t0 = performance.now();
      syncClient.agents.get(AGENT);
      return performance.now() - t0;
    },
  };
  // The worker is a new isolate: it runs the SDK slower for its first thousand
  // or so calls, while V8 compiles it up, and in a full run this isolate's
  // async client is already hot from the cases before. With 100 warm-up calls
  // the figure measured that warm-up: three runs in one process gave 0.145,
  // 0.271 and 0.289 ms; with 2000, 0.092, 0.095 and 0.094 ms.
  for (const k of Object.keys(kinds)) for (let i = 0; i < warm; i++) await kinds[k]();
  // Call by call, alternating which goes first: on a machine whose load swings
  // within seconds, only paired neighbours see the same conditions.
  const samples = { async: [], sync: [] };
  const diffs = [];
  for (let i = 0; i < calls; i++) {
    const order = i % 2 === 0 ? ["async", "sync"] : ["sync", "async"];
    const t = {};
    for (const k of order) samples[k].push((t[k] = await kinds[k]()));
    diffs.push(t.sync - t.async);
  }
  syncClient.close();
  const [a, s, d] = [median(samples.async), median(samples.sync), median(diffs)];

  const starts = { async: [], sync: [] };
  for (let p = 0; p < procs; p++) {
    for (const k of rotated(["async", "sync"], p)) {
      const out = lastJson(
        runNode(["--input-type=module", "-e", firstCall(fixture.url, k === "sync")], { timeout: 60_000 }),
      );
      if (!out.error) starts[k].push(out.wall);
    }
  }
  const [sa, ss] = [median(starts.async), median(starts.sync)];
  return {
    id: "sync",
    title: `7. SyncClient (${calls} calls each after ${warm} warm-up calls each, alternating call by call; start-up median of ${procs} fresh processes)`,
    header,
    rows: [
      ["median call (one object); difference = median of paired differences", ms(a), ms(s), ms(d)],
      ["construct + first call (fresh process, after imports)", ms(sa, 1), ms(ss, 1), ms(ss - sa, 1)],
    ],
    targets: [target("7. SyncClient overhead <= 0.15 ms per call", ms(d), d <= 0.15)],
  };
}
