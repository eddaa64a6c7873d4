/**
 * The fixture bodies, shared by the fixture server and the in-process cases.
 * Our objects are cut from what the mock itself answers (so they pass the 1.2
 * schemas), then padded so every contender's object weighs the same ~450 bytes:
 * a ratio between SDKs must not hide a difference in bytes parsed.
 * Large accounts are produced lazily, record by record, never stored whole.
 */
import { createMockApi, DEMO_API_KEY } from "@resonantgenesis/mock";

/** Every contender's single object is padded to this many bytes. */
export const OBJECT_BYTES = 450;
/** Items in the "page" case. */
export const PAGE_ITEMS = 100;

/** Grow `obj` with a filler field until its JSON is `bytes` long (objects that are already longer stay). */
function padTo(obj, bytes, field = "description") {
  const base = JSON.stringify({ ...obj, [field]: "" }).length;
  return { ...obj, [field]: "x".repeat(Math.max(0, bytes - base)) };
}

// A valid UUID (version 4, variant 8) per index, so generated ids pass z.uuid().
export const uuid = (i) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;

async function mockTemplates() {
  const api = createMockApi({ seed: false });
  const ids = api.seed({ agents: 1, memories: 1 });
  const get = async (path) => {
    const res = await api.fetch(
      new Request(`http://mock/api/v1.2/${path}`, { headers: { authorization: `Bearer ${DEMO_API_KEY}` } }),
    );
    if (!res.ok) throw new Error(`mock ${path}: ${res.status}`);
    return res.json();
  };
  const agent = await get(`agents/${ids.agents[0]}`);
  const memory = await get(`memories/${ids.memories[0]}`);
  api.close();
  return { agent, memory };
}

const t = await mockTemplates();
// The description is free text in the schema: padding it keeps the agent valid.
const agentBase = padTo(t.agent, OBJECT_BYTES);
const memoryBase = t.memory;

/** Our agent number `i` as JSON text. */
export const agentJson = (i) => JSON.stringify({ ...agentBase, id: uuid(i), name: `agent-${i}` });
const memoryJson = (i) => JSON.stringify({ ...memoryBase, id: uuid(10_000_000 + i), agent_id: uuid(1) });

/** The list page of `n` agents (AgentList). */
export const agentPage = (n = PAGE_ITEMS) =>
  `{"object":"list","data":[${Array.from({ length: n }, (_, i) => agentJson(i + 1)).join(",")}],"has_more":false,"next_cursor":null}`;
/** An export page of `n` agents (AgentExportPage). */
export const agentExportPage = (n) =>
  `{"agents":[${Array.from({ length: n }, (_, i) => agentJson(i + 1)).join(",")}],"next_cursor":null}`;

// Other SDKs' shapes: the fields their types declare, padded to the same weight.
const openaiModel = (i) =>
  padTo({ id: `gpt-bench-${i}`, object: "model", created: 1_700_000_000, owned_by: "bench" }, OBJECT_BYTES);
const anthropicModel = (i) =>
  padTo(
    { type: "model", id: `claude-bench-${i}`, display_name: `Claude Bench ${i}`, created_at: "2025-01-01T00:00:00Z" },
    OBJECT_BYTES,
  );
const stripeCustomer = (i) =>
  padTo(
    {
      id: `cus_bench${i}`,
      object: "customer",
      address: null,
      balance: 0,
      created: 1_700_000_000,
      currency: "usd",
      default_source: null,
      delinquent: false,
      email: `customer${i}@example.com`,
      invoice_prefix: "BENCH",
      livemode: false,
      metadata: {},
      name: `Customer ${i}`,
      phone: null,
      preferred_locales: [],
      shipping: null,
      tax_exempt: "none",
    },
    OBJECT_BYTES,
  );
const many = (make, n = PAGE_ITEMS) => Array.from({ length: n }, (_, i) => make(i + 1));

/** The precomputed single objects and pages, keyed by route. */
export function fixedBodies() {
  return {
    agent: agentJson(1),
    agentPage: agentPage(),
    openaiModel: JSON.stringify(openaiModel(1)),
    openaiList: JSON.stringify({ object: "list", data: many(openaiModel) }),
    anthropicModel: JSON.stringify(anthropicModel(1)),
    anthropicList: JSON.stringify({
      data: many(anthropicModel),
      has_more: false,
      first_id: "claude-bench-1",
      last_id: `claude-bench-${PAGE_ITEMS}`,
    }),
    stripeCustomer: JSON.stringify(stripeCustomer(1)),
    stripeList: JSON.stringify({ object: "list", url: "/v1/customers", has_more: false, data: many(stripeCustomer) }),
  };
}

// An account of n records: half agents, half memories (the memories name agent 1).
const split = (n) => ({ agents: Math.ceil(n / 2), memories: Math.floor(n / 2) });

/** The 1.2 archive of an n-record account, as text chunks of about `chunk` bytes. */
export function* archiveChunks(n, chunk = 1 << 16) {
  const { agents, memories } = split(n);
  let buf = `{"format":"resonantgenesis.export","format_version":1,"api_version":"1.2","exported_at":"2026-01-01T00:00:00.000Z","tools":[],"agents":[`;
  for (let i = 1; i <= agents; i++) {
    buf += (i > 1 ? "," : "") + agentJson(i);
    if (buf.length >= chunk) {
      yield buf;
      buf = "";
    }
  }
  buf += `],"teams":[],"sessions":[],"memories":[`;
  for (let i = 1; i <= memories; i++) {
    buf += (i > 1 ? "," : "") + memoryJson(i);
    if (buf.length >= chunk) {
      yield buf;
      buf = "";
    }
  }
  yield `${buf}],"triggers":[],"webhooks":[]}`;
}

/** The same account as the NDJSON export stream, ending with its `end` line. */
export function* ndjsonChunks(n, chunk = 1 << 16) {
  const { agents, memories } = split(n);
  let buf = "";
  for (let i = 1; i <= agents; i++) {
    buf += `{"kind":"agent","data":${agentJson(i)}}\n`;
    if (buf.length >= chunk) {
      yield buf;
      buf = "";
    }
  }
  for (let i = 1; i <= memories; i++) {
    buf += `{"kind":"memory","data":${memoryJson(i)}}\n`;
    if (buf.length >= chunk) {
      yield buf;
      buf = "";
    }
  }
  const counts = { tools: 0, agents, teams: 0, sessions: 0, memories, triggers: 0, webhooks: 0 };
  yield `${buf}${JSON.stringify({ kind: "end", counts })}\n`;
}
