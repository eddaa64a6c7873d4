/**
 * What `@resonantgenesis/sdk` exports, in one list both entries share:
 * `index.ts` (browsers, edge runtimes, Deno, Bun) and `index.node.ts` (Node).
 * Each entry adds `ResonantClient` wired to how its platform sends a request.
 * @module
 */
export { ResonantCore } from "./core-client.js";
export { DEFAULT_BASE_URL } from "./internal/defaults.js";
export type { ClientResources11, ClientResources12, ResonantClientConstructor } from "./client.js";
export type { ClientOptions, RequestOptions, ApiKeySetting, Fetch } from "./core/options.js";
export { APIPromise, type WithResponse, type RawResult } from "./core/api-promise.js";
export { Page, PagePromise } from "./core/pagination.js";
// Every error class, their init and JSON types, and ERROR_CLASSES (each class by its name, for rebuilding an error from its toJSON()).
export * from "./core/errors.js";
export { parseErrorBody, type ErrorBody } from "./core/error-factory.js";
export { redact, registerSecret } from "./core/redact.js";
export { formatDeprecationNotice, type DeprecationNotice } from "./internal/deprecation.js";
export { parseRateLimit, type RateLimitInfo } from "./internal/rate-limit.js";
export { LOG_LEVELS, type LogLevel, type LogSink } from "./internal/log.js";
export { SDK_VERSION } from "./version.js";
export { API_VERSIONS, type ApiVersion, type ApiVersionInfo } from "@resonantgenesis/schemas/meta";
export { verifyWebhookSignature } from "./webhooks.js";
export { APIResource, type In, type Out } from "./resources/resource.js";
export { Agents, type Agent } from "./resources/agents.js";
export { Sessions, Steps, type Session, type Step, type SessionCreateBody } from "./resources/sessions.js";
export type { SessionStreamEvent, StreamVersion, UnknownStreamEvent } from "./resources/session-stream.js";
export { Webhooks, type Webhook, type WebhookWithSecret } from "./resources/webhooks.js";
export { Tools, type Tool, type ToolVersion } from "./resources/tools.js";
export { Teams, type Team } from "./resources/teams.js";
export { Memories, type Memory, type MemorySearchHit } from "./resources/memories.js";
export { Triggers, type Trigger, type TriggerWithSecret } from "./resources/triggers.js";
export {
  Data,
  IMPORT_BATCH_SIZE,
  type Archive,
  type ExportRecord,
  type ExportStreamOptions,
  type WithText,
  type ImportAllOptions,
  type ImportBatchOptions,
  type ImportBatchResult,
  type ImportProgress,
  type ImportReport,
  type UnknownExportRecord,
} from "./resources/data.js";
export type { ArchiveKind } from "./resources/data-export.js";
export { upgradeArchive, upgradeRecord, type AnyArchive, type UpgradeTarget } from "./archive/index.js";
export type { Schemas } from "./internal/caller.js";
export {
  JsonNumber,
  RawJson,
  parseLossless,
  stringifyLossless,
  isExactNumber,
  jsonStringEnd,
} from "./core/lossless-json.js";
