/**
 * The account as the migration engine reads and writes it, one kind at a
 * time, through the SDK's resources: lists from `GET /<kind>/export` (10,000
 * a page) where the version has it, else the plain list; updates by `PATCH`,
 * or by an import that overwrites for the kinds without one (sessions,
 * memories); re-creations by import, which keeps ids. The migration tool's
 * own memories (ledger and lease) are never shown to a migration.
 * @module
 */
import { withoutSecret } from "../core/records.js";
import { KIND_TABLE, KINDS, versionAtLeast, type ApiVersion, type Kind } from "@resonantgenesis/schemas/meta";
import { NotFoundError, RequestValidationError, type RequestOptions, type ResonantClient } from "@resonantgenesis/sdk";
import { itemErrorFacts, type ErrorFacts } from "../core/errors.js";
import { CliError } from "../exit.js";
import { RESERVED_TAG_PREFIX } from "./ledger.js";
import type { Obj, PlannedOp } from "./plan.js";

interface Resource {
  list?: (...args: unknown[]) => AsyncIterable<unknown>;
  export?: (params?: unknown) => AsyncIterable<unknown>;
  get?: (id: string) => Promise<unknown>;
  create?: (...args: unknown[]) => Promise<unknown>;
  update?: (id: string, body: unknown, options?: RequestOptions) => Promise<unknown>;
  delete?: (id: string) => Promise<unknown>;
  import?: (
    body: unknown,
    options?: RequestOptions,
  ) => Promise<{ failed: { id: string; error: unknown }[]; secrets?: { id: string }[] }>;
}

// A signal aborted from the start: an SDK call checks its request strictly, then rejects with this reason before
// anything is sent (docs/retries-and-timeouts.md). So a planned write is checked by the very call that will send it.
const NOT_SENT = new Error("checked, not sent");
const CHECK_ONLY: RequestOptions = { signal: AbortSignal.abort(NOT_SENT) };

/** True for the kinds whose objects the server gives a secret when it creates them. */
export const hasSecret = (kind: string): boolean => kind === "webhooks" || kind === "triggers";

/** True for the migration tool's own memories. */
export function isReserved(kind: string, object: Record<string, unknown>): boolean {
  return (
    kind === "memories" &&
    Array.isArray(object.tags) &&
    object.tags.some((t) => typeof t === "string" && t.startsWith(RESERVED_TAG_PREFIX))
  );
}

/** A refused import item, as an error the run logs: the server's words, read as `import` reads them. */
export class ItemRefused extends Error {
  readonly facts: ErrorFacts;
  constructor(facts: ErrorFacts) {
    super(facts.message);
    this.name = "ItemRefused";
    this.facts = facts;
  }
}

/** See the module comment. */
export class Account {
  readonly client: ResonantClient<ApiVersion>;
  readonly apiVersion: ApiVersion;

  /** The same client, not checking answers: a write's answer is only hashed, and checking 100,000 of them was a tenth of a run's CPU. */
  readonly #writer: ResonantClient<ApiVersion>;
  #goodPatch = "";

  constructor(client: ResonantClient<ApiVersion>) {
    this.client = client;
    this.apiVersion = client.apiVersion as ApiVersion;
    this.#writer = client.withOptions({ validateResponses: false }) as ResonantClient<ApiVersion>;
  }

  /** Refuses a kind the table does not know or this version lacks, naming where it was asked for. */
  checkKind(kind: string, where: string): asserts kind is Kind {
    if (!(KINDS as readonly string[]).includes(kind))
      throw new CliError(`${where}: unknown kind ${JSON.stringify(kind)} (kinds: ${KINDS.join(", ")})`);
    if (!versionAtLeast(this.apiVersion, KIND_TABLE[kind as Kind].since))
      throw new CliError(`${where}: API ${this.apiVersion} has no ${kind} (since ${KIND_TABLE[kind as Kind].since})`);
  }

