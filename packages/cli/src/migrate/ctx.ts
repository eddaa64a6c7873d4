/**
 * The `ctx` a migration's `up` and `down` receive. Nothing it does writes:
 * each write becomes a {@link PlannedOp} handed to the sink (the journal, or
 * the dry run's printer), and an overlay of small patches makes later reads
 * of the same run see the planned state (an object updated twice is planned
 * from its first update; a deleted one is no longer listed; a created one
 * is). The overlay holds ids and shared patches, not objects, so memory
 * stays small at 100,000 updates.
 * @module
 */
import { randomUUID } from "node:crypto";
import { RECORD_KIND, type Kind } from "@resonantgenesis/schemas/meta";
import { MAX_DEPTH, nestedPast } from "../archive/guards.js";
import { CliError } from "../exit.js";
import { type Account, isReserved } from "./account.js";
import { RESERVED_TAG_PREFIX } from "./ledger.js";
import { applyChange, patchBetween, stateHash, touchedFields, type Obj, type PlannedOp } from "./plan.js";
import type { KindName, KindObject, MigrationContext, UpdateFn, UpdateSpec } from "./types.js";

/** Where the planned writes go. */
export type PlanSink = (op: PlannedOp) => void | Promise<void>;

/** What the plan holds per kind. */
export interface PlanCounts {
  update: number;
  create: number;
  delete: number;
  restore: number;
}

/** True when `a` and `b` hold the same keys with the same (===) values. */
function sameShallow(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) if (!Object.hasOwn(b, k) || a[k] !== b[k]) return false;
  return true;
}

/**
 * The overlay of a run (shared by the revisions of one dry run, so each sees
 * the ones before it). Patches are kept per kind by id, and a patch equal to
 * the last one kept is shared rather than copied: a migration that sets the
 * same field on 100,000 objects holds one patch and 100,000 ids, not 100,000
 * patches and keys.
 */
export class Overlay {
  readonly #patches = new Map<string, Map<string, Record<string, unknown>>>();
  readonly #deleted = new Map<string, Set<string>>();
  /** Objects created in this run, per kind (not sent yet when planning). */
  readonly created = new Map<string, Obj[]>();
  #last: Record<string, unknown> | undefined;

  /** Adds `patch` to what the run has planned for `kind` `id`. */
  patch(kind: string, id: string, patch: Record<string, unknown>): void {
    let byId = this.#patches.get(kind);
    if (!byId) this.#patches.set(kind, (byId = new Map()));
    const prior = byId.get(id);
    let merged = prior ? { ...prior, ...patch } : patch;
    if (this.#last && sameShallow(this.#last, merged)) merged = this.#last;
    else this.#last = merged;
    byId.set(id, merged);
  }

  /** Marks `kind` `id` deleted in this run. */
  delete(kind: string, id: string): void {
    let ids = this.#deleted.get(kind);
    if (!ids) this.#deleted.set(kind, (ids = new Set()));
    ids.add(id);
  }

  /** True when this run deleted `kind` `id`. */
  isDeleted(kind: string, id: string): boolean {
    return this.#deleted.get(kind)?.has(id) ?? false;
  }

  /** `object` as this run has planned it, or undefined when it deleted it. */
  view(kind: string, object: Obj): Obj | undefined {
    if (this.isDeleted(kind, object.id)) return undefined;
    const patch = this.#patches.get(kind)?.get(object.id);
    return patch ? ({ ...object, ...patch } as Obj) : object;
  }
}

/** Options of {@link PlanContext}. */
export interface PlanContextOptions {
  account: Account;
  sink: PlanSink;
  revision: string;
  file: string;
  dryRun: boolean;
  log: (message: string) => void;
  overlay?: Overlay;
}

/** See the module comment. */
export class PlanContext implements MigrationContext {
  readonly apiVersion;
  readonly revision: string;
  readonly dryRun: boolean;
  readonly counts: Record<string, PlanCounts> = {};
  readonly #account: Account;
  readonly #sink: PlanSink;
  readonly #file: string;
  readonly #log: (message: string) => void;
  readonly #overlay: Overlay;
  /** The calls not settled yet; see {@link PlanContext.close}. */
  readonly #inFlight = new Set<{ call: string; settled: Promise<void> }>();
  /** The first ctx call that failed, awaited or not: a migration that catches it must not plan on without it. */
  #failed: unknown;
  /** Set once `up()` or `down()` has returned (to what returned, `up()`): later calls are refused. */
  #closed: string | undefined;
  #late: string | undefined;

  constructor(options: PlanContextOptions) {
    this.#account = options.account;
    this.apiVersion = options.account.apiVersion;
    this.revision = options.revision;
    this.dryRun = options.dryRun;
    this.#sink = options.sink;
    this.#file = options.file;
    this.#log = options.log;
    this.#overlay = options.overlay ?? new Overlay();
  }

