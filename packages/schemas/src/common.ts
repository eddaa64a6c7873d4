import * as z from "zod/mini";
import { metadataWithinLimit } from "./rules.js";

/** An object id: a UUID string. Kept lenient (any RFC 4122-shaped id) because imports keep ids from other accounts. */
export const Id = z.guid();

/**
 * An id a request sends back (a body field or a query parameter naming an
 * object): any non-empty string. Answers' ids are UUIDs today, but a 1.x
 * server may move to ids in another format (docs/protocol.md section 8:
 * "every id is a string, and a client never needs more"), and a client must
 * be able to send back any id it was given. Whether the object exists is
 * the server's to say (404 or 422).
 */
export const RequestId = z.string().check(z.minLength(1));

/** An ISO-8601 timestamp in UTC, as every `*_at` field carries. */
export const Timestamp = z.iso.datetime({ offset: true });

/** A map of string to string with at most 16 keys. */
export const Metadata = z
  .record(z.string(), z.string())
  .check(z.refine(metadataWithinLimit, { message: "must have at most 16 keys" }));

// zod's own hostname pattern (z.regexes.hostname), written out: reading it through
// the `z.regexes` namespace pulls every zod regex into a browser bundle (+2.4 KB gzip).
const HOSTNAME =
  /^(?=.{1,253}\.?$)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[-0-9a-zA-Z]{0,61}[0-9a-zA-Z])?)*\.?$/;

/** An `https:` URL, as webhooks and tool endpoints require. */
export const HttpsUrl = z.url({ protocol: /^https$/, hostname: HOSTNAME });

/** Query parameters that every list endpoint takes. */
export const ListParams = z.strictObject({
  /** How many items a page holds at most. */
  limit: z.optional(z.int().check(z.minimum(1), z.maximum(100))),
  /** Where the previous page ended (its `next_cursor`). */
  cursor: z.optional(z.string().check(z.minLength(1))),
});

/** How an import treats an object whose id already exists. */
export const OnConflict = z.enum(["skip", "overwrite", "fail"]);

/** Query parameters of every `GET /<kind>/export` endpoint. */
export const ExportParams = z.strictObject({
  /** How many items a page holds at most. */
  limit: z.optional(z.int().check(z.minimum(1), z.maximum(10_000))),
  /** Where the previous page ended (its `next_cursor`). */
  cursor: z.optional(z.string().check(z.minLength(1))),
});

/** The envelope of every list answer, around the item schema of one kind. */
export function listPage<T extends z.ZodMiniType>(item: T) {
  return z.object({
    /** Always `list`. */
    object: z.literal("list"),
    /** The items of this page. */
    data: z.array(item),
    /** Whether another page follows. */
    has_more: z.boolean(),
    /** The cursor of the next page, or null on the last. */
    next_cursor: z.nullable(z.string()),
  });
}

/** One page of `GET /<kind>/export`: `{ "<kind>": [...], "next_cursor": ... }`. */
export function exportPage<K extends string, T extends z.ZodMiniType>(kind: K, item: T) {
  return z.object({ [kind]: z.array(item), next_cursor: z.nullable(z.string()) } as {
    [P in K]: z.ZodMiniArray<T>;
  } & { next_cursor: z.ZodMiniNullable<z.ZodMiniString<string>> });
}

/** The body of `POST /<kind>/import`: at most 1,000 items of one kind. */
export function importRequest<K extends string, T extends z.ZodMiniType>(kind: K, item: T) {
  return z.strictObject({
    [kind]: z.array(item).check(z.maxLength(1000)),
    /** What to do with an item whose id exists: skip it (default), overwrite it, or fail it. */
    on_conflict: z.optional(OnConflict),
  } as { [P in K]: z.ZodMiniArray<T> } & { on_conflict: z.ZodMiniOptional<typeof OnConflict> });
}

/**
 * A value the server may add to (docs/protocol.md section 8): the known members,
 * which still narrow, or any other string a newer server sends.
 */
export type Open<T extends string> = T | (string & {});

/**
 * An answer's enum: the same schema (requests keep using it strictly), typed
 * as {@link Open} so the types say what the compatible reading lets through.
 */
export function open<S extends z.ZodMiniType<string, string>>(
  schema: S,
): z.ZodMiniType<Open<z.output<S>>, Open<z.input<S>>> {
  return schema as unknown as z.ZodMiniType<Open<z.output<S>>, Open<z.input<S>>>;
}

/** A list page of items of type `T`. */
export type ListPage<T> = { object: "list"; data: T[]; has_more: boolean; next_cursor: string | null };

/** Inferred types of the shared building blocks. */
export type Id = z.infer<typeof Id>;
/** @see {@link Metadata} */
export type Metadata = z.infer<typeof Metadata>;
/** @see {@link ListParams} */
export type ListParams = z.input<typeof ListParams>;
/** @see {@link OnConflict} */
export type OnConflict = z.infer<typeof OnConflict>;
/** @see {@link ExportParams} */
export type ExportParams = z.input<typeof ExportParams>;
