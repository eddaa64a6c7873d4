/**
 * The schemas of API version 1.1: 1.0's, plus custom tools, agents' `tool_ids`,
 * session streaming events and tool export. Names that 1.1 redefines are
 * re-exported explicitly, which shadows the 1.0 ones of the star export.
 * @module v1.1
 */
export * from "../v1.0/index.js";
export * from "./tool.js";
export * from "./events.js";
export { Agent, AgentCreateParams, AgentUpdateParams } from "./agent.js";
export { SessionCreateParams } from "./session.js";
export { AgentList, ToolList } from "./list.js";
export { AgentExportPage, AgentImportRequest, Archive, ToolExportPage } from "./export.js";

/** The version these schemas describe. */
export const API_VERSION = "1.1" as const;
