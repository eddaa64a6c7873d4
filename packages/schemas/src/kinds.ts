/**
 * The kinds of exportable objects, as plain constants: no zod here, so the
 * SDK can name them without loading any schema.
 * @module
 */

/** Every kind of object, in dependency order: each may name only kinds before it. */
export const KINDS = ["tools", "agents", "teams", "sessions", "memories", "triggers", "webhooks"] as const;
/** One kind of exportable object (plural, as in paths and archives). */
export type Kind = (typeof KINDS)[number];

/** The singular record names of the NDJSON export, per kind. */
export const RECORD_KIND = {
  /** Custom tools. */
  tools: "tool",
  /** Agents. */
  agents: "agent",
  /** Teams. */
  teams: "team",
  /** Sessions, with their steps. */
  sessions: "session",
  /** Memories. */
  memories: "memory",
  /** Triggers, without secrets. */
  triggers: "trigger",
  /** Webhooks, without secrets. */
  webhooks: "webhook",
} as const satisfies Record<Kind, string>;
