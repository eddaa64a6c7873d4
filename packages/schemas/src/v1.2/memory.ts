import * as z from "zod";
import { Id, ListParams, Metadata, Timestamp } from "../common.js";

/** A memory: a piece of knowledge an agent can recall (API 1.2). */
export const Memory = z.object({
  id: Id,
  object: z.literal("memory"),
  content: z.string().min(1).max(8000),
  agent_id: Id.nullable(),
  tags: z.array(z.string()),
  importance: z.number().min(0).max(1),
  metadata: Metadata,
  created_at: Timestamp,
});

/** The body of `POST /memories`. */
export const MemoryCreateParams = z.strictObject({
  content: z.string().min(1).max(8000),
  agent_id: Id.nullable().optional(),
  tags: z.array(z.string().min(1)).optional(),
  importance: z.number().min(0).max(1).optional(),
  metadata: Metadata.optional(),
});

/** The query of `GET /memories`. */
export const MemoryListParams = ListParams.extend({ agent_id: Id.optional(), tag: z.string().min(1).optional() });

/** The body of `POST /memories/search`. */
export const MemorySearchParams = z.strictObject({
  query: z.string().min(1),
  agent_id: Id.optional(),
  limit: z.int().min(1).max(100).optional(),
  min_score: z.number().min(0).max(1).optional(),
});

/** One hit of a memory search, best first. */
export const MemorySearchHit = z.object({ memory: Memory, score: z.number().min(0).max(1) });

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
