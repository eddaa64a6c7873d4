// What a user writes against the universal entry; checked with strict and
// skipLibCheck false, so every .d.ts the import reaches is checked too.
import {
  NotFoundError,
  ResonantClient,
  verifyWebhookSignature,
  type Agent,
  type Archive,
  type ExportRecord,
  type SessionStreamEvent,
} from "@resonantgenesis/sdk";

const latest = new ResonantClient({ apiKey: "rg_test_sk_x" });

export async function names(): Promise<string[]> {
  const names: string[] = [];
  for await (const agent of latest.agents.list({ limit: 10 })) names.push(agent.name);
  const agent: Agent<"1.2"> = await latest.agents.get("id");
  return [...names, agent.name];
}

export async function missing(): Promise<string | undefined> {
  try {
    await latest.agents.get("nope");
  } catch (error) {
    if (error instanceof NotFoundError) return error.requestId;
  }
  return undefined;
}

export async function deltas(agentId: string): Promise<string> {
  let text = "";
  for await (const event of latest.sessions.stream({ agent_id: agentId, goal: "g" })) {
    const e: SessionStreamEvent = event;
    if (e.type === "message") text += e.data.delta;
  }
  return text;
}

export async function kinds(): Promise<string[]> {
  const seen: string[] = [];
  for await (const record of latest.data.exportStream()) {
    const r: ExportRecord = record;
    seen.push(r.kind);
  }
  return seen;
}

export const verified = (body: string, headers: Headers) =>
  verifyWebhookSignature({ payload: body, headers, secret: "whsec_x" });

const legacy = new ResonantClient({ apiKey: "rg_test_sk_x", apiVersion: "1.0" });
// @ts-expect-error teams arrive in API 1.2
void legacy.teams;
// @ts-expect-error a 1.0 agent has no tool_ids
export const toolIds = async () => (await legacy.agents.get("id")).tool_ids;

// Options given as `undefined`, as code built with exactOptionalPropertyTypes (set by tsconfig.json) may pass them.
export async function undefinedOptions(archive: Archive, id: string) {
  await latest.agents.list().toArray({ limit: undefined });
  await latest.data.importAll(archive, { onConflict: undefined, onProgress: undefined });
  void latest.data.exportStream({ withText: undefined });
  void latest.sessions.follow(id, { lastEventId: undefined });
  const headers = new Headers();
  return verifyWebhookSignature({
    payload: "",
    headers,
    secret: "whsec_x",
    toleranceSeconds: undefined,
    now: undefined,
  });
}
