/**
 * What a migration file is and what its `up` and `down` get: the public
 * types of `resonant migrate`, derived from the 1.2 schemas (the fullest
 * shape of every kind; an older version's objects are a subset of them).
 * @module
 */
import type { ApiVersion } from "@resonantgenesis/schemas/meta";
import type { v1_2 } from "@resonantgenesis/schemas";

/** The objects of each kind, as `ctx.list` and `ctx.get` hand them over. */
export interface KindObjects {
  /** Custom tools (1.1+). */
  tools: v1_2.Tool;
  /** Agents. */
  agents: v1_2.Agent;
  /** Teams of agents (1.2). */
  teams: v1_2.Team;
  /** Sessions, with their steps as the export gives them. */
  sessions: v1_2.ExportedSession;
  /** Memories (1.2); the tool's own ledger and lease are never shown. */
  memories: v1_2.Memory;
  /** Webhook triggers (1.2), without secrets. */
  triggers: v1_2.Trigger;
  /** Outbound webhooks, without secrets. */
  webhooks: v1_2.Webhook;
}

/** What `ctx.create` takes per kind: the create call's body (a trigger names its `agent_id` in it). */
export interface KindCreateBodies {
  /** `POST /tools`. */
  tools: v1_2.ToolCreateParams;
  /** `POST /agents`. */
  agents: v1_2.AgentCreateParams;
  /** `POST /teams`. */
  teams: v1_2.TeamCreateParams;
  /** `POST /sessions` (it starts the session). */
  sessions: v1_2.SessionCreateParams;
  /** `POST /memories`. */
  memories: v1_2.MemoryCreateParams;
  /** `POST /agents/{agent_id}/triggers`, the agent named in the body. */
  triggers: v1_2.TriggerCreateParams & { agent_id: string };
  /** `POST /webhooks`. */
  webhooks: v1_2.WebhookCreateParams;
}

/** A plural kind name of the kinds table (`"agents"`, `"teams"`...). */
export type KindName = keyof KindObjects;

/** An object of `K`. */
export type KindObject<K extends KindName> = KindObjects[K];

/**
 * A change to one object: top-level fields to set, and dotted paths into a
 * nested object (`"metadata.tier"`). Fields the server manages (`id`,
 * `created_at`, `updated_at`, `version`, `object`) cannot be set.
 */
export type Patch<K extends KindName> = Partial<
  Omit<KindObject<K>, "id" | "object" | "created_at" | "updated_at" | "version">
> & {
  [path: `${string}.${string}`]: unknown;
};

/** `ctx.update(kind, { where, set, unset })`. */
export interface UpdateSpec<K extends KindName> {
  /** Which objects (default: every object of the kind). */
  where?: (object: KindObject<K>) => boolean;
  /** Fields (or dotted paths) to set. */
  set?: Patch<K>;
  /** Fields (or dotted paths, `"metadata.tier"`) to remove: a nested key is dropped, a top-level field set to null. */
  unset?: readonly string[];
}

/** `ctx.update(kind, fn)`: the patch for an object, or null (or undefined) to leave it as it is. */
export type UpdateFn<K extends KindName> = (object: KindObject<K>) => Patch<K> | null | undefined;

/**
 * What `up` and `down` change data through. Every write is planned first
 * (reads see the account as it was before this migration's writes), shown by
 * `--dry-run`, journaled before it goes out, and can be undone. A write made
 * any other way (a client of your own) is not journaled: `down` cannot undo it.
 */
export interface MigrationContext {
  /** The API version the migration runs against. */
  readonly apiVersion: ApiVersion;
  /** The revision being run. */
  readonly revision: string;
  /** True under `--dry-run` (writes are planned and shown, never sent). */
  readonly dryRun: boolean;
  /** A line in the run's output (an `info` event with `--json`). */
  log(message: string): void;
  /** Every object of the kind, oldest first, streamed. */
  list<K extends KindName>(kind: K): AsyncIterable<KindObject<K>>;
  /** One object, or undefined when there is none with that id. */
  get<K extends KindName>(kind: K, id: string): Promise<KindObject<K> | undefined>;
  /** Plans an update of every object `where` accepts (or `fn` patches); answers how many objects change. */
  update<K extends KindName>(kind: K, change: UpdateSpec<K> | UpdateFn<K>): Promise<number>;
  /** Plans a create; answers the object with its id (later writes may name it). */
  create<K extends KindName>(kind: K, body: KindCreateBodies[K]): Promise<KindObject<K>>;
  /** Plans the deletion of every object `where` accepts; answers how many. */
  delete<K extends KindName>(kind: K, where: (object: KindObject<K>) => boolean): Promise<number>;
}

/** A migration file's default export. */
export interface Migration {
  /** A short unique id (`migrate new` makes one). */
  revision: string;
  /** The revision this one follows; null for the first. */
  downRevision: string | null;
  /** What it does, in a line. */
  message: string;
  /** Makes the change. */
  up(ctx: MigrationContext): Promise<void>;
  /** Undoes it. Without one, `down` reverses the run's journal. */
  down?(ctx: MigrationContext): Promise<void>;
}

/**
 * The identity, for types: `export default defineMigration({ ... })`.
 * @example
 * ```ts
 * import { defineMigration } from "@resonantgenesis/cli";
 * export default defineMigration({
 *   revision: "a1b2c3", downRevision: null, message: "gpt-4-turbo to gpt-4.1",
 *   async up(ctx) { await ctx.update("agents", { where: (a) => a.model === "gpt-4-turbo", set: { model: "gpt-4.1" } }); },
 * });
 * ```
 */
export function defineMigration(migration: Migration): Migration {
  return migration;
}
