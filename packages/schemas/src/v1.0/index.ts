/**
 * The schemas of API version 1.0: agents, sessions, steps, basic webhooks,
 * agent and session export, agent import, and the FastAPI error form.
 * @module v1.0
 */
/** The version these schemas describe. */
export const API_VERSION = "1.0" as const;
export { ExportParams, ListParams, OnConflict } from "../common.js";
export * from "./agent.js";
export * from "./step.js";
export * from "./session.js";
export * from "./webhook.js";
export * from "./error.js";
export * from "./list.js";
export * from "./export.js";
