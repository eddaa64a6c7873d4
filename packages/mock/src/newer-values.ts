/**
 * Values a later 1.x version added, met by an older version: a webhook a 1.2
 * client subscribed to `team.created`, read or imported through 1.0 or 1.1.
 * docs/protocol.md section 8 lets a 1.x server send "new values of any enum"
 * and "new webhook event types" to every client of the major version, and
 * asks that "an export then import made by an older client must carry them
 * over". So they pass through as stored: leaving them out would make an older
 * client's read-modify-write (or its archive) drop them without a word, and
 * would leave a webhook subscribed only to 1.2 events with the empty `events`
 * 1.0 forbids. Request bodies stay checked against the served version alone
 * (section 8: a client checks what it sends against its own version).
 * @module
 */
import { PARSE_OPTIONS, schemas, tolerant, type ApiVersion } from "@resonantgenesis/schemas";
import { CURRENT_API_VERSION } from "@resonantgenesis/schemas/meta";
import type { SchemaLike } from "./domain/common.js";

type Parsed = ReturnType<SchemaLike["safeParse"]>;

const tolerantOf = (schema: SchemaLike): SchemaLike =>
  tolerant(schema as never as Parameters<typeof tolerant>[0]) as unknown as SchemaLike;

/** The current version's schema of the same name: what the server itself knows. */
function currentSchema(name: string): SchemaLike {
  const schema = (schemas[CURRENT_API_VERSION] as unknown as Record<string, SchemaLike | undefined>)[name];
  if (!schema) throw new Error(`API ${CURRENT_API_VERSION} has no schema ${name}`);
  return schema;
}

/**
 * A stored (current-shaped) object as `version`'s schema `name` shows it. When it
 * holds values only a later version has, the version's fields are taken by its
 * tolerant reading (later fields still dropped, values kept); the object is then
 * checked against the current schema instead, so a bug in it is still a 500.
 */
export function showStored(version: ApiVersion, name: string, schema: SchemaLike, stored: unknown): unknown {
  const strict = schema.safeParse(stored);
  if (strict.success) return strict.data;
  if (version === CURRENT_API_VERSION) return schema.parse(stored);
  currentSchema(name).parse(stored);
  return tolerantOf(schema).parse(stored);
}

/**
 * An imported item read with `version`'s schema `name`, accepting values that
 * only a later version has: the item is read tolerantly, then `fill`ed to the
 * current shape and checked with the current schema, so a value no version
 * knows still fails it. A failure answers the version's own issues.
 */
export function readCarried(
  version: ApiVersion,
  name: string,
  schema: SchemaLike,
  raw: unknown,
  fill: (item: Record<string, unknown>) => Record<string, unknown>,
): Parsed {
  const strict = schema.safeParse(raw, PARSE_OPTIONS);
  if (strict.success || version === CURRENT_API_VERSION) return strict;
  const carried = tolerantOf(schema).safeParse(raw, PARSE_OPTIONS);
  if (!carried.success) return strict;
  const known = currentSchema(name).safeParse(fill(carried.data as Record<string, unknown>), PARSE_OPTIONS);
  return known.success ? carried : strict;
}
