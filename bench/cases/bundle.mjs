/**
 * Figure 3: bundle size of a small browser app (esbuild: bundle, minify,
 * platform browser, ESM), raw and gzipped. Our package resolves to its built
 * dist through its "import" condition: what a user's bundler sees.
 */
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { BENCH_DIR, target } from "../lib.mjs";

const OURS = `import { ResonantClient } from "@resonantgenesis/sdk";
const client = new ResonantClient({ apiKey: "k", dangerouslyAllowBrowser: true });`;

const APPS = {
  "ResonantClient, one agents.get": `${OURS}\nconsole.log(await client.agents.get("id"));`,
  "ResonantClient, every resource": `${OURS}
console.log(await client.agents.get("id"), await client.sessions.list(), await client.sessions.steps.list("s"),
  await client.webhooks.list(), await client.tools.list(), await client.teams.list(), await client.memories.search({ query: "q" }),
  await client.triggers.list(), await client.data.exportAll());
for await (const r of client.data.exportStream()) console.log(r);`,
  // A hand-rolled client of the same call: ky for HTTP, the 1.2 Agent schema for the answer.
  "ky + zod (Agent schema)": `import ky from "ky"; import { Agent } from "@resonantgenesis/schemas/v1.2";
console.log(Agent.parse(await ky.get("https://x/api/v1.2/agents/id").json()));`,
  "ky + zod/mini (small object)": `import ky from "ky"; import * as z from "zod/mini";
const Agent = z.object({ id: z.string(), name: z.string(), model: z.string(), status: z.enum(["active", "paused"]), created_at: z.string() });
console.log(Agent.parse(await ky.get("https://x/api/v1.2/agents/id").json()));`,
  "openai, one models.retrieve": `import OpenAI from "openai";
const client = new OpenAI({ apiKey: "k", dangerouslyAllowBrowser: true }); console.log(await client.models.retrieve("m"));`,
  "stripe, one customers.retrieve": `import Stripe from "stripe";
const stripe = new Stripe("sk_test_k"); console.log(await stripe.customers.retrieve("cus_1"));`,
  "@anthropic-ai/sdk, one models.retrieve": `import Anthropic from "@anthropic-ai/sdk";
const client = new Anthropic({ apiKey: "k", dangerouslyAllowBrowser: true }); console.log(await client.models.retrieve("m"));`,
};

// Minified bytes per package (or per file of ours), to say where the size goes.
function byPackage(metafile) {
  const totals = {};
  for (const output of Object.values(metafile.outputs)) {
    for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)(.*)$/.exec(file);
      const ours = /packages\/(sdk|schemas|mock)\//.exec(file);
      const name = ours ? `@resonantgenesis/${ours[1]}` : m ? m[1] : file;
      totals[name] = (totals[name] ?? 0) + bytesInOutput;
    }
  }
  return Object.entries(totals).sort((a, b) => b[1] - a[1]);
}

async function size(contents) {
  try {
    const out = await build({
      stdin: { contents, resolveDir: BENCH_DIR, loader: "js", sourcefile: "app.js" },
      bundle: true,
      minify: true,
      platform: "browser",
      format: "esm",
      target: "es2022",
      write: false,
      logLevel: "silent",
      metafile: true,
    });
    const code = out.outputFiles[0].contents;
    return { raw: code.length / 1024, gzip: gzipSync(code).length / 1024, by: byPackage(out.metafile) };
  } catch (error) {
    return {
      error: String(error.message ?? error)
        .split("\n")[0]
        .slice(0, 160),
    };
  }
}

export async function run() {
  const sizes = {};
  for (const [name, contents] of Object.entries(APPS)) sizes[name] = await size(contents);
  const kb = (v) => (v === undefined ? "n/a" : `${v.toFixed(1)} KB`);
  const rows = Object.entries(sizes).map(([name, s]) => [name, s.error ? `failed: ${s.error}` : kb(s.raw), kb(s.gzip)]);
  const one = sizes["ResonantClient, one agents.get"];
  const all = sizes["ResonantClient, every resource"];
  const top = one.by
    ? one.by
        .slice(0, 8)
        .map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(1)} KB`)
        .join(", ")
    : "";
  return {
    id: "bundle",
    notes: [`Where the one-call app's minified bytes go (before gzip): ${top}.`],
    title: "3. Browser bundle (esbuild, minified; gzip at the default level)",
    header: ["app", "minified", "gzip"],
    rows,
    targets: [
      target("3. one agents.get app <= 15 KB gzip", kb(one.gzip), one.gzip === undefined ? null : one.gzip <= 15),
      target("3. every-resource app <= 30 KB gzip", kb(all.gzip), all.gzip === undefined ? null : all.gzip <= 30),
    ],
  };
}
