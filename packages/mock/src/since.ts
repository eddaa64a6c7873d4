/**
 * The first version of each protocol behaviour that is not a kind (which
 * version has which kind is KIND_TABLE's, in @resonantgenesis/schemas/meta):
 * one place for the mock's version checks, read with `versionAtLeast`.
 * @module
 */
import type { ApiVersion } from "@resonantgenesis/schemas";

/** Per behaviour, the version that added it (docs/protocol.md). */
export const SINCE = {
  /** X-RateLimit-* headers on every answer (1.0 sends none). */
  rateLimitHeaders: "1.1",
  /** `GET /sessions/{id}/stream`, the event stream of a session. */
  eventStreams: "1.1",
  /** The `{"error": {code, message, request_id, details}}` form (before it, FastAPI's `detail`). */
  errorEnvelope: "1.2",
  /** Webhook signatures over `"<timestamp>.<body>"` with X-Webhook-Timestamp (before it, over the body alone). */
  signedTimestamps: "1.2",
  /** The whole account at once: `/data/export` and `/data/import`. */
  accountData: "1.2",
} as const satisfies Record<string, ApiVersion>;
