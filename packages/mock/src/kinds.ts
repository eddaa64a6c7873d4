/**
 * The kinds of object as data: which version exports and imports each, the
 * schema an exported item has, the scopes, and how a stored object is shown
 * in an export (sessions with their steps inline, tools with masked headers,
 * never a secret).
 * @module
 */
import type { v1_2 } from "@resonantgenesis/schemas";
import { KINDS as SCHEMA_KINDS, KIND_TABLE, type Kind as SchemaKind, type KindInfo as SchemaKindInfo } from "@resonantgenesis/schemas/meta";
import type { Scope } from "./auth.js";
import { maskTool } from "./domain/tools.js";
import type { Account } from "./store.js";

/** One kind (plural, as in paths and archives). */
export type Kind = SchemaKind;

/** Every kind in dependency order: tools, agents, teams, sessions, memories, triggers, webhooks. */
export const KINDS: readonly Kind[] = SCHEMA_KINDS;

/** What the mock knows about one kind: the schemas package's row, and the scopes that guard it. */
export interface KindInfo extends SchemaKindInfo {
  read: Scope;
  write: Scope;
}

/** The kind table: the schemas package's (the one source of which version has what), with scopes. */
export const KIND_INFO: Readonly<Record<Kind, KindInfo>> = Object.fromEntries(
  KINDS.map((kind) => [kind, { ...KIND_TABLE[kind], read: `${kind}:read` as Scope, write: `${kind}:write` as Scope }]),
) as Record<Kind, KindInfo>;

/** A stored object as an export shows it (fullest shape; the caller serialises per version). */
export function exportView(account: Account, kind: Kind, item: { id: string }): unknown {
  if (kind === "sessions") return { ...item, steps: account.sessionExtras.get(item.id)?.steps.values() ?? [] };
  if (kind === "tools") return maskTool(item as v1_2.Tool);
  return item;
}
