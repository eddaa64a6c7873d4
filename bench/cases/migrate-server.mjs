/**
 * The server of the migrate figure, in its own process (the bench runs its
 * children with spawnSync): what `resonant migrate up` needs of an account
 * of N agents and nothing more, answered from prebuilt text like the bench
 * fixture. `/n/<N>/api/v1.2/agents/export` pages N agents (up to `limit` a
 * page, 10,000 by default and at most, as the protocol says; built lazily,
 * the bench fixture's agent padded as every figure's is);
 * `PATCH /agents/<id>` answers the fixture's agent, for the migration and
 * its floor alike; memories (the ledger and the lease) and a count of
 * PATCHes are kept per run (`/n/<N>/r/<run>/api`, so each run starts from
 * an empty ledger), and `GET /n/<N>/r/<run>/patches` answers the count.
 * Prints its URL; ends when stdin closes.
 */
import { randomUUID } from "node:crypto";
import { announceAndWait, listenOnLoopback } from "../lib.mjs";
import { createServer } from "node:http";
import { agentJson } from "../bodies.mjs";

const PAGE = 10_000;
const HEADERS = { "content-type": "application/json", "x-request-id": "req_bench", "x-api-version": "1.2" };
const agent = Buffer.from(agentJson(1));
/** Per run (the `/r/<run>` part of the base URL): its memories and how many PATCHes it made. */
const runs = new Map();
const runOf = (key) => {
  let r = runs.get(key);
  if (!r) runs.set(key, (r = { memories: [], patches: 0 }));
  return r;
};

/** Agent i (from 1) as the export gives it: the fixture's agent on gpt-4-turbo. */
const exported = (i) => agentJson(i).replace(/"model":"[^"]*"/, '"model":"gpt-4-turbo"');

function exportPage(res, n, cursor, limit) {
  const from = cursor ? Number(cursor) : 0;
  // As the protocol says: up to `limit` a page, 10,000 by default and at most.
  const size = Math.min(PAGE, Math.max(1, Number(limit) || PAGE));
  const to = Math.min(n, from + size);
  const parts = [];
  for (let i = from; i < to; i++) parts.push(exported(i + 1));
  res.writeHead(200, HEADERS);
  res.end(`{"agents":[${parts.join(",")}],"next_cursor":${to < n ? `"${to}"` : "null"}}`);
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://x");
  const m = /^\/n\/(\d+)\/r\/(\w+)\/(?:api\/v1\.2\/)?(.*)$/.exec(url.pathname);
  const n = Number(m?.[1]);
  const run = runOf(m?.[2] ?? "");
  const memories = run.memories;
  const path = m?.[3] ?? "";
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    if (req.method === "GET" && path === "agents/export")
      return exportPage(res, n, url.searchParams.get("cursor"), url.searchParams.get("limit"));
    if (req.method === "GET" && path === "patches") {
      res.writeHead(200, HEADERS);
      return res.end(JSON.stringify({ patches: run.patches }));
    }
    if (req.method === "PATCH" && path.startsWith("agents/")) {
      run.patches++;
      res.writeHead(200, { ...HEADERS, "content-length": String(agent.length) });
      return res.end(agent);
    }
    if (path === "memories" && req.method === "GET") {
      const tag = url.searchParams.get("tag");
      res.writeHead(200, HEADERS);
      return res.end(
        JSON.stringify({
          object: "list",
          data: memories.filter((x) => !tag || x.tags.includes(tag)),
          has_more: false,
          next_cursor: null,
        }),
      );
    }
    if (path === "memories" && req.method === "POST") {
      const input = JSON.parse(body);
      const memory = {
        id: randomUUID(),
        object: "memory",
        content: input.content,
        agent_id: null,
        tags: input.tags ?? [],
        importance: 0.5,
        metadata: input.metadata ?? {},
        created_at: new Date().toISOString(),
      };
      memories.push(memory);
      res.writeHead(201, HEADERS);
      return res.end(JSON.stringify(memory));
    }
    if (path.startsWith("memories/") && req.method === "DELETE") {
      const i = memories.findIndex((x) => x.id === path.slice("memories/".length));
      if (i >= 0) memories.splice(i, 1);
      res.writeHead(204);
      return res.end();
    }
    res.writeHead(404, HEADERS);
    res.end(`{"error":{"code":"not_found","message":"no bench answer for ${req.method} ${url.pathname}"}}`);
  });
});
announceAndWait({ url: await listenOnLoopback(server) });
