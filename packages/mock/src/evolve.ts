/**
 * The evolved server (`createMockApi({ evolve: true })`, `pnpm mock --evolve`):
 * the same API as a 1.x server of next year might answer it, making every
 * change that docs/protocol.md section 8 allows within a major version, so the
 * SDK's compatible reading is tried against answers its schemas do not know:
 *
 * - new optional fields on every object (`labels`, `lineage`), stored and
 *   carried through export and import like any other field;
 * - new enum values (an agent `paused`, a session `expired`, a step
 *   `reflect`, a team `consensus`, a tool `PUT`, a trigger `scheduled`);
 * - a new SSE event type (`thinking`, after every step) and a new webhook
 *   event type (`session.evaluated`, after every finished session);
 * - a new kind, `workflows`, in `/data/export` (JSON and NDJSON), with its
 *   own `/workflows/export` and `/workflows/import`; on request
 *   (`evolve: { kinds: ["workflows", "policies"] }`) a second one, `policies`,
 *   whose NDJSON records are `policy` lines: a plural that is not its record
 *   kind plus "s", named only by the export's `end` line;
 * - relaxed limits: names past 100 characters;
 * - a session that leaves out `team_id`, which docs/protocol.md does not promise.
 *
 * Objects are shown through the compatible reading of the served version's
 * schema (fields of later versions dropped, limits and enum values not
 * checked), then given back their evolved fields.
 * @module
 */
import { schemas, tolerant, type ApiVersion } from "@resonantgenesis/schemas";
import type { SchemaLike } from "./domain/common.js";
import { showStored } from "./newer-values.js";
import { Collection, type Account } from "./store.js";

/** The fields the evolved server adds to every object, in the order it shows them. */
export const EVOLVED_FIELDS = ["labels", "lineage"] as const;
/** The SSE event type the evolved server adds. */
export const EVOLVED_STREAM_EVENT = "thinking";
/** The webhook event type the evolved server adds. */
export const EVOLVED_WEBHOOK_EVENT = "session.evaluated";
/** The kind the evolved server adds: its archive key and its NDJSON record name. */
export const EVOLVED_KIND = { plural: "workflows", singular: "workflow" } as const;
/** The kinds an evolved server may add, in the order it exports them: {@link EVOLVED_KIND}, and one only on request. */
export const EVOLVED_KINDS = [EVOLVED_KIND, { plural: "policies", singular: "policy" }] as const;
/** An evolved kind's archive key. */
export type EvolvedKindName = (typeof EVOLVED_KINDS)[number]["plural"];
/** An evolved kind: its archive key and its NDJSON record name. */
export type EvolvedKind = (typeof EVOLVED_KINDS)[number];

/** The kinds the server adds for `evolve` (createMockApi's option): none, the workflows of `true`, or those named. */
export function evolvedKindsOf(evolve: boolean | { kinds: readonly EvolvedKindName[] }): readonly EvolvedKind[] {
  if (evolve === false) return [];
  const names: readonly string[] = evolve === true ? [EVOLVED_KIND.plural] : evolve.kinds;
  return EVOLVED_KINDS.filter((kind) => names.includes(kind.plural));
}

/** Enum values the evolved server uses, per kind and field. */
const NEW_VALUES: Record<string, Record<string, string>> = {
  agents: { status: "paused" },
  sessions: { status: "expired" },
  teams: { coordination_mode: "consensus" },
  tools: { method: "PUT" },
  triggers: { status: "scheduled" },
};

type Stored = Record<string, unknown>;

