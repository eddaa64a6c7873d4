/**
 * The kinds of object as data: which version exports and imports each, the
 * schema an exported item has, the scopes, and how a stored object is shown
 * in an export (sessions with their steps inline, tools with masked headers,
 * never a secret).
 * @module
 */
import { v1_2, type ApiVersion } from "@resonantgenesis/schemas";
import type { Scope } from "./auth.js";
import { maskTool } from "./routes/tools.js";
import type { Account } from "./store.js";

/** One kind (plural, as in paths and archives). */
export type Kind = v1_2.Kind;

/** Every kind in dependency order: tools, agents, teams, sessions, memories, triggers, webhooks. */
export const KINDS: readonly Kind[] = v1_2.KINDS;

/** What the mock knows about one kind. */
export interface KindInfo {
  /** The record name of the NDJSON export (`agent`). */
  singular: string;
  /** The per-version schema of one exported (and importable) item. */
  itemSchema: string;
  /** The first version with `GET /<kind>/export`. */
  exportSince: ApiVersion;
  /** The first version with `POST /<kind>/import`. */
  importSince: ApiVersion;
  /** The first version that has the kind at all. */
  since: ApiVersion;
  read: Scope;
  write: Scope;
}

/** The kind table. */
export const KIND_INFO: Readonly<Record<Kind, KindInfo>> = {
  tools: { singular: "tool", itemSchema: "Tool", exportSince: "1.1", importSince: "1.2", since: "1.1", read: "tools:read", write: "tools:write" },
  agents: { singular: "agent", itemSchema: "Agent", exportSince: "1.0", importSince: "1.0", since: "1.0", read: "agents:read", write: "agents:write" },
  teams: { singular: "team", itemSchema: "Team", exportSince: "1.2", importSince: "1.2", since: "1.2", read: "teams:read", write: "teams:write" },
  sessions: {
    singular: "session",
    itemSchema: "ExportedSession",
    exportSince: "1.0",
    importSince: "1.2",
    since: "1.0",
    read: "sessions:read",
    write: "sessions:write",
  },
  memories: {
    singular: "memory",
    itemSchema: "Memory",
    exportSince: "1.2",
    importSince: "1.2",
    since: "1.2",
    read: "memories:read",
    write: "memories:write",
  },
  triggers: {
    singular: "trigger",
    itemSchema: "Trigger",
    exportSince: "1.2",
    importSince: "1.2",
    since: "1.2",
    read: "triggers:read",
    write: "triggers:write",
  },
  webhooks: {
    singular: "webhook",
    itemSchema: "Webhook",
    exportSince: "1.2",
    importSince: "1.2",
    since: "1.0",
    read: "webhooks:read",
    write: "webhooks:write",
  },
};


/** A stored object as an export shows it (fullest shape; the caller serialises per version). */
export function exportView(account: Account, kind: Kind, item: { id: string }): unknown {
  if (kind === "sessions") return { ...item, steps: account.sessionExtras.get(item.id)?.steps.values() ?? [] };
  if (kind === "tools") return maskTool(item as v1_2.Tool);
  return item;
}
