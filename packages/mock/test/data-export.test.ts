import { describe, expect, test } from "vitest";
import { v1_2 } from "@resonantgenesis/schemas";
import { DEMO_API_KEY } from "../src/index.js";
import { call, mock, raw } from "./helpers.js";

const COUNTS = { tools: 2, agents: 3, teams: 1, sessions: 2, memories: 2, triggers: 1, webhooks: 2 };

function lines(text: string): { kind: string; data?: { id: string }; counts?: Record<string, number> }[] {
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l));
}

describe("GET /data/export as NDJSON", () => {
  test("kinds in the order tools, agents, teams, sessions, memories, triggers, webhooks, then end with counts", async () => {
    const api = mock();
    api.seed(COUNTS);
    const res = await raw(api, "GET", "/data/export", { headers: { Accept: "application/x-ndjson" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    const records = lines(await res.text());
    const order = records.map((r) => r.kind);
    expect(order).toEqual([
      ...Array(2).fill("tool"),
      ...Array(3).fill("agent"),
      "team",
      ...Array(2).fill("session"),
      ...Array(2).fill("memory"),
      "trigger",
      ...Array(2).fill("webhook"),
      "end",
    ]);
    expect(records.at(-1)!.counts).toEqual(COUNTS);
    for (const record of records) v1_2.ExportRecord.parse(record);
    // sessions carry steps; no secret anywhere; tool headers masked
    const text = JSON.stringify(records);
    expect(text).not.toContain("whsec_");
    expect(text).not.toContain("secret-1");
    expect(records.find((r) => r.kind === "session")!.data).toHaveProperty("steps");
  });

  test("an empty account is just the end line with zero counts", async () => {
    const api = mock();
    const res = await raw(api, "GET", "/data/export", { headers: { Accept: "application/x-ndjson" } });
    expect(lines(await res.text())).toEqual([
      { kind: "end", counts: { tools: 0, agents: 0, teams: 0, sessions: 0, memories: 0, triggers: 0, webhooks: 0 } },
    ]);
  });

  test("it is streamed: the first chunk arrives before the whole export is built", async () => {
    const api = mock();
    api.seed({ agents: 1000 });
    const res = await raw(api, "GET", "/data/export", { headers: { Accept: "application/x-ndjson" } });
    const reader = res.body!.getReader();
    const first = await reader.read();
    const firstText = new TextDecoder().decode(first.value);
    expect(firstText).toContain('"kind":"agent"');
    expect(firstText).not.toContain('"kind":"end"');
    // objects added while the stream is open still appear once, at the end of their kind
    await call(api, "POST", "/agents", { body: { name: "late" } });
    let rest = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    const records = lines(firstText + rest);
    expect(records.at(-1)!.counts!.agents).toBe(1001);
    expect(new Set(records.filter((r) => r.kind === "agent").map((r) => r.data!.id)).size).toBe(1001);
  });

  test("the JSON archive holds the same objects; importing it into another account gives equal exports", async () => {
    const api = mock();
    api.seed(COUNTS);
    const archive = (await call(api, "GET", "/data/export")).json;
    v1_2.Archive.parse(archive);
    const { key } = api.createAccount();
    const report = await call(api, "POST", "/data/import", { body: archive, key });
    expect(report.status).toBe(200);
    expect(report.json.failed).toEqual([]);
    expect(report.json.imported).toEqual(COUNTS);
    const again = (await call(api, "GET", "/data/export", { key })).json;
    const { exported_at: _a, ...left } = archive;
    const { exported_at: _b, ...right } = again;
    expect(right).toEqual(left);
    const second = await call(api, "POST", "/data/import", { body: archive, key });
    expect(second.json.skipped).toEqual(COUNTS);
    expect(DEMO_API_KEY).toBe("rg_test_sk_demo");
  });
});

describe("the evolved server's kinds", () => {
  test("`evolve: true` adds workflows alone; `policies` only when named, as policy lines counted as policies", async () => {
    const plain = mock({ evolve: true });
    plain.seed({ agents: 2 });
    const before = lines(
      await (await raw(plain, "GET", "/data/export", { headers: { Accept: "application/x-ndjson" } })).text(),
    );
    expect(before.filter((r) => r.kind === "workflow")).toHaveLength(2);
    expect(before.at(-1)!.counts).not.toHaveProperty("policies");
    expect((await call(plain, "GET", "/policies/export")).status).toBe(404);

    const api = mock({ evolve: { kinds: ["workflows", "policies"] } });
    api.seed({ agents: 2 });
    const records = lines(
      await (await raw(api, "GET", "/data/export", { headers: { Accept: "application/x-ndjson" } })).text(),
    );
    expect(records.map((r) => r.kind).slice(-5)).toEqual(["workflow", "workflow", "policy", "policy", "end"]);
    expect(records.at(-1)!.counts).toMatchObject({ workflows: 2, policies: 2 });
    const policies = (await call(api, "GET", "/policies/export")).json.policies as { id: string; object: string }[];
    expect(policies.map((p) => p.object)).toEqual(["policy", "policy"]);
    const archive = (await call(api, "GET", "/data/export")).json as Record<string, unknown>;
    expect(archive.policies).toEqual(policies);

    // Into another account: by its own route, and in an archive.
    const other = api.createAccount().key;
    const imported = await call(api, "POST", "/policies/import", { key: other, body: { policies: [policies[0]] } });
    expect(imported.json).toEqual({ imported: 1, skipped: 0, failed: [] });
    const whole = await call(api, "POST", "/data/import", { key: other, body: archive });
    expect(whole.json.imported).toMatchObject({ policies: 1, workflows: 2 });
    expect(whole.json.skipped).toMatchObject({ policies: 1, workflows: 0 });
    expect((await call(api, "GET", "/policies/export", { key: other })).json.policies).toEqual(policies);
  });
});