const isObject = (value: unknown): value is Stored =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A stored object as `version` shows it. The plain server parses it with the
 * version's schema as written (values of a later version passing through,
 * newer-values.ts); the evolved one reads it tolerantly and adds
 * back its evolved fields (nested objects too, such as an exported session's steps).
 */
export function presentAs(version: ApiVersion, schemaName: string, stored: unknown, evolve: boolean): unknown {
  const schema = (schemas[version] as unknown as Record<string, SchemaLike | undefined>)[schemaName];
  if (!schema) throw new Error(`API ${version} has no schema ${schemaName}`);
  if (!evolve) return showStored(version, schemaName, schema, stored);
  const shown = withEvolvedFields(tolerant(schema as never as Parameters<typeof tolerant>[0]).parse(stored), stored);
  return leaveOutUnpromised(shown);
}

/** Copies the evolved fields of `source` onto `shown`, at every depth where both hold objects. */
export function withEvolvedFields(shown: unknown, source: unknown): unknown {
  if (Array.isArray(shown) && Array.isArray(source)) {
    shown.forEach((item, i) => {
      withEvolvedFields(item, source[i]);
    });
  } else if (isObject(shown) && isObject(source)) {
    for (const key of Object.keys(shown)) withEvolvedFields(shown[key], source[key]);
    for (const key of EVOLVED_FIELDS) if (key in source) shown[key] = source[key];
  }
  return shown;
}

// A session not started for a team may leave `team_id` out (docs/protocol.md section 5, 1.2).
function leaveOutUnpromised(shown: unknown): unknown {
  if (isObject(shown) && shown.object === "session" && shown.team_id == null) delete shown.team_id;
  if (isObject(shown) && Array.isArray(shown.sessions)) shown.sessions.forEach(leaveOutUnpromised);
  return shown;
}

const evolvedOf = new WeakMap<Account, Map<string, Collection<{ id: string }>>>();

/** The account's objects of the evolved kind `plural` (default: {@link EVOLVED_KIND}). */
export function workflows(account: Account, plural: EvolvedKindName = EVOLVED_KIND.plural): Collection<{ id: string }> {
  let kinds = evolvedOf.get(account);
  if (kinds === undefined) evolvedOf.set(account, (kinds = new Map()));
  let collection = kinds.get(plural);
  if (collection === undefined) kinds.set(plural, (collection = new Collection()));
  return collection;
}

/** Copies the evolved kinds' objects of `from` into `to` (a reset restoring the store right after creation). */
export function copyWorkflows(from: Account, to: Account): void {
  for (const [plural, collection] of evolvedOf.get(from) ?? [])
    collection.copyInto(workflows(to, plural as EvolvedKindName));
}

function evolvedFields(kind: string, i: number): Stored {
  return { labels: ["evolved", kind], lineage: { generation: 2, origin: "evolve", index: i } };
}

/**
 * Turns a freshly seeded account into one of the evolved server: evolved
 * fields on every object, a new enum value on every other one, the first
 * agent's name past the old limit, every webhook also subscribed to the new
 * event type, and two objects of each of `kinds` (default: two workflows).
 */
export function evolveAccount(account: Account, now: string, kinds: readonly EvolvedKind[] = [EVOLVED_KIND]): void {
  for (const kind of ["tools", "agents", "teams", "sessions", "memories", "triggers", "webhooks"] as const) {
    account
      .collection(kind)
      .values()
      .forEach((item, i) => {
        const stored = item as unknown as Stored;
        Object.assign(stored, evolvedFields(kind, i));
        if (i % 2 === 1) Object.assign(stored, NEW_VALUES[kind] ?? {});
        if (kind === "agents" && i === 0) stored.name = `${String(stored.name)}-${"long".repeat(40)}`;
        if (kind === "webhooks") stored.events = [...(stored.events as string[]), EVOLVED_WEBHOOK_EVENT];
        if (kind === "sessions") {
          account
            .extras(stored.id as string)
            .steps.values()
            .forEach((step, n) => {
              Object.assign(step, evolvedFields("steps", n));
              if (n === 0) (step as unknown as Stored).action = "reflect";
            });
        }
      });
  }
  const agentIds = account.agents.values().map((agent) => agent.id);
  for (const kind of kinds) {
    for (let i = 0; i < 2; i++) {
      workflows(account, kind.plural).insert({
        id: crypto.randomUUID(),
        object: kind.singular,
        name: `${kind.singular}-${i + 1}`,
        agent_ids: agentIds.slice(0, 2),
        created_at: now,
        ...evolvedFields(kind.plural, i),
      } as { id: string });
    }
  }
}
