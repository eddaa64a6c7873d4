import * as z from "zod/mini";
import { Id, ListParams, Metadata, RequestId, Timestamp } from "../common.js";

/** A memory: a piece of knowledge an agent can recall (API 1.2). */
export const Memory = z.object({
  /** The object's id (a UUID). */
  id: Id,
  /** Always `memory`. */
  object: z.literal("memory"),
  /** What is remembered (1 to 8,000 characters). */
  content: z.string().check(z.minLength(1), z.maxLength(8000)),
  /** The agent the memory belongs to, or null for the whole account. */
  agent_id: z.nullable(Id),
  /** Tags to filter by. */
  tags: z.array(z.string()),
  /** How much it matters, 0 to 1 (default 0.5). */
  importance: z.number().check(z.minimum(0), z.maximum(1)),
  /** Your own string-to-string map (at most 16 keys). */
  metadata: Metadata,
  /** When it was created (ISO-8601 UTC). */
  created_at: Timestamp,
});

/** The body of `POST /memories`. */
export const MemoryCreateParams = z.strictObject({
  /** What is remembered (1 to 8,000 characters). */
  content: z.string().check(z.minLength(1), z.maxLength(8000)),
  /** The agent the memory belongs to, or null for the whole account. */
  agent_id: z.optional(z.nullable(RequestId)),
  /** Tags to filter by. */
  tags: z.optional(z.array(z.string().check(z.minLength(1)))),
  /** How much it matters, 0 to 1 (default 0.5). */
  importance: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  /** Your own string-to-string map (at most 16 keys). */
  metadata: z.optional(Metadata),
});

/** The query of `GET /memories`. */
export const MemoryListParams = z.extend(ListParams, {
  agent_id: z.optional(RequestId),
  tag: z.optional(z.string().check(z.minLength(1))),
});

/** The body of `POST /memories/search`. */
export const MemorySearchParams = z.strictObject({
  /** What to search for. */
  query: z.string().check(z.minLength(1)),
  /** The agent the memory belongs to, or null for the whole account. */
  agent_id: z.optional(RequestId),
  /** How many hits at most (default 10). */
  limit: z.optional(z.int().check(z.minimum(1), z.maximum(100))),
  /** Leave out hits scoring below this (0 to 1). */
  min_score: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
});

/** One hit of a memory search, best first. */
export const MemorySearchHit = z.object({ memory: Memory, score: z.number().check(z.minimum(0), z.maximum(1)) });

/** @see {@link Memory} */
export type Memory = z.infer<typeof Memory>;
/** @see {@link MemoryCreateParams} */
export type MemoryCreateParams = z.input<typeof MemoryCreateParams>;
/** @see {@link MemoryListParams} */
export type MemoryListParams = z.input<typeof MemoryListParams>;
/** @see {@link MemorySearchParams} */
export type MemorySearchParams = z.input<typeof MemorySearchParams>;
/** @see {@link MemorySearchHit} */
export type MemorySearchHit = z.infer<typeof MemorySearchHit>;
