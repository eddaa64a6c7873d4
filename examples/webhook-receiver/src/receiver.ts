// A webhook receiver on node:http. It verifies every delivery with
// verifyWebhookSignature before trusting a byte of it, and answers 400 to
// anything that does not verify, so the sender sees the refusal.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebhookSignatureError, verifyWebhookSignature } from "@resonantgenesis/sdk";

/** What the receiver did with one delivery. */
export interface Outcome {
  status: number;
  /** The event type when accepted; the failure reason when rejected. */
  detail: string;
}

/** Reads the raw body: the signature covers the exact bytes, so it must not be parsed and re-serialised first. */
async function rawBody(request: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Starts the receiver on a loopback port. It accepts both signing schemes:
 * 1.2 deliveries (timestamped, so stale ones are refused as possible replays)
 * and 1.0/1.1 ones (body only). A receiver that only ever gets 1.2 deliveries
 * should pass `requireTimestamp: true`, so a replay cannot drop the timestamp
 * header to fall back to the older scheme.
 */
export async function startReceiver(secret: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (request, response) => {
    const reply = (outcome: Outcome) => {
      response.writeHead(outcome.status, { "content-type": "application/json" });
      response.end(JSON.stringify(outcome));
    };
    if (request.method !== "POST" || request.url !== "/webhooks") return reply({ status: 404, detail: "not found" });
    try {
      const event = await verifyWebhookSignature({
        payload: await rawBody(request),
        headers: request.headers,
        secret,
        toleranceSeconds: 300,
      });
      // Only now is the event trusted; a real receiver would queue it and answer at once.
      reply({ status: 200, detail: `${event.type} ${event.data.object} ${event.data.id}` });
    } catch (error) {
      if (!(error instanceof WebhookSignatureError)) return reply({ status: 500, detail: "internal error" });
      // The reason is safe to log (it never holds the secret); the sender only learns "400".
      reply({ status: 400, detail: error.reason });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
