/**
 * `exportStream({ withText: true })` on API 1.0 and 1.1, which have no NDJSON
 * export: the records are built from list and export pages, and each
 * record's `text` must carry every number with the digits of the server's
 * page, where `JSON.parse` would round it (docs/guarantees.md, "Numbers
 * beyond 2^53"). The mock stores parsed objects, so its pages are rewritten
 * on the way out to hold what a server may send: a field this SDK does not
 * know, holding 9007199254740993 and a 30-digit integer.
 */
import { describe, expect, test } from "vitest";
import { createMockApi, DEMO_API_KEY } from "@resonantgenesis/mock";
import { type ApiVersion, type Fetch, ResonantClient } from "@resonantgenesis/sdk";

const EXTRA =
  '"x_big":9007199254740993,"x_huge":123456789012345678901234567890,"x_list":[1e400,[-0.12345678901234567891]],"x_s":"a, [b] {c}: \\"d\\" \\\\"';

/** A mock of the account, whose agents' and webhooks' pages carry EXTRA in their first item; the texts of those items. */
function server({ spaced = false } = {}) {
  // Past their sunsets the mock would answer 410; a server in grace still serves them.
  const api = createMockApi({
    seed: { tools: 2, agents: 30, sessions: 3, webhooks: 130 },
    versionStates: { "1.0": "deprecated", "1.1": "deprecated", "1.2": "current" },
  });
  // Each rewritten item as its page holds it, by id: what a record's text must hold, byte for byte.
  const items = new Map<string, string>();
  api.faults.set({
    method: "GET",
    path: /\/(agents\/export|webhooks)$/,
    rewrite: (text) => {
      const page = JSON.parse(text) as { agents?: { id: string }[]; data?: { id: string }[] };
      const first = (page.agents ?? page.data)![0]!;
      const item = JSON.stringify(first);
      const rewritten = item.replace(`"id":${JSON.stringify(first.id)}`, (id) => `${id},${EXTRA}`);
      if (!text.includes(item)) throw new Error("the mock's page does not hold its item as JSON.stringify writes it");
      items.set(first.id, rewritten);
      const body = text.replace(item, rewritten);
      // Spaced out, a line per token, as a pretty-printing server might send it (strings left as they are).
      return spaced ? body.replace(/("(?:[^"\\]|\\.)*")|([,:[{])/g, (_, str, p) => str ?? `${p}\n  `) : body;
    },
  });
  let requests = 0;
  const statuses: number[] = [];
  const fetch: Fetch = async (input, init) => {
    requests += 1;
    const response = await api.fetch(new Request(input, init));
    statuses.push(response.status);
    return response;
  };
  return { api, fetch, items, statuses, requests: () => requests };
}

const clientOn = (fetch: Fetch, apiVersion: ApiVersion, maxRetries = 0) =>
  new ResonantClient({ apiKey: DEMO_API_KEY, fetch, apiVersion, logLevel: "off", maxRetries });

describe.each(["1.0", "1.1"] as const)("exportStream on API %s, built from pages", (version) => {
  test("withText: each record's text holds the page's digits; data is parsed and checked as before", async () => {
    const { fetch, items } = server();
    const records: { kind: string; data?: unknown; text: string }[] = [];
    for await (const record of clientOn(fetch, version).data.exportStream({ withText: true })) records.push(record);
    // The agents' export page (up to 10,000 a page) and the webhooks' two list pages (100 a page) were rewritten.
    expect(items.size).toBe(3);
    for (const [id, item] of items) {
      const record = records.find((r) => (r.data as { id?: string } | undefined)?.id === id)!;
      expect(record.text).toBe(`{"kind":${JSON.stringify(record.kind)},"data":${item}}`);
      expect(record.text).toContain('"x_big":9007199254740993,"x_huge":123456789012345678901234567890');
      // `data` is what JSON.parse gives, as on 1.2: the number rounded there, exact in the text.
      expect((record.data as { x_big: number }).x_big).toBe(9007199254740992);
    }
    // Every other record's text is its JSON, as before; the end record closes the stream.
    for (const record of records) {
      const { text, ...rest } = record;
      if (!items.has((rest.data as { id?: string } | undefined)?.id ?? "")) expect(text).toBe(JSON.stringify(rest));
    }
    expect(records.at(-1)!.text).toMatch(/^\{"kind":"end","counts":\{.*"agents":30,.*"webhooks":130\}\}$/);
  });

  test("from pages spaced out over lines, each text is the item's, on one line, without the spaces", async () => {
    const { fetch, items } = server({ spaced: true });
    const texts = new Map<string, { kind: string; text: string }>();
    for await (const record of clientOn(fetch, version).data.exportStream({ withText: true }))
      if (record.kind !== "end" && record.kind !== "unknown") texts.set((record.data as { id: string }).id, record);
    expect(items.size).toBe(3);
    for (const [id, item] of items) {
      const { kind, text } = texts.get(id)!;
      expect(text).toBe(`{"kind":"${kind}","data":${item}}`);
    }
    for (const { text } of texts.values()) expect(text).not.toMatch(/\s\s|\n/);
  });

  test("without withText the records are as before: no text, the same data, the same calls", async () => {
    const { fetch, requests } = server();
    const client = clientOn(fetch, version);
    const without: unknown[] = [];
    for await (const record of client.data.exportStream()) without.push(record);
    const calls = requests();
    const texts: unknown[] = [];
    for await (const { text: _text, ...rest } of client.data.exportStream({ withText: true })) texts.push(rest);
    for (const record of without) expect(record).not.toHaveProperty("text");
    expect(without.map((r) => JSON.stringify(r))).toEqual(texts.map((r) => JSON.stringify(r)));
    expect(requests() - calls).toBe(calls);
  });

  test("a page answered 503 first is retried as any call, and its text still holds the digits", async () => {
    const { api, fetch, items, statuses } = server();
    api.faults.once({ status: 503, retryAfter: 0, method: "GET", path: "/agents/export" });
    const texts: string[] = [];
    for await (const record of clientOn(fetch, version, 1).data.exportStream({ withText: true }))
      texts.push(record.text);
    expect(texts.filter((t) => t.includes(EXTRA))).toHaveLength(items.size);
    expect(statuses.filter((s) => s === 503)).toHaveLength(1);
  });
});
