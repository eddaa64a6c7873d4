/**
 * The fixture server: a separate process (pinned to its own CPU by run.mjs),
 * answering every contender from precomputed buffers over a plain node:http
 * server, so the server costs the same small amount for everyone and is never
 * the bottleneck. Large exports are generated lazily with backpressure, so a
 * 1M-record account costs the server no memory. It also starts the full mock
 * (`startMockServer`) for the one "vs the full mock" row.
 *
 * Prints one JSON line on stdout when ready: { url, mockBaseURL, mockAgentId, mockKey }.
 */
import { createServer } from "node:http";
import { once } from "node:events";
import { startMockServer } from "@resonantgenesis/mock/server";
import { DEMO_API_KEY } from "@resonantgenesis/mock";
import { archiveChunks, fixedBodies, ndjsonChunks } from "./bodies.mjs";
import { announceAndWait, listenOnLoopback } from "./lib.mjs";

const bodies = fixedBodies();
// One buffer and one header list per answer, made once.
const answers = Object.fromEntries(
  Object.entries(bodies).map(([name, text]) => {
    const body = Buffer.from(text);
    const headers = [
      "content-type",
      "application/json",
      "content-length",
      String(body.length),
      "x-request-id",
      "req_bench",
      "request-id",
      "req_bench",
    ];
    return [name, { body, headers }];
  }),
);

// Route by prefix: [prefix, single-object answer, list answer].
const ROUTES = [
  ["/api/v1.2/agents", "agent", "agentPage"],
  ["/openai/v1/models", "openaiModel", "openaiList"],
  ["/anthropic/v1/models", "anthropicModel", "anthropicList"],
  ["/v1/customers", "stripeCustomer", "stripeList"],
];
const EXPORT = /^\/n\/(\d+)\/api\/v1\.2\/data\/export(\?|$)/;

async function streamExport(req, res, n) {
  const ndjson = (req.headers.accept ?? "").includes("application/x-ndjson");
  res.writeHead(200, {
    "content-type": ndjson ? "application/x-ndjson" : "application/json",
    "x-request-id": "req_bench",
  });
  for (const chunk of ndjson ? ndjsonChunks(n) : archiveChunks(n)) {
    if (!res.write(chunk)) await once(res, "drain");
    if (res.destroyed) return;
  }
  res.end();
}

const server = createServer((req, res) => {
  const url = req.url ?? "/";
  const exp = EXPORT.exec(url);
  if (exp) return void streamExport(req, res, Number(exp[1])).catch(() => res.destroy());
  for (const [prefix, one, list] of ROUTES) {
    if (!url.startsWith(prefix)) continue;
    const rest = url.slice(prefix.length);
    const answer = rest.startsWith("/") && rest.length > 1 ? answers[one] : answers[list];
    res.writeHead(200, answer.headers);
    res.end(answer.body);
    return;
  }
  res.writeHead(404, { "content-type": "application/json" });
  res.end(`{"error":{"code":"not_found","message":"no fixture at ${url}"}}`);
});
const url = await listenOnLoopback(server);

// The full mock, for one row only; its rate limit is lifted so it never answers 429.
const mock = await startMockServer({ seed: { agents: 1 }, rateLimit: 1e9 });
const res = await fetch(`${mock.baseURL}/v1.2/agents?limit=1`, {
  headers: { authorization: `Bearer ${DEMO_API_KEY}` },
});
const mockAgentId = (await res.json()).data[0].id;

announceAndWait({ url, mockBaseURL: mock.baseURL, mockAgentId, mockKey: DEMO_API_KEY });
