// Checked by pack-smoke.sh with tsc --strict against the packed tarballs.
import { ResonantClient, type Agent, type SessionStreamEvent } from "@resonantgenesis/sdk";

const latest = new ResonantClient({ apiKey: "rg_test_sk_x" });
export async function names(): Promise<string[]> {
  const page = await latest.agents.list({ limit: 10 });
  const agent: Agent<"1.2"> = await latest.agents.get("id");
  return [...page.data.map((a) => a.name), agent.name, String(agent.version)];
}
export async function deltas(agentId: string): Promise<string> {
  let text = "";
  for await (const event of latest.sessions.stream({ agent_id: agentId, goal: "g" })) {
    const e: SessionStreamEvent = event;
    if (e.type === "message") text += e.data.delta;
  }
  return text;
}
const legacy = new ResonantClient({ apiKey: "rg_test_sk_x", apiVersion: "1.0" });
// @ts-expect-error teams arrive in API 1.2
void legacy.teams;
// @ts-expect-error a 1.0 agent has no tool_ids
export const toolIds = async () => (await legacy.agents.get("id")).tool_ids;
