/**
 * The records of a live account, from the SDK's `exportStream`, in the
 * archive's terms: plural kinds, unknown kinds (which the SDK hands on whole)
 * by their archive key, and never a secret.
 * @module
 */
import type { ApiVersion, ResonantClient } from "@resonantgenesis/sdk";
import { pluralOf } from "../archive/format.js";

/** One object of the account. */
export interface LiveRecord {
  /** Plural kind. */
  kind: string;
  /** The object as the server sent it (less any secret). */
  data: Record<string, unknown>;
}

/** Drops a `secret` that a webhook or trigger should never carry in an export (defence in depth: the API sends none). */
function withoutSecret(kind: string, data: Record<string, unknown>): Record<string, unknown> {
  if ((kind === "webhooks" || kind === "triggers") && "secret" in data) {
    const { secret: _secret, ...rest } = data;
    return rest;
  }
  return data;
}

/** Every object of the account, kind by kind in dependency order, then the `end` counts. */
export async function* liveRecords(client: ResonantClient<ApiVersion>): AsyncGenerator<LiveRecord, void, undefined> {
  for await (const record of client.data.exportStream()) {
    const r = record as { kind: string; data?: unknown; raw?: { kind: string; data?: unknown } };
    if (r.kind === "end") return;
    if (r.kind === "unknown" && r.raw) {
      const kind = pluralOf(r.raw.kind);
      yield { kind, data: withoutSecret(kind, r.raw.data as Record<string, unknown>) };
      continue;
    }
    const kind = pluralOf(r.kind);
    yield { kind, data: withoutSecret(kind, r.data as Record<string, unknown>) };
  }
}
