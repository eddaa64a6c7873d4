/**
 * Fills an account with valid objects of each kind, named predictably
 * (`agent-1`, `tool-1`...): tools first, then agents (the first agents use
 * the tools), teams, sessions (run to completion at once, with their steps),
 * memories, triggers and webhooks. A kind that needs agents gets one even if
 * `agents` is 0.
 * @module
 */
import type { v1_2 } from "@resonantgenesis/schemas";
import { buildAgent } from "./domain/agents.js";
import { buildMemory } from "./domain/memories.js";
import { buildSession } from "./domain/sessions.js";
import { buildTeam } from "./domain/teams.js";
import { buildTool } from "./domain/tools.js";
import { buildTrigger } from "./domain/triggers.js";
import { buildWebhook, newSecret } from "./domain/webhooks.js";
import type { GatewayServices } from "./gateway/env.js";
import type { Account } from "./store.js";

/** How many objects of each kind to create. */
export interface SeedCounts {
  agents?: number;
  sessions?: number;
  tools?: number;
  teams?: number;
  memories?: number;
  triggers?: number;
  webhooks?: number;
}

/** The ids created, per kind, oldest first. */
export type SeedResult = Record<v1_2.Kind, string[]>;

/** What the CLI and `seed: true` put in the demo account. */
export const DEMO_SEED: Required<SeedCounts> = {
  tools: 3,
  agents: 25,
  teams: 2,
  sessions: 12,
  memories: 15,
  triggers: 3,
  webhooks: 2,
};

const TOPICS = ["billing", "support", "search", "triage", "research", "summaries", "alerts", "onboarding"];

/** Seeds `account`; `origin` is used for trigger webhook URLs. */
export function seedAccount(
  services: GatewayServices,
  account: Account,
  counts: SeedCounts,
  origin = "https://resonantgenesis.xyz",
): SeedResult {
  const now = () => services.clock.now().toISOString();
  const result: SeedResult = {
    tools: [],
    agents: [],
    teams: [],
    sessions: [],
    memories: [],
    triggers: [],
    webhooks: [],
  };
  const base = (kind: keyof SeedResult) => account.collection(kind).size;

  const toolBase = base("tools");
  for (let i = 1; i <= (counts.tools ?? 0); i++) {
    const n = toolBase + i;
    const tool = buildTool(
      {
        name: `tool-${n}`,
        description: `Looks things up (${TOPICS[n % TOPICS.length]})`,
        endpoint: `https://tools.example.com/tool-${n}`,
        parameters: { type: "object", properties: { query: { type: "string" } }, required: ["query"] },
        headers: { Authorization: `Bearer secret-${n}` },
      },
      now(),
    );
    account.tools.insert(tool);
    result.tools.push(tool.id);
  }

  const needAgents = (counts.teams ?? 0) + (counts.sessions ?? 0) + (counts.triggers ?? 0) > 0 ? 1 : 0;
  const agentCount = Math.max(counts.agents ?? 0, account.agents.size === 0 ? needAgents : 0);
  const agentBase = base("agents");
  const toolIds = account.tools.values().map((t) => t.id);
  for (let i = 1; i <= agentCount; i++) {
    const n = agentBase + i;
    const topic = TOPICS[n % TOPICS.length]!;
    const agent = buildAgent(
      {
        name: `agent-${n}`,
        description: `Handles ${topic}`,
        system_prompt: `You are agent ${n}. You help with ${topic}.`,
        metadata: { topic },
        // The last two agents use the tools (the first ones when there are only a few), so
        // sessions, which take agents from the first, mostly need no tools to be imported.
        tool_ids: agentCount - i < 2 ? toolIds.slice(0, 2) : [],
        memory_enabled: i % 2 === 0,
      },
      now(),
    );
    account.agents.insert(agent);
    result.agents.push(agent.id);
  }
  const agents = account.agents.values();
  const agentAt = (i: number) => agents[i % agents.length]!;

  for (let i = 1; i <= (counts.teams ?? 0); i++) {
    const members = [agentAt(i - 1).id, agentAt(i).id].filter((id, idx, all) => all.indexOf(id) === idx);
    const team = buildTeam(
      {
        name: `team-${base("teams") + 1}`,
        agent_ids: members,
        lead_agent_id: members[0]!,
        description: "A seeded team",
      },
      now(),
    );
    account.teams.insert(team);
    result.teams.push(team.id);
  }

  for (let i = 1; i <= (counts.sessions ?? 0); i++) {
    const agent = agentAt(i - 1);
    const session = buildSession(
      { agent_id: agent.id, goal: `Summarise the ${TOPICS[i % TOPICS.length]} inbox (${i})` },
      now(),
    );
    account.sessions.insert(session);
    account.extras(session.id, 10);
    services.engine.complete(account, session.id);
    result.sessions.push(session.id);
  }

  for (let i = 1; i <= (counts.memories ?? 0); i++) {
    const topic = TOPICS[i % TOPICS.length]!;
    const memory = buildMemory(
      {
        content: `Note ${i}: the ${topic} team prefers short answers about ${topic}.`,
        agent_id: agents.length && i % 3 !== 0 ? agentAt(i - 1).id : null,
        tags: [topic, i % 2 ? "odd" : "even"],
        importance: Math.round(((i % 10) / 10) * 100) / 100,
      },
      now(),
    );
    account.memories.insert(memory);
    result.memories.push(memory.id);
  }

  for (let i = 1; i <= (counts.triggers ?? 0); i++) {
    const trigger = buildTrigger(
      agentAt(i - 1).id,
      { name: `trigger-${base("triggers") + 1}`, goal_template: "Handle the new ticket {ticket_id}" },
      now(),
      `${origin}/api`,
    );
    account.triggers.insert(trigger);
    account.secrets.set(trigger.id, newSecret());
    result.triggers.push(trigger.id);
  }

  for (let i = 1; i <= (counts.webhooks ?? 0); i++) {
    const webhook = buildWebhook(
      {
        url: `https://hooks.example.com/rg/${base("webhooks") + 1}`,
        events: ["agent.created", "session.completed"],
        description: `Seeded webhook ${i}`,
      },
      now(),
    );
    account.webhooks.insert(webhook);
    account.secrets.set(webhook.id, newSecret());
    result.webhooks.push(webhook.id);
  }
  return result;
}
