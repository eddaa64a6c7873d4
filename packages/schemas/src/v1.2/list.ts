import { listPage } from "../common.js";
import { Step } from "../v1.0/step.js";
import { Tool } from "../v1.1/tool.js";
import { Agent } from "./agent.js";
import { Memory, MemorySearchHit } from "./memory.js";
import { Session } from "./session.js";
import { Team } from "./team.js";
import { Trigger } from "./trigger.js";
import { Webhook } from "./webhook.js";

/** A page of `GET /agents` (API 1.2). */
export const AgentList = listPage(Agent);
/** A page of `GET /sessions` (API 1.2). */
export const SessionList = listPage(Session);
/** A page of `GET /sessions/{id}/steps`. */
export const StepList = listPage(Step);
/** A page of `GET /tools`. */
export const ToolList = listPage(Tool);
/** A page of `GET /webhooks` (API 1.2). */
export const WebhookList = listPage(Webhook);
/** A page of `GET /teams`. */
export const TeamList = listPage(Team);
/** A page of `GET /memories`. */
export const MemoryList = listPage(Memory);
/** The answer of `POST /memories/search`: hits, scores falling. */
export const MemorySearchResult = listPage(MemorySearchHit);
/** A page of `GET /agents/{agent_id}/triggers`. */
export const TriggerList = listPage(Trigger);
