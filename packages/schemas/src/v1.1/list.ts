import { listPage } from "../common.js";
import { Agent } from "./agent.js";
import { Tool } from "./tool.js";

/** A page of `GET /agents` (API 1.1). */
export const AgentList = listPage(Agent);
/** A page of `GET /tools`. */
export const ToolList = listPage(Tool);
