/**
 * Webhook delivery signatures (docs/protocol.md sections 5 and 7), with Web Crypto
 * so it runs in Node, browsers and edge runtimes. 1.0/1.1:
 * `X-Webhook-Signature: sha256=<hex HMAC-SHA256(secret, body)>`. 1.2 also
 * sends `X-Webhook-Timestamp` and `X-Webhook-Id`, and signs `"<timestamp>.<body>"`.
 * @module
 */
import type { ApiVersion } from "@resonantgenesis/schemas";
import { randomToken } from "./auth.js";
import { CURRENT_API_VERSION, versionAtLeast } from "@resonantgenesis/schemas/meta";
import { SINCE } from "./since.js";

/** What {@link signWebhook} needs. */
export interface SignWebhookOptions {
  /** The webhook's (or trigger's) secret, `whsec_...`; the whole string is the HMAC key. */
  secret: string;
  /** The raw body, exactly the bytes that are sent. */
  body: string;
  /** The API version whose signing scheme to use (default 1.2). */
  version?: ApiVersion;
  /** Unix seconds (1.2; default: now), rounded down to a whole second. A Date is converted. */
  timestamp?: number | Date;
  /** The event id for X-Webhook-Id (1.2; default: the body's `id`, else a random `evt_...`). */
  eventId?: string;
}

const hex = (buffer: ArrayBuffer): string =>
  [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** Hex HMAC-SHA256 of `message` under `secret`. */
export async function hmacSha256Hex(secret: string, message: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return hex(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
}

function eventIdOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { id?: unknown };
    return typeof parsed.id === "string" ? parsed.id : undefined;
  } catch {
    return undefined;
  }
}

/** The headers of a signed delivery of `body`, in `version`'s scheme. */
export async function signWebhook(options: SignWebhookOptions): Promise<Record<string, string>> {
  const version = options.version ?? CURRENT_API_VERSION;
  if (!versionAtLeast(version, SINCE.signedTimestamps))
    return { "X-Webhook-Signature": `sha256=${await hmacSha256Hex(options.secret, options.body)}` };
  // Whole seconds, as the API sends them: a receiver refuses "1795514400.75" as malformed, not as stale.
  const ts = Math.floor(
    options.timestamp instanceof Date ? options.timestamp.getTime() / 1000 : (options.timestamp ?? Date.now() / 1000),
  );
  return {
    "X-Webhook-Signature": `sha256=${await hmacSha256Hex(options.secret, `${ts}.${options.body}`)}`,
    "X-Webhook-Timestamp": String(ts),
    "X-Webhook-Id": options.eventId ?? eventIdOf(options.body) ?? randomToken("evt_", 24),
  };
}
