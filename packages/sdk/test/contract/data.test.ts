import { describe, expect, test } from "vitest";
import {
  APIConnectionError,
  RequestValidationError,
  UnsupportedFeatureError,
  type Archive,
  type ExportRecord,
} from "@resonantgenesis/sdk";
import { atLeast, BASE_URL, useMock, version } from "./harness.js";

const mock = useMock();
const counts = atLeast("1.2")
  ? { agents: 12, sessions: 4, tools: 3, teams: 2, memories: 5, triggers: 2, webhooks: 2 }
  : atLeast("1.1")
    ? { agents: 12, sessions: 4, tools: 3, webhooks: 2 }
    : { agents: 12, sessions: 4, webhooks: 2 };
const importable = atLeast("1.2") ? Object.keys(counts) : ["agents"];

function seeded() {
  const { key } = mock.api.createAccount();
  mock.api.seed(counts, { key });
  return mock.client({ apiKey: key });
}

function withoutTime(archive: Archive<never>) {
  const { exported_at: _, ...rest } = archive as Record<string, unknown>;
  return rest;
}

describe(`exportAll (API ${version})`, () => {
  test("the archive holds every object of this version's kinds, and only those", async () => {
    const archive = await seeded().data.exportAll();
    expect(archive).toMatchObject({ format: "resonantgenesis.export", format_version: 1, api_version: version });
    for (const [kind, n] of Object.entries(counts))
      expect((archive as unknown as Record<string, unknown[]>)[kind]).toHaveLength(n);
    if (!atLeast("1.2")) expect(archive).not.toHaveProperty("teams");
    if (!atLeast("1.1")) expect(archive).not.toHaveProperty("tools");
    expect(JSON.stringify(archive)).not.toContain("whsec_");
  });

  test("exportStream yields every record and the end line, in dependency order", async () => {
    const records: ExportRecord[] = [];
    for await (const record of seeded().data.exportStream()) records.push(record);
    const end = records.at(-1);
    expect(end?.kind).toBe("end");
    const kinds = records.slice(0, -1).map((r) => r.kind);
    const order = ["tool", "agent", "team", "session", "memory", "trigger", "webhook"];
    expect([...kinds].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(kinds);
    expect(kinds.length).toBe(Object.values(counts).reduce((a, b) => a + b, 0));
  });

  test("exportStream({ withText: true }) gives each record its line as the server sent it", async () => {
    const { key } = mock.api.createAccount();
    mock.api.seed(counts, { key });
    const client = mock.client({ apiKey: key });
    const texts: string[] = [];
    for await (const record of client.data.exportStream({ withText: true })) {
      const { text, ...rest } = record;
      expect(JSON.parse(text)).toEqual(rest);
      texts.push(text);
    }
    if (atLeast("1.2")) {
      // Byte for byte the body of GET /data/export as NDJSON, read here without the SDK.
      const raw = await mock.api.fetch(
        new Request(`${BASE_URL}/v1.2/data/export`, {
          headers: { Authorization: `Bearer ${key}`, Accept: "application/x-ndjson" },
        }),
      );
      expect(`${texts.join("\n")}\n`).toBe(await raw.text());
    } else expect(texts.at(-1)).toMatch(/^\{"kind":"end"/);
    // Without the option the records are as before, with no text.
    for await (const record of client.data.exportStream()) expect(record).not.toHaveProperty("text");
  });

  test.runIf(atLeast("1.2"))("an abort mid-stream ends it with the abort's reason", async () => {
    const { key } = mock.api.createAccount();
    mock.api.seed({ agents: 3000 }, { key });
    const controller = new AbortController();
    const reason = new Error("the caller gave up");
    let got = 0;
    const error = await (async () => {
      for await (const _ of mock.client({ apiKey: key }).data.exportStream({ signal: controller.signal })) {
        got += 1;
        if (got === 10) controller.abort(reason);
      }
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBe(reason);
    expect(got).toBeLessThan(3000);
  });

  test.runIf(atLeast("1.2"))("a stream cut before its end line throws instead of ending quietly", async () => {
    const client = seeded();
    mock.api.faults.once({ cutStreamAfter: 5, method: "GET", path: "/data/export" });
    let got = 0;
    const error = await (async () => {
      for await (const _ of client.data.exportStream({ maxRetries: 0 })) got++;
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/incomplete/);
    expect(got).toBeLessThanOrEqual(5);
  });
});

describe(`importAll (API ${version})`, () => {
  test("a round trip into a second account, with progress; a re-run changes nothing", async () => {
    const source = seeded();
    const archive = await source.data.exportAll();
    // Before 1.2 only agents can be imported, and then without references to tools the target lacks.
    const importableArchive = atLeast("1.2")
      ? archive
      : {
          ...archive,
          sessions: [],
          webhooks: [],
          ...(atLeast("1.1") ? { tools: [], agents: archive.agents.map((a) => ({ ...a, tool_ids: [] })) } : {}),
        };
    const { key } = mock.api.createAccount();
    const target = mock.client({ apiKey: key });
    const progress: string[] = [];
    const report = await target.data.importAll(importableArchive as typeof archive, {
      onProgress: ({ kind, done, total }) => progress.push(`${kind}:${done}/${total}`),
    });
    for (const kind of importable) expect(report.imported[kind as "agents"]).toBe(counts[kind as "agents"]);
    expect(report.failed).toEqual([]);
    expect(progress).toContain(`agents:12/12`);
    if (atLeast("1.2")) expect(progress.indexOf("tools:3/3")).toBeLessThan(progress.indexOf("agents:12/12"));

    // Each webhook and trigger the import created comes with its new secret, and none on a re-run.
    const created = atLeast("1.2")
      ? ["triggers", "webhooks"].flatMap((kind) =>
          ((archive as unknown as Record<string, { id: string }[]>)[kind] ?? []).map(({ id }) => ({
            kind,
            id,
            secret: mock.api.webhookSecret(id, { key }),
          })),
        )
      : [];
    expect(report.secrets).toEqual(created);
    if (atLeast("1.2")) expect(report.secrets.length).toBe(4);

    const again = await target.data.importAll(importableArchive as typeof archive);
    expect(again.secrets).toEqual([]);
    for (const kind of importable) {
      expect(again.imported[kind as "agents"]).toBe(0);
      expect(again.skipped[kind as "agents"]).toBe(counts[kind as "agents"]);
    }
    if (atLeast("1.2"))
      expect(withoutTime((await target.data.exportAll()) as never)).toEqual(withoutTime(archive as never));
  });

  test("an idempotencyKey gives each batch its own key from it, so every kind imports and a re-run replays", async () => {
    const archive = await seeded().data.exportAll();
    const importableArchive = atLeast("1.2") ? archive : { ...archive, sessions: [], webhooks: [], tools: [] };
    const agents = (importableArchive as { agents: Record<string, unknown>[] }).agents;
    // Two batches of agents (1,000 a batch): the archive's, then copies with new ids (before 1.2, without tools).
    const copies = Array.from({ length: 1001 - agents.length }, (_, i) => ({
      ...agents[i % agents.length]!,
      id: crypto.randomUUID(),
      name: `agent ${i}`,
    }));
    const many = [...agents, ...copies].map((a) => (atLeast("1.1") && !atLeast("1.2") ? { ...a, tool_ids: [] } : a));
    const big = { ...importableArchive, agents: many } as typeof archive;
    const { key } = mock.api.createAccount();
    const target = mock.client({ apiKey: key });
    mock.sent.length = 0;
    const report = await target.data.importAll(big, { idempotencyKey: "job-42" });
    expect(report.failed).toEqual([]);
    expect(report.imported.agents).toBe(1001);
    const keys = mock.sent.filter((r) => r.method === "POST").map((r) => r.headers.get("idempotency-key"));
    const kinds = importable.filter((k) => ((big as unknown as Record<string, unknown[]>)[k] ?? []).length > 0);
    expect(keys).toHaveLength(kinds.length + 1);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of keys) expect(k).toMatch(/^job-42:/);
    // The same key again: every batch's first answer is replayed, nothing is imported twice.
    const again = await target.data.importAll(big, { idempotencyKey: "job-42" });
    expect(again).toEqual(report);
    expect((await target.agents.list().toArray()).length).toBe(1001);
  });

  test("a bad archive is refused whole, listing every bad path, and nothing is sent", async () => {
    const archive = await seeded().data.exportAll();
    const bad = structuredClone(archive) as unknown as { agents: Record<string, unknown>[] };
    // What the SDK relies on: types and required fields. (Limits are the server's: see the next test.)
    bad.agents[1]!.name = 42;
    delete bad.agents[3]!.temperature;
    mock.sent.length = 0;
    const error = await mock
      .client()
      .data.importAll(bad as never)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).issues.map((i) => i.path)).toEqual([
      "archive.agents.1.name",
      "archive.agents.3.temperature",
    ]);
    expect(mock.sent).toHaveLength(0);
    const wrongVersion = { ...archive, api_version: version === "1.2" ? "1.0" : "1.2" };
    await expect(mock.client().data.importAll(wrongVersion as never)).rejects.toThrow(/api_version/);
  });

  test("an archive past this SDK's limits (a newer server's longer name, wider range) is not refused: the server decides", async () => {
    const archive = await seeded().data.exportAll();
    const relaxed = structuredClone(archive) as unknown as { agents: Record<string, unknown>[] };
    relaxed.agents[1]!.name = "n".repeat(300);
    relaxed.agents[3]!.temperature = 9;
    mock.sent.length = 0;
    const target = mock.client({ apiKey: mock.api.createAccount().key });
    const onlyAgents = {
      ...relaxed,
      ...Object.fromEntries(
        Object.keys(relaxed)
          .filter((k) => Array.isArray((relaxed as never)[k]) && k !== "agents" && (k !== "tools" || !atLeast("1.2")))
          .map((k) => [k, []]),
      ),
    };
    const report = await target.data.importAll(onlyAgents as never);
    // Sent as they were; the plain mock keeps 1.x's limits, so it refuses those items itself, and the rest go in.
    const posted = mock.sent.filter((r) => r.method === "POST" && r.url.endsWith("/agents/import"));
    expect(posted).toHaveLength(1);
    expect(report.failed.map((f) => f.id)).toEqual(
      expect.arrayContaining([relaxed.agents[1]!.id, relaxed.agents[3]!.id]),
    );
    expect(report.imported.agents).toBe(relaxed.agents.length - report.failed.length);
  });

  test.runIf(!atLeast("1.2"))("before 1.2 only agents can be imported: other kinds are refused up front", async () => {
    const archive = await seeded().data.exportAll();
    mock.sent.length = 0;
    await expect(mock.client().data.importAll(archive)).rejects.toBeInstanceOf(UnsupportedFeatureError);
    expect(mock.sent).toHaveLength(0);
  });

  test.runIf(atLeast("1.2"))("more than 1,000 of a kind go in batches of at most 1,000", async () => {
    const { key } = mock.api.createAccount();
    mock.api.seed({ agents: 2300 }, { key });
    const archive = await mock.client({ apiKey: key }).data.exportAll();
    const target = mock.api.createAccount();
    mock.sent.length = 0;
    const report = await mock.client({ apiKey: target.key }).data.importAll(archive);
    expect(report.imported.agents).toBe(2300);
    const posts = mock.sent.filter((r) => r.method === "POST" && r.url.endsWith("/agents/import"));
    expect(posts).toHaveLength(3);
  });

  test.runIf(atLeast("1.2"))("an item whose reference is missing fails alone; the rest go in", async () => {
    const archive = await seeded().data.exportAll();
    const partial = { ...archive, agents: archive.agents.slice(1) };
    const orphans = archive.sessions.filter((s) => s.agent_id === archive.agents[0]!.id).length;
    const { key } = mock.api.createAccount();
    const report = await mock.client({ apiKey: key }).data.importAll(partial, { onConflict: "fail" });
    expect(report.failed.filter((f) => f.kind === "sessions")).toHaveLength(orphans);
    expect(report.imported.sessions).toBe(archive.sessions.length - orphans);
  });
});
