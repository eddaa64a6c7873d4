/**
 * The kinds of object, as the mock uses them: the schemas package's table
 * (KIND_TABLE, the one source of which version has, exports and imports each
 * kind, and its schemas; scopes are `<kind>:read` and `<kind>:write`), and how
 * a stored object is shown in an export (sessions with their steps inline,
 * tools with masked headers, never a secret).
 * @module
 */
import type { v1_2 } from "@resonantgenesis/schemas";
import type { Kind } from "@resonantgenesis/schemas/meta";
import { maskTool } from "./domain/tools.js";
import type { Account } from "./store.js";

export { KINDS, KIND_TABLE, type Kind } from "@resonantgenesis/schemas/meta";

/** A stored object as an export shows it (fullest shape; the caller serialises per version). */
export function exportView(account: Account, kind: Kind, item: { id: string }): unknown {
  if (kind === "sessions") return { ...item, steps: account.sessionExtras.get(item.id)?.steps.values() ?? [] };
  if (kind === "tools") return maskTool(item as v1_2.Tool);
  return item;
}
