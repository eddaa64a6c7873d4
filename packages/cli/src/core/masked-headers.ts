/**
 * Tool header values, which no export carries: answers and exports show each
 * key with the value `"***"` (docs/protocol.md, 1.1), so a tool an import
 * creates or overwrites holds `"***"` where each value was. The import engine
 * notes each such tool it sends, and the run names them at its end, as it
 * names the webhooks and triggers that got new secrets.
 * @module
 */
import { RawJson } from "@resonantgenesis/sdk";
import type { Reporter } from "../ui/reporter.js";
import { idOf } from "./exact.js";

/** What answers and exports show for a tool's header value. */
const MASK = "***";
const SHOWN = 20;

/** True when `item` (a tool, or its RawJson) has a masked header value. */
function hasMaskedHeaders(item: unknown): boolean {
  const value = item instanceof RawJson ? item.value : item;
  const headers = (value as { headers?: unknown } | null)?.headers;
  return typeof headers === "object" && headers !== null && Object.values(headers).includes(MASK);
}

/** The ids of a batch's items (not refused: `failed`) that are tools with masked header values; none for another kind, at once. */
export function maskedHeaderIds(kind: string, items: readonly unknown[], failed: ReadonlySet<string>): string[] {
  if (kind !== "tools") return [];
  return items
    .filter(hasMaskedHeaders)
    .map(idOf)
    .filter((id) => !failed.has(id));
}

/** Names the tools sent with masked header values: their values are to be set again on the target. */
export function reportMaskedHeaders(ids: readonly string[], reporter: Reporter): void {
  if (ids.length === 0) return;
  reporter.event("masked_headers", { kind: "tools", ids });
  const lines = ids.slice(0, SHOWN).map((id) => `  tools ${id}`);
  if (ids.length > SHOWN) lines.push(`  ... and ${ids.length - SHOWN} more (--json lists all)`);
  reporter.text(
    `${ids.length} tool(s) were sent with their header values masked ("${MASK}"), as every export shows them: a tool the import created or overwrote holds "${MASK}" for each value; set them again on the target (PATCH /tools/{id} with its headers):\n${lines.join("\n")}`,
  );
}