  #resource(kind: Kind, write = false): Resource {
    return ((write ? this.#writer : this.client) as unknown as Record<string, Resource>)[kind]!;
  }

  /** Every object of `kind`, oldest first. */
  async *list(kind: Kind): AsyncGenerator<Obj> {
    const r = this.#resource(kind);
    // Pages of 500: a page is read whole before its objects are handed over, and lives while they are worked
    // on, long enough to be promoted: 10,000 (the most) held 20 MB at once; 2,000 peaked at 179 MB at 100,000
    // agents, 500 at 163 (100 no lower).
    const pages = versionAtLeast(this.apiVersion, KIND_TABLE[kind].exportSince)
      ? r.export!({ limit: 500 })
      : r.list!({ limit: 100 });
    // Never a secret into a backup or a journal, as never into an export.
    for await (const item of pages) {
      const o = item as Obj;
      if (!isReserved(kind, o)) yield withoutSecret(kind, o) as Obj;
    }
  }

  /** One object, or undefined when it is gone. */
  async get(kind: Kind, id: string): Promise<Obj | undefined> {
    try {
      const o = (await this.#resource(kind).get!(id)) as Obj;
      return isReserved(kind, o) ? undefined : (withoutSecret(kind, o) as Obj);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /**
   * Why the write `op` plans would be refused before it is sent (the SDK's check of its request), or undefined:
   * the same call as the write, with nothing sent. A kind this version cannot write at all throws its CliError.
   */
  async refusal(op: PlannedOp): Promise<string | undefined> {
    const kind = op.kind as Kind;
    // A PATCH's body is the patch alone, and a migration mostly plans the same one for every object it changes:
    // the same bytes as the last patch found good go unchecked (a tenth of a 100,000-object plan's time otherwise).
    const patch = op.op === "update" && this.#resource(kind, true).update ? `${kind} ${JSON.stringify(op.patch)}` : "";
    if (patch !== "" && patch === this.#goodPatch) return undefined;
    try {
      if (op.op === "update") await this.update(kind, op.id, op.patch, op.before, CHECK_ONLY);
      else if (op.op === "create") await this.create(kind, op.body, "not-sent", CHECK_ONLY);
      else if (op.op === "restore") await this.restore(kind, op.object, "overwrite", CHECK_ONLY);
    } catch (error) {
      if (error instanceof RequestValidationError) return error.message;
      if (error !== NOT_SENT) throw error;
    }
    this.#goodPatch = patch;
    return undefined;
  }

  /** What the write `op` plans sends of the object: the patch by `PATCH`, else the whole object; nothing for a delete. */
  sends(op: PlannedOp): Record<string, unknown> | undefined {
    if (op.op === "update")
      return this.#resource(op.kind as Kind, true).update ? op.patch : { ...op.before, ...op.patch };
    return op.op === "create" ? op.body : op.op === "restore" ? op.object : undefined;
  }

  /** Writes `patch` to an object; answers the object as the server has it now. */
  async update(
    kind: Kind,
    id: string,
    patch: Record<string, unknown>,
    before: Obj,
    options?: RequestOptions,
  ): Promise<Obj | undefined> {
    const r = this.#resource(kind, true);
    if (r.update) return (await r.update(id, patch, options)) as Obj;
    this.#needsImport(
      kind,
      (since) => `update ${kind}: they have no PATCH, and the import that overwrites them came in ${since}`,
    );
    await this.restore(kind, { ...before, ...patch }, "overwrite", options);
    return undefined;
  }

  /**
   * Creates an object (the idempotency key makes a resumed create answer the first one's object). A webhook or
   * trigger gets a new secret, which is kept nowhere: the caller names it to the user.
   */
  async create(
    kind: Kind,
    body: Record<string, unknown>,
    idempotencyKey: string,
    requestOptions?: RequestOptions,
  ): Promise<Obj> {
    const r = this.#resource(kind, true);
    const options = { ...requestOptions, idempotencyKey };
    let created: Obj;
    if (kind === "triggers") {
      const { agent_id, ...rest } = body;
      created = (await r.create!(agent_id, rest, options)) as Obj;
    } else created = (await r.create!(body, options)) as Obj;
    // A webhook's or trigger's new secret goes nowhere: not to the journal, not to the migration.
    const { secret: _secret, ...rest } = created;
    return rest as Obj;
  }

  /** Deletes an object; one already gone counts as deleted. */
  async delete(kind: Kind, id: string): Promise<void> {
    try {
      await this.#resource(kind, true).delete!(id);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }

  /** Refuses a kind whose import this version lacks: `cannot` says what that keeps from being done. */
  #needsImport(kind: Kind, cannot: (since: string) => string): void {
    const since = KIND_TABLE[kind].importSince;
    if (!versionAtLeast(this.apiVersion, since))
      throw new CliError(`API ${this.apiVersion} cannot ${cannot(since)}: run against --api-version ${since}`);
  }

  /**
   * Puts an object back with its id through the kind's import endpoint; answers true when the server made it anew
   * with a new secret (a webhook or trigger that was gone), which is kept nowhere: the caller names it to the user.
   */
  async restore(
    kind: Kind,
    object: Obj,
    onConflict: "skip" | "overwrite" = "overwrite",
    options?: RequestOptions,
  ): Promise<boolean> {
    this.#needsImport(
      kind,
      (since) => `import ${kind} (since ${since}), so ${kind} ${object.id} cannot be put back with its id`,
    );
    const result = await this.#resource(kind, true).import!({ [kind]: [object], on_conflict: onConflict }, options);
    const failed = result.failed[0];
    if (failed) throw new ItemRefused(itemErrorFacts(failed.error, null));
    // A server that leaves `secrets` out (docs/protocol.md section 8 lets it) may still have made one.
    return result.secrets ? result.secrets.some((s) => s.id === object.id) : hasSecret(kind);
  }
}
