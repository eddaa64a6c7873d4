/**
 * Verifying webhook deliveries (docs/protocol.md sections 5 and 7) with Web
 * Crypto, so the same code runs in Node, browsers, Deno, Bun and edge
 * runtimes. Two schemes exist: 1.0/1.1 sign the raw body; 1.2 deliveries carry
 * `X-Webhook-Timestamp` and sign `"<timestamp>.<raw body>"`, which lets a
 * receiver refuse replays.
 *
 * @packageDocumentation
 */
import type { v1_2 } from "@resonantgenesis/schemas";
import { loadChecks } from "@resonantgenesis/schemas/checks";
import { WebhookSignatureError, type WebhookSignatureFailure } from "./core/errors.js";
import { issuesOf } from "./internal/validate.js";

/**
 * A delivered event: `{ id, type, created_at, data }`, typed by the 1.2
 * schema, whose event types include every earlier version's. `data` is the
 * object the event is about (its `id` and `object` kind always present).
 */
export type WebhookEvent = v1_2.WebhookEvent;

/** Headers as a `Headers` or as a plain object (Node's `IncomingMessage.headers`, say). */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/** The input of {@link verifyWebhookSignature}. */
export interface VerifyWebhookSignatureOptions {
  /** The raw request body, exactly as received: re-serialised JSON will not verify. */
  payload: string | Uint8Array | ArrayBuffer;
  /** The delivery's headers: `X-Webhook-Signature`, and from 1.2 `X-Webhook-Timestamp`. */
  headers: WebhookHeaders;
  /** The webhook's or trigger's secret (`whsec_...`). */
  secret: string;
  /** How far `X-Webhook-Timestamp` may be from now, in seconds. Default 300. */
  toleranceSeconds?: number | undefined;
  /**
   * Refuse deliveries without `X-Webhook-Timestamp`. A receiver of 1.2
   * deliveries should set it: otherwise a replay could drop the header and be
   * checked by the older, timestamp-less scheme. Default false, so 1.0/1.1
   * deliveries verify.
   */
  requireTimestamp?: boolean | undefined;
  /** The current time in unix seconds; for tests. */
  now?: number | undefined;
}

/** The default allowed clock difference for 1.2 deliveries, in seconds. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

const encoder = new TextEncoder();

function fail(reason: WebhookSignatureFailure, message: string): never {
  throw new WebhookSignatureError(message, { reason });
}

function getHeader(headers: WebhookHeaders, name: string): string | undefined {
  // By shape, not instanceof: a Headers of another fetch implementation (the undici package, node-fetch, another
  // realm) is no instance of this global's, and its entries are not own properties to read as a plain object.
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const wanted = name.toLowerCase();
  // Several lines of one header, or one header under two spellings of its name, are one comma-separated list
  // (RFC 9110 section 5.3), as Headers.get reads them: taking the first alone would drop the second signature of a
  // secret rotation. A value that is no string (a null, a number: outside the type) is no header line.
  const lines = Object.entries(headers)
    .filter(([key]) => key.toLowerCase() === wanted)
    .flatMap(([, value]) => (Array.isArray(value) ? value : [value]))
    .filter((line): line is string => typeof line === "string");
  return lines.length > 0 ? lines.join(", ") : undefined;
}

function toBytes(payload: string | Uint8Array | ArrayBuffer): Uint8Array<ArrayBuffer> {
  if (typeof payload === "string") return encoder.encode(payload);
  // Copy so the bytes are ours (and typed as backed by a plain ArrayBuffer).
  return payload instanceof ArrayBuffer ? new Uint8Array(payload.slice(0)) : new Uint8Array(payload);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function parseSignatures(header: string): Uint8Array[] {
  // A comma-separated list is accepted so a secret rotation that sends two
  // signatures keeps working; each entry must still be `sha256=<hex>`.
  const out: Uint8Array[] = [];
  for (const part of header.split(",")) {
    const match = /^\s*sha256=([0-9a-fA-F]+)\s*$/.exec(part);
    if (!match?.[1] || match[1].length % 2 !== 0) {
      fail("malformed_signature", 'X-Webhook-Signature must look like "sha256=<hex digest>".');
    }
    const hex = match[1];
    const bytes = new Uint8Array(hex.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
    out.push(bytes);
  }
  return out;
}

/**
 * Compare two byte arrays in time that depends only on their lengths, so a
 * forger learns nothing from timing about how many leading bytes were right.
 *
 * @returns Whether they are equal; different lengths are never equal.
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  const length = Math.max(a.length, b.length);
  let diff = a.length ^ b.length;
  for (let i = 0; i < length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

async function hmacSha256(secret: string, message: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) fail("crypto_unavailable", "Web Crypto (crypto.subtle) is not available in this runtime.");
  const key = await subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await subtle.sign("HMAC", key, message));
}

async function parseEvent(body: Uint8Array): Promise<WebhookEvent> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch {
    fail("invalid_payload", "The webhook body is signed correctly but is not valid UTF-8 JSON.");
  }
  // The 1.2 schema, its event types including every earlier version's, read
  // compatibly: a newer server's event type or field reaches the receiver as
  // it came (the event is handed back verbatim). Loaded on first use.
  const { checks } = await loadChecks("1.2", "compatible");
  const issues = checks.WebhookEvent!(value) ? [] : await issuesOf("1.2", "WebhookEvent", "compatible", value);
  if (issues.length > 0) {
    const where = issues.map((i) => `${i.path}: ${i.message}`).join("; ");
    fail("invalid_payload", `The webhook body is signed correctly but is not an event (${where}).`);
  }
  return value as WebhookEvent;
}

/**
 * Check a webhook delivery's signature and return its event.
 *
 * With `X-Webhook-Timestamp` (1.2) the signature is
 * HMAC-SHA256(secret, `"<timestamp>.<raw body>"`) and the timestamp must be
 * within `toleranceSeconds` of now; without it (1.0/1.1), HMAC-SHA256(secret,
 * raw body). The comparison is constant-time.
 *
 * @param options - The raw body, the request headers and the secret.
 * @returns The parsed event.
 * @throws WebhookSignatureError with a `reason` (missing or malformed header,
 *   timestamp outside tolerance, mismatch, bad body); never containing the secret.
 */
