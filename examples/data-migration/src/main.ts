// resonant migrate on the seeded mock: the three migrations of ./migrations
// are tested on a copy (migrate test: up, down, up again), shown (a dry
// run), applied with a backup, listed (history), undone (down base), and the
// rollback verified against the first backup.
// Each step is the CLI's own main(), so it is what `resonant` does; no key,
// no network.
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { main } from "@resonantgenesis/cli";
import { DEMO_API_KEY } from "@resonantgenesis/mock";
import { startMockServer } from "@resonantgenesis/mock/server";
import { ResonantClient } from "@resonantgenesis/sdk";

const dir = fileURLToPath(new URL("../migrations", import.meta.url));
const tmp = fileURLToPath(new URL("../.tmp", import.meta.url));
await rm(`${dir}/.journal`, { recursive: true, force: true });
await rm(tmp, { recursive: true, force: true });

const mock = await startMockServer({ stepDelayMs: 1 });
let failed = false;
try {
  mock.api.seed({ agents: 30, teams: 2, sessions: 4, memories: 6, triggers: 2, webhooks: 1 });
  const client = new ResonantClient({ apiKey: DEMO_API_KEY, baseURL: mock.baseURL });
  // The team the third migration splits: 20 agents.
  const agents = [];
  for await (const agent of client.agents.list({ limit: 100 })) agents.push(agent.id);
  await client.teams.create({
    name: "support",
    agent_ids: agents.slice(0, 20),
    lead_agent_id: agents[0],
    coordination_mode: "parallel",
  });
  // Two agents already on another model or tier, so the migrations have something to leave alone.
  await client.agents.update(agents[21]!, { model: "claude-sonnet" });
  await client.agents.update(agents[22]!, { metadata: { tier: "gold" } });

  const resonant = async (expected: number, ...args: string[]) => {
    console.log(`\n$ resonant ${args.join(" ")}`);
    const code = await main([
      "node",
      "resonant",
      "--api-key",
      DEMO_API_KEY,
      "--base-url",
      mock.baseURL,
      ...args,
      ...(args[0] === "migrate" ? ["--dir", dir] : []),
    ]);
    if (code !== expected) {
      console.error(`expected exit ${expected}, got ${code}`);
      failed = true;
    }
  };
  await resonant(0, "migrate", "test");
  await resonant(3, "migrate", "up", "--dry-run");
  await resonant(0, "migrate", "up", "--yes", "--backup", `${tmp}/before-migrate.json`);
  await resonant(0, "migrate", "history");
  let teams = 0;
  for await (const _ of client.teams.list()) teams++;
  console.log(`\nteams after up: ${teams} (the team of 20 is two teams of 10)`);
  await resonant(0, "migrate", "down", "base", "--yes", "--no-backup");
  await resonant(0, "migrate", "current");
  // The agents as they were before the first revision. A rollback by PATCH puts back every field but the two the
  // server sets on each write, so those are left out of the comparison.
  await resonant(0, "verify", `${tmp}/before-migrate.3f9a1c0b7e21.json`, "--ignore", "updated_at,version");
} finally {
  await mock.close();
  await rm(`${dir}/.journal`, { recursive: true, force: true });
}
if (failed) process.exit(1);
console.log("\ndone: tested on a copy, applied, undone, verified: the account is as it was");
