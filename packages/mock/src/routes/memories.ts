/**
 * Memories (1.2): create, list with `?agent_id&tag`, get, delete, and search.
 * Search scores are deterministic: the share of the query's distinct words
 * found in the memory's content or tags (0..1), best first; ties go to the
 * more important, then the older memory. Hits scoring 0 or below `min_score`
 * are left out.
 * @module
 */
import { findOr404 } from "../domain/common.js";
import { buildMemory, score, type MemoryFields } from "../domain/memories.js";
import type { RouteContext, RouteDef } from "../gateway/env.js";
import { itemRoutes, kindRoute } from "./kind-routes.js";
import { json, listResponse, nowIso, parseBody, present, readListQuery } from "./shared.js";

function list(c: RouteContext): Response {
  const query = readListQuery(c, { agent_id: "string", tag: "string" });
  const { agent_id: agentId, tag } = query.filters;
  return listResponse(
    c,
    c.get("account").memories,
    "Memory",
    query,
    (m) => (!agentId || m.agent_id === agentId) && (!tag || m.tags.includes(tag)),
  );
}

function create(c: RouteContext): Response {
  const account = c.get("account");
  const params = parseBody<MemoryFields>(c, "MemoryCreateParams");
  if (params.agent_id) findOr404(account.agents, "agent", params.agent_id);
  const memory = account.memories.insert(buildMemory(params, nowIso(c)));
  c.get("services").events.emit(account, "memory.created", memory);
  return json(201, present(c, "Memory", memory));
}

function search(c: RouteContext): Response {
  const params = parseBody<{ query: string; agent_id?: string; limit?: number; min_score?: number }>(
    c,
    "MemorySearchParams",
  );
  const minScore = params.min_score ?? 0;
  const all = c.get("account").memories.values();
  const hits = all
    .filter((m) => !params.agent_id || m.agent_id === params.agent_id)
    .map((memory, order) => ({ memory, score: score(params.query, memory), order }))
    .filter((h) => h.score > 0 && h.score >= minScore)
    .sort((a, b) => b.score - a.score || b.memory.importance - a.memory.importance || a.order - b.order)
    .slice(0, params.limit ?? 10);
  // Search answers one ranked page: no cursor, has_more false.
  return json(200, {
    object: "list",
    data: hits.map((h) => present(c, "MemorySearchHit", { memory: h.memory, score: h.score })),
    has_more: false,
    next_cursor: null,
  });
}

/** The memory routes (no PATCH: a memory is replaced, not edited). */
export const memoryRoutes: RouteDef[] = [
  kindRoute("memories", "GET", "/memories", list),
  kindRoute("memories", "POST", "/memories", create),
  kindRoute("memories", "POST", "/memories/search", search, "read"),
  ...itemRoutes("memories"),
];
