/**
 * Outbound webhook events. When an object changes, every active webhook of
 * the account that subscribes to the event (and, in 1.2, whose `filters`
 * match the object) gets a delivery: the event `{id, type, created_at, data}`
 * serialised in the webhook's API version (the one it was created with) and
 * signed as that version signs (see signing.ts). The mock sends nothing over
 * the network: deliveries are recorded on `api.deliveries` and handed to the
 * `onWebhookDelivery` option, which may POST them wherever a test listens.
 * @module
 */
import type { ApiVersion, v1_2 } from "@resonantgenesis/schemas";
import { randomToken } from "./auth.js";
import { hasSchema } from "./domain/common.js";
import { presentAs } from "./evolve.js";
import { signWebhook } from "./signing.js";
import type { Account } from "./store.js";
import { CURRENT_API_VERSION } from "@resonantgenesis/schemas/meta";

/** One delivery the mock would POST to a webhook's URL. */
export interface WebhookDelivery {
  webhookId: string;
  /** Where it would be posted. */
  url: string;
  /** The API version of the webhook, which chose the data's shape and the signing scheme. */
  version: ApiVersion;
  /** The event as posted. */
  event: { id: string; type: string; created_at: string; data: unknown };
  /** The raw body, exactly the signed bytes. */
  body: string;
  /** The signature headers plus Content-Type. */
  headers: Record<string, string>;
}

/** The object kinds events are about, and the schema that shows each. */
const SCHEMA_OF: Record<string, string> = {
  agent: "Agent",
  session: "Session",
  team: "Team",
  memory: "Memory",
  trigger: "Trigger",
};

/** The most deliveries `api.deliveries` keeps (oldest dropped first). */
export const MAX_KEPT_DELIVERIES = 1000;

function agentIdsOf(object: Record<string, unknown>): string[] {
  if (object.object === "agent") return [object.id as string];
  if (object.object === "team") return object.agent_ids as string[];
  return typeof object.agent_id === "string" ? [object.agent_id] : [];
}

/** True when a 1.2 webhook's filters let the object through. */
function passes(webhook: v1_2.Webhook, object: Record<string, unknown>): boolean {
  const { agent_ids: agentIds, metadata } = webhook.filters ?? {};
  if (agentIds?.length && !agentIdsOf(object).some((id) => agentIds.includes(id))) return false;
  if (metadata && Object.keys(metadata).length) {
    const own = (object.metadata ?? {}) as Record<string, string>;
    if (!Object.entries(metadata).every(([k, v]) => own[k] === v)) return false;
  }
  return true;
}

/** Records (and hands out) the deliveries of every account. */
export class Deliveries {
  /** Delivered so far, oldest first. */
  readonly list: WebhookDelivery[] = [];
  private pending = new Set<Promise<void>>();
  /**
   * Bumped by {@link clear}. Signing is async, so a delivery fired just before a
   * reset would otherwise land after it, in the next test's list and handler.
   */
  private generation = 0;

  constructor(
    private readonly now: () => Date,
    private readonly onDelivery?: (delivery: WebhookDelivery) => void | Promise<void>,
    private readonly evolve = false,
  ) {}

  /** Fires `type` about `object` (its stored, fullest shape) for the account's webhooks. */
  emit(account: Account, type: string, object: object): void {
    for (const webhook of account.webhooks.values()) {
      if (!webhook.active || !(webhook.events as string[]).includes(type)) continue;
      if (!passes(webhook, object as Record<string, unknown>)) continue;
      const version = account.webhookVersions.get(webhook.id) ?? CURRENT_API_VERSION;
      const kind = SCHEMA_OF[(object as { object: string }).object] ?? "Agent";
      // A kind newer than the webhook's version is sent in its fullest shape.
      const schemaVersion = hasSchema(version, kind) ? version : CURRENT_API_VERSION;
      const event = {
        id: randomToken("evt_", 24),
        type,
        created_at: this.now().toISOString(),
        data: presentAs(schemaVersion, kind, object, this.evolve),
      };
      const body = JSON.stringify(event);
      const secret = account.secrets.get(webhook.id) ?? "";
      const timestamp = Math.floor(this.now().getTime() / 1000);
      const generation = this.generation;
      const job = signWebhook({ secret, body, version, timestamp, eventId: event.id }).then(async (signature) => {
        if (generation !== this.generation) return;
        const delivery: WebhookDelivery = {
          webhookId: webhook.id,
          url: webhook.url,
          version,
          event,
          body,
          headers: { "Content-Type": "application/json", ...signature },
        };
        this.list.push(delivery);
        if (this.list.length > MAX_KEPT_DELIVERIES) this.list.shift();
        await this.onDelivery?.(delivery);
      });
      const tracked = job.catch(() => undefined).finally(() => this.pending.delete(tracked));
      this.pending.add(tracked);
    }
  }

  /** Waits until every delivery fired so far is signed and handed out; answers them all. */
  async flush(): Promise<WebhookDelivery[]> {
    while (this.pending.size) await Promise.all([...this.pending]);
    return [...this.list];
  }

  /** Forgets every delivery, those still being signed included. */
  clear(): void {
    this.generation += 1;
    this.pending.clear();
    this.list.length = 0;
  }
}
