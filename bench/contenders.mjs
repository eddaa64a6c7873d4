/**
 * The HTTP contenders of the latency and throughput cases: each makes the same
 * call (one ~450-byte object, or a 100-item page) against its own shape of
 * route on the fixture server, the way its users write it, with its defaults.
 * Every one resolves to parsed JSON, so none is credited for skipping the parse.
 */
import http from "node:http";
import ky from "ky";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import Stripe from "stripe";
import { v1_2 } from "@resonantgenesis/schemas";
import { createNodeFetch, ResonantClient } from "@resonantgenesis/sdk";

const KEY = "rg_test_sk_bench";
const AGENT_ID = "00000000-0000-4000-8000-000000000001";

/** node:http with a keep-alive agent and no socket cap: the floor on Node. */
function nodeHttpGet(agent, url) {
  return new Promise((resolve, reject) => {
    const req = http.get(
      url,
      { agent, headers: { authorization: `Bearer ${KEY}`, accept: "application/json" } },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          try {
            resolve(JSON.parse(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
          } catch (error) {
            reject(error);
          }
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
  });
}

/** The contenders against the fixture at `url`; `one` and `page` make one call each. */
export function makeContenders({ url, mockBaseURL, mockAgentId, mockKey }) {
  const api = `${url}/api/v1.2`;
  const one = `${api}/agents/${AGENT_ID}`;
  const page = `${api}/agents?limit=100`;
  const headers = { authorization: `Bearer ${KEY}`, accept: "application/json" };
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const kyApi = ky.create({ prefixUrl: api, headers });
  // ky over the SDK's node:http transport, nothing else: the floor of any client built on ky here.
  const kyNode = ky.create({ prefixUrl: api, headers, fetch: createNodeFetch(), timeout: false, retry: 0 });
  const ours = new ResonantClient({ apiKey: KEY, baseURL: `${url}/api` });
  const oursNoValidate = new ResonantClient({ apiKey: KEY, baseURL: `${url}/api`, validateResponses: false });
  const openai = new OpenAI({ apiKey: KEY, baseURL: `${url}/openai/v1` });
  const anthropic = new Anthropic({ apiKey: KEY, baseURL: `${url}/anthropic` });
  const { port } = new URL(url);
  const stripe = new Stripe("sk_test_bench", { host: "127.0.0.1", port: Number(port), protocol: "http" });
  const mockClient = new ResonantClient({ apiKey: mockKey, baseURL: mockBaseURL });
  const mockOne = `${mockBaseURL}/v1.2/agents/${mockAgentId}`;
  const mockHeaders = { authorization: `Bearer ${mockKey}`, accept: "application/json" };

  return [
    {
      name: "raw fetch + res.json()",
      baseline: true,
      one: () => fetch(one, { headers }).then((r) => r.json()),
      page: () => fetch(page, { headers }).then((r) => r.json()),
    },
    { name: "node:http keep-alive", one: () => nodeHttpGet(agent, one), page: () => nodeHttpGet(agent, page) },
    {
      name: "ky",
      one: () => kyApi.get(`agents/${AGENT_ID}`).json(),
      page: () => kyApi.get("agents", { searchParams: { limit: 100 } }).json(),
    },
    {
      name: "ky + SDK node transport",
      one: () => kyNode.get(`agents/${AGENT_ID}`).json(),
      page: () => kyNode.get("agents?limit=100").json(),
    },
    {
      name: "ky + zod",
      one: async () => v1_2.Agent.parse(await kyApi.get(`agents/${AGENT_ID}`).json()),
      page: async () => v1_2.AgentList.parse(await kyApi.get("agents", { searchParams: { limit: 100 } }).json()),
    },
    {
      name: "ResonantClient",
      ours: true,
      one: () => ours.agents.get(AGENT_ID),
      page: () => ours.agents.list({ limit: 100 }),
    },
    {
      name: "ResonantClient (validation off)",
      ours: true,
      one: () => oursNoValidate.agents.get(AGENT_ID),
      page: () => oursNoValidate.agents.list({ limit: 100 }),
    },
    { name: "openai", rival: true, one: () => openai.models.retrieve("gpt-bench-1"), page: () => openai.models.list() },
    {
      name: "@anthropic-ai/sdk",
      rival: true,
      one: () => anthropic.models.retrieve("claude-bench-1"),
      page: () => anthropic.models.list({ limit: 100 }),
    },
    {
      name: "stripe",
      one: () => stripe.customers.retrieve("cus_bench1"),
      page: () => stripe.customers.list({ limit: 100 }),
    },
    // The full mock runs its whole pipeline (auth, rate limit, zod on the way out): a different server, so its own baseline.
    {
      name: "raw fetch -> full mock",
      mock: true,
      one: () => fetch(mockOne, { headers: mockHeaders }).then((r) => r.json()),
    },
    { name: "ResonantClient -> full mock", mock: true, ours: true, one: () => mockClient.agents.get(mockAgentId) },
  ];
}
