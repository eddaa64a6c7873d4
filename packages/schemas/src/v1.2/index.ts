/**
 * The schemas of API version 1.2: 1.1's, plus agent teams, the memory system,
 * webhook triggers, webhook filters, export and import of every kind, the
 * account archive and the 1.2 error form. Names that 1.2 redefines are
 * re-exported explicitly, which shadows the older ones of the star export.
 * @module v1.2
 */
export * from "../v1.1/index.js";
export * from "./team.js";
export * from "./memory.js";
export * from "./trigger.js";
export { ErrorCode, ErrorObject, ErrorBody } from "./error.js";
export { Agent, AgentCreateParams, AgentUpdateParams } from "./agent.js";
export { Session, SessionCreateParams, SessionListParams, SessionStartParams, ExportedSession } from "./session.js";
export {
  Webhook,
  WebhookWithSecret,
  WebhookEventType,
  WebhookFilters,
  WebhookCreateParams,
  WebhookUpdateParams,
  WebhookEvent,
} from "./webhook.js";
export { StreamEvent } from "./events.js";
export { KINDS, RECORD_KIND, type Kind } from "../kinds.js";
export {
  AgentList,
  SessionList,
  StepList,
  ToolList,
  WebhookList,
  TeamList,
  MemoryList,
  MemorySearchResult,
  TriggerList,
} from "./list.js";
export {
  ExportItem,
  AgentExportPage,
  SessionExportPage,
  ToolExportPage,
  WebhookExportPage,
  TeamExportPage,
  MemoryExportPage,
  TriggerExportPage,
  AgentImportRequest,
  SessionImportRequest,
  ToolImportRequest,
  WebhookImportRequest,
  TeamImportRequest,
  MemoryImportRequest,
  TriggerImportRequest,
  ImportFailure,
  NewSecret,
  ImportResult,
  KindCounts,
  DataImportResult,
  Archive,
  ExportRecord,
} from "./export.js";

/** The version these schemas describe. */
export const API_VERSION = "1.2" as const;
