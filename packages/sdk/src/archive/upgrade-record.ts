/**
 * The upgrade of one exported object, for archives and record streams alike.
 * @module
 */
import type { ApiVersion } from "@resonantgenesis/schemas/meta";
import { stepsBetween } from "./chain.js";

/**
 * One exported object of kind `kind` (plural, as in archives: `"agents"`,
 * `"webhooks"`, ...) taken from API version `from` to `to`, step by step
 * (1.0 -> 1.1 -> 1.2), each field a newer version adds set to its default:
 * agents gain `tool_ids: []` (1.1), `version: 1` and `memory_enabled: false`
 * (1.2); sessions `team_id: null`, webhooks `description: null` and
 * `filters: {}` (1.2). A field already present is never overwritten, and
 * unknown fields and kinds pass through verbatim.
 *
 * Pure: `data` is never mutated; the result shares the values it did not
 * change (and is `data` itself when nothing was missing). Does not validate
 * the object: `importAll` does that.
 *
 * @throws {@link RequestValidationError} when `to` is older than `from`, or
 *   either is not a version this SDK knows.
 * @example `const agent12 = upgradeRecord("agents", agent10, "1.0", "1.2");`
 */
export function upgradeRecord(
  kind: string,
  data: Record<string, unknown>,
  from: ApiVersion,
  to: ApiVersion,
): Record<string, unknown> {
  let record = data;
  for (const step of stepsBetween(from, to)) record = step.upgrade(kind, record);
  return record;
}
