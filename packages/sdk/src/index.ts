/**
 * The official TypeScript SDK of the ResonantGenesis agent platform.
 *
 * ```ts
 * import { ResonantClient } from "@resonantgenesis/sdk";
 * const client = new ResonantClient();
 * const archive = await client.data.exportAll();
 * ```
 * @module
 */
export { ResonantClient, ResonantClientBase, DEFAULT_BASE_URL } from "./client.js";
export type { ClientResources11, ClientResources12, ResonantClientConstructor } from "./client.js";
export type { ClientOptions, RequestOptions, ApiKeySetting, Fetch } from "./core/options.js";
export { APIPromise, type WithResponse, type RawResult } from "./core/api-promise.js";
export { Page, PagePromise } from "./core/pagination.js";
export {
  ResonantError,
  APIError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  ApiVersionGoneError,
  RequestTooLargeError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  APIConnectionError,
  APITimeoutError,
  ResponseValidationError,
  RequestValidationError,
  UnsupportedFeatureError,
  WebhookSignatureError,
  type ValidationIssue,
} from "./core/errors.js";
export type { DeprecationNotice, RateLimitInfo } from "./core/deprecation.js";
export { parseRateLimit } from "./core/deprecation.js";
export type { LogLevel } from "./core/log.js";
export { SDK_VERSION } from "./version.js";
export { API_VERSIONS, type ApiVersion, type ApiVersionInfo } from "@resonantgenesis/schemas";
export { verifyWebhookSignature } from "./webhooks.js";
export type { Agent } from "./resources/agents.js";
export type { Session, Step, SessionCreateBody } from "./resources/sessions.js";
export type { SessionStreamEvent } from "./resources/session-stream.js";
export type { Webhook, WebhookWithSecret } from "./resources/webhooks.js";
export type { Tool } from "./resources/tools.js";
export type { Team } from "./resources/teams.js";
export type { Memory, MemorySearchHit } from "./resources/memories.js";
export type { Trigger, TriggerWithSecret } from "./resources/triggers.js";
export type { Archive, ExportRecord, ImportAllOptions, ImportProgress, ImportReport } from "./resources/data.js";
