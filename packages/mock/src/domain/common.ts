/**
 * What every kind's domain code shares: the served version's schemas by name,
 * and the lookup that turns a missing object into its kind's 404.
 * @module
 */
import { schemas, type ApiVersion, type PARSE_OPTIONS } from "@resonantgenesis/schemas";
import { ApiError, type SchemaIssue } from "../errors.js";
import type { Collection } from "../store.js";

/** The parts of a zod schema the mock uses (structural, so the mock needs no direct zod dependency). */
export interface SchemaLike {
  /** Parses or throws. */
  parse(value: unknown): unknown;
  /** Parses and reports every issue. */
  safeParse(
    value: unknown,
    options?: typeof PARSE_OPTIONS,
  ): { success: true; data: unknown } | { success: false; error: { issues: SchemaIssue[] } };
}

/** The schema called `name` in `version`'s module; throws when the version lacks it (a bug in the route table). */
export function schemaFor(version: ApiVersion, name: string): SchemaLike {
  const schema = (schemas[version] as unknown as Record<string, SchemaLike | undefined>)[name];
  if (!schema) throw new Error(`API ${version} has no schema ${name}`);
  return schema;
}

/** True when `version` has a schema called `name` (a kind or field that version knows). */
export function hasSchema(version: ApiVersion, name: string): boolean {
  return name in (schemas[version] as object);
}

/** The object `id` of `collection`, or a 404 with the kind's code (`agent_not_found`...). */
export function findOr404<T extends { id: string }>(
  collection: Collection<T>,
  kind: string,
  id: string | undefined,
): T {
  const item = id ? collection.get(id) : undefined;
  if (!item) throw new ApiError({ status: 404, code: `${kind}_not_found`, message: `No ${kind} with id ${id ?? ""}` });
  return item;
}

/**
 * A new stored object's common part around its own fields `body`: `id` (a new
 * UUID unless given), `object` (the kind) and `created_at`, in the key order
 * every answer shows.
 */
export function created<K extends string, B extends object>(
  object: K,
  now: string,
  id: string | undefined,
  body: B,
): { id: string; object: K } & B & { created_at: string } {
  return { id: id ?? crypto.randomUUID(), object, ...body, created_at: now };
}

/** As {@link created}, for the kinds that are edited: `updated_at` starts equal to `created_at`. */
export function stamped<K extends string, B extends object>(
  object: K,
  now: string,
  id: string | undefined,
  body: B,
): { id: string; object: K } & B & { created_at: string; updated_at: string } {
  return { ...created(object, now, id, body), updated_at: now };
}
