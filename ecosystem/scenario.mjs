// The one short scenario every consumer runs against the mock, written in plain
// JavaScript with web standards only (no node: module, no Node global), so the
// same file runs in Node, Bun, Deno, workerd, an edge VM and a browser page.
// The consumer hands in the SDK module it imported its own way; the scenario
// throws on the first thing that is wrong and returns what it saw, which the
// runner compares with what the mock was seeded with.

// The NDJSON record kinds (singular) and the end record's counts (plural), docs/protocol.md section 6.
const PLURAL = {
  tool: "tools",
  agent: "agents",
  team: "teams",
  session: "sessions",
  memory: "memories",
  trigger: "triggers",
  webhook: "webhooks",
};

const MISSING_AGENT = "00000000-0000-4000-8000-000000000000";

// docs/protocol.md section 7: the webhook test vectors (both signing schemes).
const WEBHOOK_SECRET = "whsec_test_5f3c1b";
const WEBHOOK_BODY =
  '{"id":"evt_01","type":"agent.created","created_at":"2026-11-24T10:00:00Z","data":{"id":"0b7c4f6e-2a51-4d38-9c1e-7f2d8a6b5e10","object":"agent","name":"triage"}}';
const SIGNATURE_1_0 = "sha256=43d9d52869f021264df3acfbd95be05ff4d1e71e30625b119d129adda7109eb7";
const SIGNATURE_1_2 = "sha256=a5e630ebd0e765e5a3aa0117dc90f5ee7e4e16cba23d5800c6accc858962ce9a";
const TIMESTAMP_1_2 = 1795514400;

function check(condition, message) {
  if (!condition) throw new Error(`scenario: ${message}`);
}

/**
 * @param {typeof import("@resonantgenesis/sdk")} sdk the package as the consumer imported it
 * @param {{ baseURL: string, apiKey: string, clientOptions?: object }} options
 */
export async function runScenario(sdk, { baseURL, apiKey, clientOptions = {} }) {
  const client = new sdk.ResonantClient({ apiKey, baseURL, maxRetries: 0, ...clientOptions });
  check(client.apiVersion === "1.2", `default API version is ${client.apiVersion}`);
  // What console.log(client) names: the class users wrote, in every build (a bundler's minifier renames classes).
  check(client.constructor.name === "ResonantClient", `the client's class is named ${client.constructor.name}`);

  // A list walked with for await, two per page so that several pages are fetched.
  const names = [];
  let firstId;
  for await (const agent of client.agents.list({ limit: 2 })) {
    firstId ??= agent.id;
    names.push(agent.name);
  }
  check(names.length > 2, `the list walked ${names.length} agents`);

  const agent = await client.agents.get(firstId);
  check(agent.name === names[0], "agents.get answered the first listed agent");

  // A 404 is a NotFoundError (instanceof holds in this runtime) with the server's request id.
  let notFound;
  try {
    await client.agents.get(MISSING_AGENT);
  } catch (error) {
    notFound = error;
  }
  check(notFound instanceof sdk.NotFoundError && notFound instanceof sdk.APIError, `a missing agent threw ${notFound}`);
  check(
    notFound.status === 404 && typeof notFound.requestId === "string" && notFound.requestId.length > 0,
    "the NotFoundError has its requestId",
  );

  // A streamed session (1.1+), read to `done`; the deltas add up to its result.
  const eventTypes = [];
  let text = "";
  let done;
  for await (const event of client.sessions.stream({ agent_id: agent.id, goal: "ecosystem check" })) {
    eventTypes.push(event.type);
    if (event.type === "message") text += event.data.delta;
    if (event.type === "done") done = event.data;
  }
  check(eventTypes[0] === "session" && eventTypes.at(-1) === "done", `stream events: ${eventTypes.join(",")}`);
  check(done.status === "completed" && done.result === text, "the deltas add up to the session's result");

  // The NDJSON export read to its end record, whose counts match what came.
  const seen = {};
  let end;
  for await (const record of client.data.exportStream()) {
    if (record.kind === "end") end = record;
    else seen[PLURAL[record.kind] ?? record.kind] = (seen[PLURAL[record.kind] ?? record.kind] ?? 0) + 1;
  }
  check(end !== undefined, "exportStream ended with its end record");
  for (const [kind, count] of Object.entries(end.counts))
    check((seen[kind] ?? 0) === count, `export ${kind}: ${seen[kind] ?? 0} records, end says ${count}`);

  // Webhook signatures with Web Crypto: both schemes verify, a changed body does not.
  const event10 = await sdk.verifyWebhookSignature({
    payload: WEBHOOK_BODY,
    secret: WEBHOOK_SECRET,
    headers: { "X-Webhook-Signature": SIGNATURE_1_0 },
  });
  const event12 = await sdk.verifyWebhookSignature({
    payload: new TextEncoder().encode(WEBHOOK_BODY),
    secret: WEBHOOK_SECRET,
    headers: new Headers({ "X-Webhook-Signature": SIGNATURE_1_2, "X-Webhook-Timestamp": String(TIMESTAMP_1_2) }),
    now: TIMESTAMP_1_2 + 10,
  });
  check(event10.id === "evt_01" && event12.data.name === "triage", "the test vectors verify");
  let refused;
  try {
    await sdk.verifyWebhookSignature({
      payload: WEBHOOK_BODY.replace("triage", "triag3"),
      secret: WEBHOOK_SECRET,
      headers: { "X-Webhook-Signature": SIGNATURE_1_0 },
    });
  } catch (error) {
    refused = error;
  }
  check(refused instanceof sdk.WebhookSignatureError, `a tampered body threw ${refused}`);

  return {
    sdkVersion: sdk.SDK_VERSION,
    // Which entry the runtime's resolver picked: only the Node entry has SyncClient.
    entry: "SyncClient" in sdk ? "node" : "universal",
    agents: names.length,
    notFoundRequestId: notFound.requestId,
    streamEvents: eventTypes.length,
    streamText: text,
    exported: end.counts,
    webhook: event12.id,
  };
}

/** The line a consumer prints on success, and the runner looks for. */
export const RESULT_PREFIX = "ecosystem-result ";
