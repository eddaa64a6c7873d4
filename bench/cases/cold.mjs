/**
 * Figure 4: cold import and cold first call, each in a fresh `node` process
 * (so no module cache and no JIT state carry over), quoted as wall time minus
 * a bare `node -e 0` measured in the same rounds. Processes inherit run.mjs's
 * CPU pin, so they never share a core with the fixture server. stripe, openai
 * and anthropic are imported and called in the same rounds as ours.
 * Targets: issue 18's cold first call at or below stripe's; issue 5's cold
 * import and first call below openai's; each shown beside all three.
 */
import { lastJson, median, rotated, runNode, x } from "../lib.mjs";
import { aheadOfTarget, rivalTarget } from "../rivals.mjs";

const KEY = "rg_test_sk_bench";
const AGENT = "00000000-0000-4000-8000-000000000001";
// Each child also reports its own CPU time: on a loaded machine, wall time
// includes waiting for a core, CPU time does not.
const CPU = `process.stdout.write("\\n" + JSON.stringify(process.cpuUsage()));`;

function scripts(url) {
  const port = new URL(url).port;
  return {
    import: {
      "@resonantgenesis/sdk": `await import("@resonantgenesis/sdk");`,
      openai: `await import("openai");`,
      "@anthropic-ai/sdk": `await import("@anthropic-ai/sdk");`,
      stripe: `await import("stripe");`,
      "zod alone": `await import("zod");`,
      "ky + zod": `await Promise.all([import("ky"), import("zod")]);`,
    },
    "first call": {
      "raw fetch": `await (await fetch("${url}/api/v1.2/agents/${AGENT}")).json();`,
      // Issue 18's table has ky's first call beside the SDKs'.
      ky: `const { default: ky } = await import("ky");
await ky.get("${url}/api/v1.2/agents/${AGENT}", { headers: { authorization: "Bearer ${KEY}" } }).json();`,
      "@resonantgenesis/sdk": `const { ResonantClient } = await import("@resonantgenesis/sdk");
await new ResonantClient({ apiKey: "${KEY}", baseURL: "${url}/api" }).agents.get("${AGENT}");`,
      openai: `const { default: OpenAI } = await import("openai");
await new OpenAI({ apiKey: "${KEY}", baseURL: "${url}/openai/v1" }).models.retrieve("gpt-bench-1");`,
      "@anthropic-ai/sdk": `const { default: Anthropic } = await import("@anthropic-ai/sdk");
await new Anthropic({ apiKey: "${KEY}", baseURL: "${url}/anthropic" }).models.retrieve("claude-bench-1");`,
      stripe: `const { default: Stripe } = await import("stripe");
await new Stripe("sk_test_bench", { host: "127.0.0.1", port: ${port}, protocol: "http" }).customers.retrieve("cus_bench1");`,
    },
  };
}

export async function run({ fixture, quick }) {
  const runs = quick ? 2 : 6;
  const all = scripts(fixture.url);
  const jobs = [["baseline", "node -e 0", ["-e", CPU]]];
  for (const [kind, list] of Object.entries(all)) {
    for (const [name, code] of Object.entries(list))
      jobs.push([kind, name, ["--input-type=module", "-e", `${code}\n${CPU}`]]);
  }
  const walls = new Map(jobs.map((j) => [j, []]));
  const cpus = new Map(jobs.map((j) => [j, []]));
  const errors = new Map();
  for (let r = 0; r < runs; r++) {
    for (const job of rotated(jobs, r)) {
      const result = runNode(job[2], { timeout: 60_000 });
      if (result.status !== 0) errors.set(job, result.stderr.trim().split("\n").slice(-1)[0]);
      else {
        walls.get(job).push(result.wall);
        const { user, system } = lastJson(result);
        cpus.get(job).push((user + system) / 1000);
      }
    }
  }
  const bare = median(walls.get(jobs[0]));
  const bareCpu = median(cpus.get(jobs[0]));
  const find = (kind, name) => jobs.find((j) => j[0] === kind && j[1] === name);
  const net = (kind, name) => median(walls.get(find(kind, name))) - bare;
  const netCpu = (kind, name) => median(cpus.get(find(kind, name))) - bareCpu;
  const rows = [["(bare node -e 0)", "", `${bare.toFixed(0)} ms wall`, "", `${bareCpu.toFixed(0)} ms CPU`]];
  for (const job of jobs.slice(1)) {
    const [kind, name] = job;
    const v = net(kind, name);
    const shown = errors.has(job) ? `failed: ${errors.get(job)}` : `${v.toFixed(0)} ms`;
    rows.push([kind, name, shown, x(v / net(kind, "stripe")), `${netCpu(kind, name).toFixed(0)} ms`]);
  }
  const figures = (kind) => ({
    ours: net(kind, "@resonantgenesis/sdk"),
    figure: (name) => net(kind, name),
    format: (v) => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : "n/a"),
    better: "lower",
  });
  return {
    id: "cold",
    title: `4. Cold start in a fresh process (median of ${runs}, wall minus bare node)`,
    header: ["what", "package", "wall - bare node", "vs stripe", "CPU - bare node"],
    rows,
    targets: [
      rivalTarget("issue 18: cold first call at or below stripe's", figures("first call")),
      aheadOfTarget("issue 5: cold import below openai's", { ...figures("import"), names: ["openai"] }),
      aheadOfTarget("issue 5: cold first call below openai's", { ...figures("first call"), names: ["openai"] }),
    ],
  };
}