  /** The total of planned writes. */
  get total(): number {
    return Object.values(this.counts).reduce((n, c) => n + c.update + c.create + c.delete + c.restore, 0);
  }

  #where(call: string): string {
    return `${this.#file} (revision ${this.revision}): ctx.${call}`;
  }

  #kind(kind: string, call: string): Kind {
    this.#account.checkKind(kind, this.#where(`${call}(${JSON.stringify(kind)})`));
    return kind;
  }

  /**
   * Runs a ctx call, noting it while in flight. The handler is the first one on the call's promise, so it runs
   * before any code awaiting it: a call awaited before `up()` returns is never seen in flight by {@link close}.
   * It also handles the rejection of a call nobody awaits, which would otherwise end the process.
   */
  #track<T>(call: string, run: () => Promise<T>): Promise<T> {
    if (this.#closed) {
      this.#late ??= call;
      const late = Promise.reject(this.#afterClose(call));
      late.catch(() => {});
      return late;
    }
    const promise = run();
    const entry = { call, settled: Promise.resolve() };
    this.#inFlight.add(entry);
    entry.settled = promise.then(
      () => {
        this.#inFlight.delete(entry);
      },
      (error: unknown) => {
        this.#inFlight.delete(entry);
        this.#failed ??= error;
      },
    );
    return promise;
  }

  #afterClose(call: string): CliError {
    return new CliError(
      `${this.#where(call)} was still running or called after ${this.#closed} returned: await every ctx call; nothing was written`,
    );
  }

  /**
   * Called once `up()` or `down()` has returned or thrown (`fn` names it): refuses every later call and waits for
   * the ones in flight, which stop at their next write. Answers the calls that were still in flight or came
   * after, and the first call that failed.
   */
  async close(fn: string): Promise<{ unsettled: string[]; failed: unknown }> {
    this.#closed = fn;
    const open = [...this.#inFlight];
    await Promise.all(open.map((e) => e.settled));
    const unsettled = open.map((e) => e.call);
    if (this.#late !== undefined) unsettled.push(this.#late);
    return { unsettled, failed: this.#failed };
  }

  /**
   * Refuses an object planned nested past {@link MAX_DEPTH} levels, the bound of every archive and account object
   * (core/records.ts): the journal, the hashes and comparisons, the backup and `down` would walk it past the stack
   * (a stack overflow), or write what no reader of resonant takes back. Measured without recursion.
   */
  #checkDepth(call: string, kind: Kind, id: string, object: Record<string, unknown>): void {
    if (nestedPast(object, MAX_DEPTH))
      throw new CliError(
        `${this.#where(call)} on ${kind} ${id}: the object it plans holds arrays and objects nested more than ${MAX_DEPTH} levels deep, more than resonant can journal, compare or send (the bound of every archive and account object); nothing was written`,
      );
  }

  /** Refuses a write that would give a memory the migration tool's own tags (it would vanish from ctx, and no down could undo it). */
  #checkReserved(kind: Kind, call: string, id: string, object: Record<string, unknown>): void {
    if (isReserved(kind, object))
      throw new CliError(
        `${this.#where(call)} on ${kind} ${id}: tags starting "${RESERVED_TAG_PREFIX}" are reserved for the migration tool's own memories; nothing was written`,
      );
  }

  async #emit(op: PlannedOp): Promise<void> {
    // A call still running once up() returned plans nothing more: its revision is refused (see close).
    if (this.#closed) throw this.#afterClose(`${op.op}(${JSON.stringify(op.kind)})`);
    const c = (this.counts[op.kind] ??= { update: 0, create: 0, delete: 0, restore: 0 });
    c[op.op]++;
    await this.#sink(op);
  }

  log(message: string): void {
    this.#log(`${this.revision}: ${message}`);
  }

  async *#objects(kind: Kind): AsyncGenerator<Obj> {
    for await (const object of this.#account.list(kind)) {
      const seen = this.#overlay.view(kind, object);
      if (seen) yield seen;
    }
    for (const object of this.#overlay.created.get(kind) ?? [])
      if (!this.#overlay.isDeleted(kind, object.id)) yield object;
  }

  list<K extends KindName>(kind: K): AsyncIterable<KindObject<K>> {
    const k = this.#kind(kind, "list");
    return this.#objects(k) as unknown as AsyncIterable<KindObject<K>>;
  }

  get<K extends KindName>(kind: K, id: string): Promise<KindObject<K> | undefined> {
    return this.#track(`get(${JSON.stringify(kind)})`, () => this.#get(kind, id));
  }

  async #get<K extends KindName>(kind: K, id: string): Promise<KindObject<K> | undefined> {
    const k = this.#kind(kind, "get");
    const created = this.#overlay.created.get(k)?.find((o) => o.id === id);
    const live = created ?? (await this.#account.get(k, id));
    return (live && this.#overlay.view(k, live)) as KindObject<K> | undefined;
  }

  update<K extends KindName>(kind: K, change: UpdateSpec<K> | UpdateFn<K>): Promise<number> {
    return this.#track(`update(${JSON.stringify(kind)})`, () => this.#update(kind, change));
  }

  async #update<K extends KindName>(kind: K, change: UpdateSpec<K> | UpdateFn<K>): Promise<number> {
    const k = this.#kind(kind, "update");
    if (typeof change !== "function" && (typeof change !== "object" || change === null))
      throw new CliError(`${this.#where("update")}: the change must be { where?, set?, unset? } or a function`);
    let n = 0;
    const touched =
      typeof change === "function"
        ? undefined
        : touchedFields(change.set as Record<string, unknown> | undefined, change.unset);
    for await (const object of this.#objects(k)) {
      let next: Obj;
      let keys: Set<string>;
      try {
        if (typeof change === "function") {
          const patch = (change as UpdateFn<K>)(object as unknown as KindObject<K>);
          if (patch === null || patch === undefined) continue;
          next = applyChange(object, patch as Record<string, unknown>);
          keys = touchedFields(patch as Record<string, unknown>);
        } else {
          if (change.where && !change.where(object as unknown as KindObject<K>)) continue;
          next = applyChange(object, change.set as Record<string, unknown> | undefined, change.unset);
          keys = touched ?? touchedFields(change.set as Record<string, unknown> | undefined, change.unset);
        }
      } catch (error) {
        throw new CliError(
          `${this.#where(`update("${k}")`)} on ${k} ${object.id}: ${(error as Error).message}; nothing was written`,
          { cause: error },
        );
      }
      this.#checkDepth(`update("${k}")`, k, object.id, next);
      const patch = patchBetween(object, next, keys);
      if (Object.keys(patch).length === 0) continue;
      this.#checkReserved(k, `update("${k}")`, object.id, next);
      const createdList = this.#overlay.created.get(k);
      const createdAt = createdList?.findIndex((o) => o.id === object.id) ?? -1;
      if (createdAt >= 0) {
        // Not sent yet: the create itself carries the change.
        createdList![createdAt] = next;
        await this.#emit({ op: "update", kind: k, id: object.id, before: object, patch, after: stateHash(next) });
      } else {
        this.#overlay.patch(k, object.id, patch);
        await this.#emit({ op: "update", kind: k, id: object.id, before: object, patch, after: stateHash(next) });
      }
      n++;
    }
    return n;
  }

  create<K extends KindName>(kind: K, body: Parameters<MigrationContext["create"]>[1]): Promise<KindObject<K>> {
    return this.#track(`create(${JSON.stringify(kind)})`, () => this.#create(kind, body));
  }

  async #create<K extends KindName>(kind: K, body: Parameters<MigrationContext["create"]>[1]): Promise<KindObject<K>> {
    const k = this.#kind(kind, "create");
    if (typeof body !== "object" || body === null)
      throw new CliError(`${this.#where(`create("${k}")`)}: the object must be an object`);
    const id = randomUUID();
    this.#checkDepth(`create("${k}")`, k, "(new)", body as Record<string, unknown>);
    this.#checkReserved(k, `create("${k}")`, "(new)", body as Record<string, unknown>);
    const object = { ...(body as Record<string, unknown>), id, object: RECORD_KIND[k] } as Obj;
    const list = this.#overlay.created.get(k) ?? [];
    list.push(object);
    this.#overlay.created.set(k, list);
    await this.#emit({ op: "create", kind: k, id, body: { ...(body as Record<string, unknown>) } });
    return object as unknown as KindObject<K>;
  }

  delete<K extends KindName>(kind: K, where: (object: KindObject<K>) => boolean): Promise<number> {
    return this.#track(`delete(${JSON.stringify(kind)})`, () => this.#delete(kind, where));
  }

  async #delete<K extends KindName>(kind: K, where: (object: KindObject<K>) => boolean): Promise<number> {
    const k = this.#kind(kind, "delete");
    if (typeof where !== "function")
      throw new CliError(
        `${this.#where(`delete("${k}")`)}: the second argument must be a function (object) => boolean`,
      );
    // Planned as found, not gathered first: marking an object deleted only hides it from later reads, never from this walk.
    let n = 0;
    for await (const object of this.#objects(k)) {
      if (!where(object as unknown as KindObject<K>)) continue;
      this.#overlay.delete(k, object.id);
      await this.#emit({ op: "delete", kind: k, id: object.id, before: object });
      n++;
    }
    return n;
  }
}
