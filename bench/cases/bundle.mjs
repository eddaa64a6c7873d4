/**
 * Figure 3: what a small browser app loads, bundled as a user's bundler does
 * (scripts/bundle-size.mjs: esbuild, minified, split at each dynamic import).
 * The figure per app is one successful call: the initial chunks plus what that
 * call loads lazily; a separate column says what loads only on a failure.
 * Packages resolve from bench/, so ours come from their built dist.
 */
import {
  BUDGETS,
  kb,
  measureApp,
  ONE_CALL_CLIENT_APP,
  oneCall,
  SIZE_ENTRY_APP,
  topContributors,
} from "../../scripts/bundle-size.mjs";
import { BENCH_DIR, target } from "../lib.mjs";

const CLIENT = `import { ResonantClient } from "@resonantgenesis/sdk";
const client = new ResonantClient({ apiKey: "k", dangerouslyAllowBrowser: true });`;
const ONE_CALL = "ResonantClient, one agents.get";
const SIZE_ENTRY = "ResonantCore + Agents, one agents.get";
const EVERY_RESOURCE = "ResonantClient, every resource";

/**
 * The apps, in table order. An app whose imports do not resolve (an entry not
 * built yet) shows n/a. `budget`: KB gzip for one call, from BUDGETS.
 */
const APPS = [
  { name: ONE_CALL, source: ONE_CALL_CLIENT_APP, budget: BUDGETS.oneCallClient },
  {
    // What docs/getting-started.md ("Small bundles") recommends for size-sensitive apps: the core and the one resource used.
    name: SIZE_ENTRY,
    source: SIZE_ENTRY_APP,
    budget: BUDGETS.oneCallSizeEntry,
  },
  {
    name: EVERY_RESOURCE,
    source: `${CLIENT}
console.log(await client.agents.get("id"), await client.sessions.list(), await client.sessions.steps.list("s"),
  await client.webhooks.list(), await client.tools.list(), await client.teams.list(), await client.memories.search({ query: "q" }),
  await client.triggers.list(), await client.data.exportAll());
for await (const r of client.data.exportStream()) console.log(r);`,
    budget: 30,
  },
  // A hand-rolled client of the same call: ky for HTTP, the 1.2 Agent schema for the answer.
  {
    name: "ky + zod (Agent schema)",
    source: `import ky from "ky"; import { Agent } from "@resonantgenesis/schemas/v1.2";
console.log(Agent.parse(await ky.get("https://x/api/v1.2/agents/id").json()));`,
  },
  {
    name: "ky + zod/mini (small object)",
    source: `import ky from "ky"; import * as z from "zod/mini";
const Agent = z.object({ id: z.string(), name: z.string(), model: z.string(), status: z.enum(["active", "paused"]), created_at: z.string() });
console.log(Agent.parse(await ky.get("https://x/api/v1.2/agents/id").json()));`,
  },
  {
    name: "ky, one get",
    source: `import ky from "ky"; console.log(await ky.get("https://x/api/v1.2/agents/id").json());`,
  },
  {
    name: "openai, one models.retrieve",
    source: `import OpenAI from "openai";
const client = new OpenAI({ apiKey: "k", dangerouslyAllowBrowser: true }); console.log(await client.models.retrieve("m"));`,
  },
  {
    name: "stripe, one customers.retrieve",
    source: `import Stripe from "stripe";
const stripe = new Stripe("sk_test_k"); console.log(await stripe.customers.retrieve("cus_1"));`,
  },
  {
    name: "@anthropic-ai/sdk, one models.retrieve",
    source: `import Anthropic from "@anthropic-ai/sdk";
const client = new Anthropic({ apiKey: "k", dangerouslyAllowBrowser: true }); console.log(await client.models.retrieve("m"));`,
  },
];

async function size(source) {
  try {
    const app = await measureApp(source, { resolveDir: BENCH_DIR });
    return app.missing ? app : { ...app, call: oneCall(app) };
  } catch (error) {
    return {
      error: String(error.message ?? error)
        .split("\n")[0]
        .slice(0, 160),
    };
  }
}

const where = (groups, count) =>
  topContributors(groups, count)
    .map(([name, bytes]) => `${name} ${kb(bytes)}`)
    .join(", ");

export async function run() {
  const sizes = {};
  for (const { name, source } of APPS) sizes[name] = await size(source);
  const rows = APPS.map(({ name }) => {
    const s = sizes[name];
    if (s.error) return [name, `failed: ${s.error}`, "", ""];
    if (s.missing) return [name, "n/a", "n/a", `n/a (${s.missing.slice(0, 80)})`];
    const failure = s.onFailure.chunks === 0 ? "-" : `${kb(s.onFailure.gzip)} (${kb(s.onFailure.min)} min)`;
    return [name, kb(s.call.min), kb(s.call.gzip), failure];
  });
  const one = sizes[ONE_CALL];
  const notes = [
    "One call = the entry chunk and its static imports, plus the chunks a successful call imports dynamically and theirs. " +
      "gzip is each chunk gzipped on its own, summed (a browser fetches each chunk as its own response).",
  ];
  if (one.call) {
    notes.push(
      `The one-call ResonantClient app: initial ${kb(one.initial.gzip)} gzip (${one.initial.chunks} chunks), ` +
        `on the call ${kb(one.onCall.gzip)} (${one.onCall.chunks}; success path: ${one.successPath}), ` +
        `only on a failure ${kb(one.onFailure.gzip)} (${one.onFailure.chunks}).`,
      `Where its one-call minified bytes go (packages; our files from the dist's source maps): ${where([one.initial, one.onCall], 10)}.`,
    );
    if (one.onFailure.chunks > 0) notes.push(`What loads only on a failure: ${where([one.onFailure], 6)}.`);
  }
  const targets = APPS.filter((a) => a.budget !== undefined).map(({ name, budget }) => {
    const gzip = sizes[name].call?.gzip;
    return target(
      `3. ${name}: one call <= ${budget} KB gzip`,
      gzip === undefined ? "n/a" : kb(gzip),
      gzip === undefined ? null : gzip <= budget * 1024,
    );
  });
  return {
    id: "bundle",
    title: "3. Browser bundle (esbuild, minified, split at dynamic imports; gzip at the default level)",
    header: ["app", "one call, minified", "one call, gzip", "only on a failure, gzip"],
    rows,
    notes,
    targets,
  };
}
