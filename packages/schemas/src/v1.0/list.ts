import { listPage } from "../common.js";
import { Agent } from "./agent.js";
import { Session } from "./session.js";
import { Step } from "./step.js";
import { Webhook } from "./webhook.js";

/** A page of `GET /agents`. */
export const AgentList = listPage(Agent);
/** A page of `GET /sessions`. */
export const SessionList = listPage(Session);
/** A page of `GET /sessions/{id}/steps`. */
export const StepList = listPage(Step);
/** A page of `GET /webhooks`. */
export const WebhookList = listPage(Webhook);
