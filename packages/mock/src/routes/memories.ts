/**
 * Memories (1.2): create, list with `?agent_id&tag`, get, delete, and search.
 * Search scores are deterministic: the share of the query's distinct words
 * found in the memory's content or tags (0..1), best first; ties go to the
 * more important, then the older memory. Hits scoring 0 or below `min_score`
 * are left out.
 * @module
 */
import type { Ctx, RouteDef } from "../context.js";
import { findOr404 } from "../domain/common.js";
import { buildMemory, score, type MemoryFields } from "../domain/memories.js";
import { json, listResponse, noContent, nowIso, parseBody, present, readListQuery } from "./shared.js";

function list(ctx: Ctx): Response {
  const query = readListQuery(ctx, { agent_id: "id", tag: "string" });
  const { agent_id: agentId, tag } = query.filters;
  return listResponse(ctx, ctx.account.memories, "Memory", query, (m) => (!agentId || m.agent_id === agentId) && (!tag || m.tags.includes(tag)));
}

function create(ctx: Ctx): Response {
  const params = parseBody<MemoryFields>(ctx, "MemoryCreateParams");
  if (params.agent_id) findOr404(ctx.account.agents, "agent", params.agent_id);
  const memory = ctx.account.memories.insert(buildMemory(params, nowIso(ctx)));
  ctx.internals.events.emit(ctx.account, "memory.created", memory);
  return json(201, present(ctx, "Memory", memory));
}

function get(ctx: Ctx): Response {
  return json(200, present(ctx, "Memory", findOr404(ctx.account.memories, "memory", ctx.params.id)));
}

function remove(ctx: Ctx): Response {
  const memory = findOr404(ctx.account.memories, "memory", ctx.params.id);
  ctx.account.memories.delete(memory.id);
  return noContent();
}

function search(ctx: Ctx): Response {
  const params = parseBody<{ query: string; agent_id?: string; limit?: number; min_score?: number }>(ctx, "MemorySearchParams");
  const minScore = params.min_score ?? 0;
  const all = ctx.account.memories.values();
  const hits = all
    .filter((m) => !params.agent_id || m.agent_id === params.agent_id)
    .map((memory, order) => ({ memory, score: score(params.query, memory), order }))
    .filter((h) => h.score > 0 && h.score >= minScore)
    .sort((a, b) => b.score - a.score || b.memory.importance - a.memory.importance || a.order - b.order)
    .slice(0, params.limit ?? 10);
  // Search answers one ranked page: no cursor, has_more false.
  return json(200, { object: "list", data: hits.map((h) => present(ctx, "MemorySearchHit", { memory: h.memory, score: h.score })), has_more: false, next_cursor: null });
}

/** The memory routes. */
export const memoryRoutes: RouteDef[] = [
  { method: "GET", path: "/memories", since: "1.2", scope: "memories:read", handler: list },
  { method: "POST", path: "/memories", since: "1.2", scope: "memories:write", handler: create },
  { method: "POST", path: "/memories/search", since: "1.2", scope: "memories:read", handler: search },
  { method: "GET", path: "/memories/:id", since: "1.2", scope: "memories:read", handler: get },
  { method: "DELETE", path: "/memories/:id", since: "1.2", scope: "memories:write", handler: remove },
];