export async function verifyWebhookSignature(options: VerifyWebhookSignatureOptions): Promise<WebhookEvent> {
  const { headers, secret } = options;
  const tolerance = options.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS;
  if (typeof secret !== "string" || secret === "") {
    throw new TypeError("verifyWebhookSignature: `secret` must be a non-empty string.");
  }
  // Infinity would turn replay protection off in silence, and a negative tolerance refuse every 1.2 delivery.
  if (!(Number.isFinite(tolerance) && tolerance >= 0)) {
    throw new TypeError(
      `verifyWebhookSignature: \`toleranceSeconds\` must be a finite number of seconds, 0 or more; got ${String(tolerance)}.`,
    );
  }

  const signatureHeader = getHeader(headers, "x-webhook-signature");
  if (signatureHeader === undefined || signatureHeader.trim() === "") {
    fail("missing_signature", "The X-Webhook-Signature header is missing.");
  }
  const expectedSignatures = parseSignatures(signatureHeader);

  const body = toBytes(options.payload);
  const timestampHeader = getHeader(headers, "x-webhook-timestamp")?.trim();
  let signed = body;
  if (timestampHeader === undefined && options.requireTimestamp) {
    fail("malformed_timestamp", "X-Webhook-Timestamp is missing, and this receiver requires the 1.2 signing scheme.");
  }
  if (timestampHeader !== undefined) {
    if (!/^\d+$/.test(timestampHeader)) {
      fail("malformed_timestamp", "X-Webhook-Timestamp must be unix seconds.");
    }
    signed = concat(encoder.encode(`${timestampHeader}.`), body);
  }

  const actual = await hmacSha256(secret, signed);
  // Every candidate is compared, with no early exit, to keep timing flat.
  let matched = false;
  for (const expected of expectedSignatures) matched = timingSafeEqual(actual, expected) || matched;
  if (!matched) {
    fail(
      "signature_mismatch",
      "The webhook signature does not match: the body was changed, the secret is wrong, or the body was re-serialised instead of passed raw.",
    );
  }

  // Checked after the signature, because only a signed timestamp means anything.
  if (timestampHeader !== undefined) {
    const now = options.now ?? Math.floor(Date.now() / 1000);
    const skew = Math.abs(now - Number(timestampHeader));
    if (skew > tolerance) {
      fail(
        "timestamp_out_of_tolerance",
        `X-Webhook-Timestamp is ${skew} seconds from now, more than the ${tolerance} allowed; the delivery may be a replay.`,
      );
    }
  }
  return parseEvent(body);
}
