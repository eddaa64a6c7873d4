/**
 * Memories as stored objects, and how search scores them. Scores are
 * deterministic, so tests can assert a ranking: the share of the query's
 * distinct words found in the memory's content or tags (0..1).
 * @module
 */
import type { v1_2 } from "@resonantgenesis/schemas";
import { created } from "./common.js";

/** The fields of a new memory. */
export type MemoryFields = Partial<Pick<v1_2.Memory, "agent_id" | "tags" | "importance" | "metadata">> &
  Pick<v1_2.Memory, "content">;

/** A new memory in its fullest shape. */
export function buildMemory(fields: MemoryFields, now: string, id?: string): v1_2.Memory {
  return created("memory", now, id, {
    content: fields.content,
    agent_id: fields.agent_id ?? null,
    tags: fields.tags ?? [],
    importance: fields.importance ?? 0.5,
    metadata: fields.metadata ?? {},
  });
}

/** Lower-case word tokens. */
export function tokens(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

/** The share of the query's words that the memory contains, rounded to 4 places. */
export function score(query: string, memory: v1_2.Memory): number {
  const q = tokens(query);
  if (q.size === 0) return 0;
  const have = tokens(`${memory.content} ${memory.tags.join(" ")}`);
  let hits = 0;
  for (const word of q) if (have.has(word)) hits += 1;
  return Math.round((hits / q.size) * 10_000) / 10_000;
}
