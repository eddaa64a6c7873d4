// The SDK against the evolved mock (a later 1.x server: new fields, enum values,
// event types and a kind, relaxed limits, unpromised fields left out), once per
// API version. In compatible mode every call passes and what the SDK does not
// know reaches the caller and survives an export then import byte for byte;
// strict mode refuses the same answers. See docs/compatibility.md.
import { describe, expect, test } from "vitest";
import {
  ResponseValidationError,
  verifyWebhookSignature,
  type ExportRecord,
  type SessionStreamEvent,
} from "@resonantgenesis/sdk";
import { atLeast, useMock, version } from "./harness.js";

const mock = useMock({ evolve: true });
const counts = { agents: 6, sessions: 3, tools: 2, teams: 2, memories: 3, triggers: 2, webhooks: 2 };

function seeded() {
  const { key } = mock.api.createAccount();
  mock.api.seed(counts, { key });
  return { key, client: mock.client({ apiKey: key, validateResponses: "compatible" }) };
}

const withoutTime = (archive: unknown) => {
  const { exported_at: _, ...rest } = archive as Record<string, unknown>;
  return JSON.stringify(rest);
};

describe(`the evolved server, compatible mode (API ${version})`, () => {
  test("every read passes, and new fields, enum values and longer names reach the caller as they came", async () => {
    const { client } = seeded();
    const agents = (await client.agents.list({ limit: 100 })).data;
    expect(agents).toHaveLength(counts.agents);
    expect(agents[0]).toMatchObject({
      labels: ["evolved", "agents"],
      lineage: { generation: 2, origin: "evolve", index: 0 },
    });
    expect(agents[0]!.name.length).toBeGreaterThan(100);
    expect(agents.map((a) => a.status)).toContain("paused");
    const one = await client.agents.get(agents[1]!.id).withResponse();
    expect(one.data).toEqual(agents[1]);
    expect(await (await client.agents.get(agents[1]!.id).asResponse()).json()).toEqual(agents[1]);

    const sessions = (await client.sessions.list()).data;
    expect(sessions.map((s) => s.status)).toContain("expired");
    const steps = (await client.sessions.steps.list(sessions[0]!.id)).data;
    expect(steps[0]).toMatchObject({ action: "reflect", labels: ["evolved", "steps"] });
    const webhooks = (await client.webhooks.list()).data;
    expect(webhooks[0]!.events).toContain("session.evaluated");
    if (atLeast("1.2")) {
      // docs/protocol.md does not promise team_id on a session that was not started for a team.
      expect(sessions[0]).not.toHaveProperty("team_id");
      expect(await client.sessions.get(sessions[0]!.id)).toEqual(sessions[0]);
    }
  });

  test.runIf(atLeast("1.1"))("tools carry a new HTTP method and their new fields", async () => {
    const { client } = seeded();
    const tools = (
      await (
        client as unknown as { tools: { list(): Promise<{ data: { method: string; labels?: unknown }[] }> } }
      ).tools.list()
    ).data;
    expect(tools.map((t) => t.method)).toContain("PUT");
    expect(tools[0]!.labels).toEqual(["evolved", "tools"]);
  });

  test.runIf(atLeast("1.2"))("teams, memories and triggers carry new enum values and fields", async () => {
    const { client } = seeded();
    const teams = (await client.teams.list()).data;
    expect(teams.map((t) => t.coordination_mode)).toContain("consensus");
    const memories = (await client.memories.list()).data;
    expect(memories[0]).toHaveProperty("lineage");
    const hits = (await client.memories.search({ query: "support" })).data;
    for (const hit of hits) expect(hit.memory).toHaveProperty("labels");
    const agentId = (await client.agents.list()).data[0]!.id;
    const triggers = (await client.triggers.list(agentId)).data;
    expect(triggers.every((t) => "labels" in t)).toBe(true);
  });

  test("exportAll then importAll into another account keeps every unknown field, value and kind, byte for byte", async () => {
    const { client } = seeded();
    const archive = await client.data.exportAll();
    const target = mock.client({ apiKey: mock.api.createAccount().key, validateResponses: "compatible" });
    if (atLeast("1.2")) {
      expect(archive).toHaveProperty("workflows");
      const report = await target.data.importAll(archive);
      expect(report.failed).toEqual([]);
      expect(report.imported).toMatchObject({ ...counts, workflows: 2 });
      expect(withoutTime(await target.data.exportAll())).toBe(withoutTime(archive));
    } else {
      // Before 1.2 only agents have an import endpoint (tools and other kinds are refused up front).
      const agentsOnly = { ...archive, sessions: [], webhooks: [], ...(atLeast("1.1") ? { tools: [] } : {}) };
      const agents = (archive as unknown as { agents: { tool_ids?: string[] }[] }).agents.map((a) =>
        a.tool_ids ? { ...a, tool_ids: [] } : a,
      );
      const report = await target.data.importAll({ ...agentsOnly, agents } as never);
      expect(report.failed).toEqual([]);
      const again = await target.data.exportAll();
      expect(JSON.stringify((again as unknown as { agents: unknown[] }).agents)).toBe(JSON.stringify(agents));
    }
  });

  test("exportStream hands a new kind on as the unknown variant, raw, and still ends at its end line", async () => {
    const { client } = seeded();
    const records: ExportRecord[] = [];
    for await (const record of client.data.exportStream()) records.push(record);
    expect(records.at(-1)?.kind).toBe("end");
    const unknown = records.filter((r) => r.kind === "unknown");
    if (atLeast("1.2")) {
      expect(unknown).toHaveLength(2);
      for (const record of unknown)
        if (record.kind === "unknown")
          expect(record.raw).toMatchObject({
            kind: "workflow",
            data: { object: "workflow", labels: ["evolved", "workflows"] },
          });
      const end = records.at(-1);
      if (end?.kind === "end") expect(end.counts).toMatchObject({ workflows: 2 });
    } else {
      expect(unknown).toEqual([]);
    }
    const agent = records.find((r) => r.kind === "agent");
    if (agent?.kind === "agent") expect(agent.data).toHaveProperty("lineage");
  });

  test.runIf(atLeast("1.1"))(
    "a stream hands a new event type on as the unknown variant and still ends at done",
    async () => {
      const { client } = seeded();
      const agent = (await client.agents.list()).data[0]!;
      const events: SessionStreamEvent[] = [];
      for await (const event of client.sessions.stream({ agent_id: agent.id, goal: "greet" } as never))
        events.push(event as SessionStreamEvent);
      expect(events[0]?.type).toBe("session");
      expect(events.at(-1)?.type).toBe("done");
      const thinking = events.filter((e) => e.type === "unknown");
      expect(thinking.length).toBeGreaterThan(0);
      for (const event of thinking)
        if (event.type === "unknown")
          expect(event).toMatchObject({ event: "thinking", data: { text: expect.any(String) } });
      expect(events.find((e) => e.type === "step")?.data).toHaveProperty("id");
    },
  );

  test("a webhook delivery of a new event type verifies and reaches the receiver whole", async () => {
    const { client } = seeded();
    const agent = (await client.agents.list()).data[0]!;
    await client.sessions.create({ agent_id: agent.id, goal: "evaluate me" } as never);
    await expect
      .poll(async () => (await mock.api.flushDeliveries()).some((d) => d.event.type === "session.evaluated"), {
        timeout: 5000,
      })
      .toBe(true);
    const delivery = (await mock.api.flushDeliveries()).find((d) => d.event.type === "session.evaluated")!;
    // The secret is the account's; the mock signs with it and hands the delivery over as it would post it.
    const event = await verifyWebhookSignature({
      payload: delivery.body,
      headers: delivery.headers,
      secret: secretOf(delivery.webhookId),
    });
    expect(event.type).toBe("session.evaluated");
    expect(event).toEqual(JSON.parse(delivery.body));
  });
});

describe(`the evolved server, strict mode (API ${version})`, () => {
  test("refuses the same answers, naming the unknown fields and values", async () => {
    const { key } = seeded();
    const strict = mock.client({ apiKey: key, validateResponses: "strict" });
    const error = await strict.agents.list().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ResponseValidationError);
    const messages = (error as ResponseValidationError).issues.map((i) => `${i.path}: ${i.message}`).join("\n");
    expect(messages).toMatch(/unknown field/);
    expect(messages).toMatch(/data\.0\.name/);
    await expect(strict.data.exportAll()).rejects.toBeInstanceOf(ResponseValidationError);
    if (atLeast("1.2")) {
      const read = async () => {
        for await (const _ of strict.data.exportStream()) void _;
      };
      await expect(read()).rejects.toBeInstanceOf(ResponseValidationError);
    }
  });
});

function secretOf(webhookId: string): string {
  const secret = mock.api.webhookSecret(webhookId);
  if (!secret) throw new Error(`no secret for ${webhookId}`);
  return secret;
}
