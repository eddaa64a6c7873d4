// Run by pack-smoke.sh inside a fresh npm project with the packed tarballs.
import assert from "node:assert/strict";
import { NotFoundError, ResonantClient, SDK_VERSION, SyncClient, verifyWebhookSignature } from "@resonantgenesis/sdk";
import { DEMO_API_KEY, signWebhook } from "@resonantgenesis/mock";
import { startMockServer } from "@resonantgenesis/mock/server";
import { v1_2 } from "@resonantgenesis/schemas";

const mock = await startMockServer();
try {
  mock.api.seed({ agents: 3, sessions: 1 });
  const client = new ResonantClient({ apiKey: DEMO_API_KEY, baseURL: mock.baseURL });
  const page = await client.agents.list();
  assert.equal(page.data.length, 3);
  v1_2.Agent.parse(page.data[0]);
  await assert.rejects(client.agents.get("00000000-0000-4000-8000-000000000000"), NotFoundError);
  const archive = await client.data.exportAll();
  assert.equal(archive.agents.length, 3);
  const body = JSON.stringify({ id: "evt_1", type: "agent.created", created_at: new Date().toISOString(), data: { id: "a", object: "agent" } });
  const headers = await signWebhook({ secret: "whsec_x", body, version: "1.2" });
  assert.equal((await verifyWebhookSignature({ payload: body, headers, secret: "whsec_x" })).id, "evt_1");
  assert.equal(typeof SyncClient, "function");
  console.log(`@resonantgenesis/sdk ${SDK_VERSION}: list, error class, exportAll and webhooks work from the tarballs`);
} finally {
  await mock.close();
}
