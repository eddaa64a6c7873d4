// Webhook deliveries, end to end on loopback: a receiver (receiver.ts) that
// verifies signatures, and this driver, which posts it four deliveries signed
// the way the API signs them (the mock's signWebhook): a good 1.2 one, a good
// 1.0 one, a tampered one and a stale one. It prints what was accepted and
// rejected, and exits non-zero unless exactly the two good ones got through.
import { randomBytes } from "node:crypto";
import { signWebhook } from "@resonantgenesis/mock";
import type { ApiVersion } from "@resonantgenesis/sdk";
import { startReceiver, type Outcome } from "./receiver.js";

// In real use the secret comes from the webhooks.create answer (shown once); here both sides share a fresh one.
const secret = `whsec_${randomBytes(24).toString("hex")}`;
const receiver = await startReceiver(secret);

const now = Math.floor(Date.now() / 1000);
const eventBody = (type: string, object: string) =>
  JSON.stringify({
    id: `evt_${randomBytes(12).toString("hex")}`,
    type,
    created_at: new Date(now * 1000).toISOString(),
    data: { id: `${object}_${randomBytes(6).toString("hex")}`, object, name: "Inbox helper" },
  });

interface Delivery {
  label: string;
  version: ApiVersion;
  body: string;
  timestamp?: number;
  /** Changes the body after signing, as an attacker on the way would. */
  tamper?: (body: string) => string;
  expected: Outcome;
}

const deliveries: Delivery[] = [
  {
    label: "good, 1.2 scheme (timestamped)",
    version: "1.2",
    body: eventBody("agent.created", "agent"),
    expected: { status: 200, detail: "agent.created" },
  },
  {
    label: "good, 1.0 scheme (body only)",
    version: "1.0",
    body: eventBody("session.completed", "session"),
    expected: { status: 200, detail: "session.completed" },
  },
  {
    label: "tampered after signing",
    version: "1.2",
    body: eventBody("agent.updated", "agent"),
    tamper: (body) => body.replace("Inbox helper", "Wire transfer bot"),
    expected: { status: 400, detail: "signature_mismatch" },
  },
  // Signed correctly, an hour ago: a replay of a captured delivery looks like this.
  {
    label: "stale (signed an hour ago)",
    version: "1.2",
    body: eventBody("agent.deleted", "agent"),
    timestamp: now - 3600,
    expected: { status: 400, detail: "timestamp_out_of_tolerance" },
  },
];

let failures = 0;
try {
  console.log(`receiver on ${receiver.url}\n`);
  for (const delivery of deliveries) {
    const headers = await signWebhook({
      secret,
      body: delivery.body,
      version: delivery.version,
      timestamp: delivery.timestamp,
    });
    const sent = delivery.tamper ? delivery.tamper(delivery.body) : delivery.body;
    const response = await fetch(receiver.url, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: sent,
    });
    const outcome = (await response.json()) as Outcome;
    const ok =
      outcome.status === response.status &&
      response.status === delivery.expected.status &&
      outcome.detail.startsWith(delivery.expected.detail);
    if (!ok) failures += 1;
    const verdict = response.status === 200 ? "accepted" : `rejected ${response.status}`;
    console.log(`${ok ? "ok  " : "FAIL"} ${delivery.label.padEnd(32)} ${verdict.padEnd(12)} ${outcome.detail}`);
  }
} finally {
  await receiver.close();
}

if (failures > 0) {
  console.error(`\n${failures} delivery outcome(s) differ from what was expected`);
  process.exit(1);
}
console.log("\nthe two good deliveries were accepted; the tampered and the stale one were refused");
