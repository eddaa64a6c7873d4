/**
 * The import engine shared by `import`, `copy` and `restore`: records come
 * in, kind by kind in dependency order; they leave in batches of at most
 * 1,000 through the SDK's `importBatch` (its retries, its checks). Up to
 * `concurrency` batches of one kind are in flight, and a kind starts only
 * when every batch of the kind before it was answered, so every reference
 * already exists. After each answered batch the checkpoint records the
 * longest answered prefix of each kind (and only its totals), so a crash
 * never loses or counts a record twice. Items the server refuses go to the
 * failure log and the run goes on; an error that no retry cured ends it.
 * @module
 */
import type { ApiVersion, ImportBatchResult, ResonantClient } from "@resonantgenesis/sdk";
import { APIError, RequestTooLargeError } from "@resonantgenesis/sdk";
import type { Checkpoint, KindTotals } from "../archive/checkpoint.js";
import { byKind } from "../archive/format.js";
import { sourceChanged } from "../archive/checkpoint-match.js";
import type { FailureLog } from "../archive/failures.js";
import { CliError } from "../exit.js";
import { isDiskFull } from "../fs/file-error.js";
import type { Reporter } from "../ui/reporter.js";
import {
  errorFacts,
  type ErrorFacts,
  isFatal,
  itemErrorFacts,
  refusalFacts,
  resumable,
  SideError,
  sideOf,
} from "./errors.js";
import { idOf } from "./exact.js";
import { maskedHeaderIds, reportMaskedHeaders } from "./masked-headers.js";
import type { NewSecret, SecretsFile } from "./secrets.js";

/** The most items one import call takes (docs/protocol.md section 6). */
export const BATCH_SIZE = 1000;

/** Options of {@link Importer}. */
export interface ImporterOptions {
  /** The target. */
  client: ResonantClient<ApiVersion>;
  /** Where progress and warnings go. */
  reporter: Reporter;
  /** Saved after every answered batch (none: nothing is saved). */
  checkpoint: Checkpoint | undefined;
  /** Where refused items go. */
  failures: FailureLog;
  /** Where the new secrets of created webhooks and triggers go (before the checkpoint moves past their batch). */
  secrets: SecretsFile;
  /** skip, overwrite or fail. */
  onConflict: "skip" | "overwrite" | "fail";
  /** Batches of one kind in flight at once (default 1). */
  concurrency?: number;
  /** Records per kind to expect, for progress (undefined: unknown). */
  expected?: (kind: string) => number | undefined;
  /** Items per batch (default 1,000). */
  batchSize?: number;
}

interface Batch {
  kind: string;
  from: number;
  items: unknown[];
}

/** An item the target refused, and why: logged once its batch joins the acknowledged prefix. */
interface Refused {
  id: string;
  facts: ErrorFacts;
}

interface Answer {
  created: number;
  skipped: number;
  /** Each item the target refused (their count is the batch's failed total). */
  refused: Refused[];
  secrets: NewSecret[];
}

const zero = (): KindTotals => ({ read: 0, created: 0, skipped: 0, failed: 0 });

/** See the module comment. `add` every record, then `finish`. */
export class Importer {
  readonly #o: ImporterOptions;
  readonly #size: number;
  #kind: string | undefined;
  #items: unknown[] = [];
  #from = 0;
  #inFlight = new Set<Promise<void>>();
  /** Answered batches past the acknowledged prefix, by first index. */
  #pending = new Map<number, { count: number; last: string; answer: Answer }>();
  /** Records of the current kind added so far (sent or skipped). */
  #seen = 0;
  #fatal: unknown;
  /** Tools sent (and not refused) with masked header values. */
  readonly #masked: string[] = [];
  /** Totals, including what a resumed checkpoint already held. */
  readonly totals: Record<string, KindTotals>;
  /** Import calls made, and those the target refused with an answer that says it did nothing. */
  #requests = 0;
  #refusals = 0;

  constructor(options: ImporterOptions) {
    this.#o = options;
    this.#size = options.batchSize ?? BATCH_SIZE;
    this.totals = options.checkpoint ? options.checkpoint.state.totals : byKind();
  }

  /** Records of `kind` acknowledged by an earlier run (to be skipped on resume). */
  acked(kind: string): number {
    return this.#o.checkpoint?.state.acked[kind] ?? 0;
  }

  /** Counts a record read but not sent (acknowledged by an earlier run's checkpoint: its totals already hold it). */
  #totalsOf(kind: string): KindTotals {
    return (this.totals[kind] ??= zero());
  }

  /**
   * Adds record number `index` of `kind` (its position among its kind, from 0).
   * Records below the checkpoint's acknowledged prefix are skipped. Answers a
   * promise only when a batch goes out or a kind ends, so a caller awaits once
   * per batch, not per record.
   */
  add(kind: string, index: number, data: unknown): Promise<void> | undefined {
    if (this.#fatal) throw this.#fatal;
    if (kind !== this.#kind) return this.#startKind(kind).then(() => this.add(kind, index, data));
    this.#seen = index + 1;
    const acked = this.acked(kind);
    if (index < acked) {
      if (index === acked - 1) this.#checkLast(kind, idOf(data));
      return undefined;
    }
    if (this.#items.length === 0) this.#from = index;
    this.#items.push(data);
    return this.#items.length >= this.#size ? this.#send() : undefined;
  }

  /** Refuses to go on when the record a resumed checkpoint counts last is not the one it sent (`now`: none, the kind ended first). */
  #checkLast(kind: string, now: string | undefined): void {
    const checkpoint = this.#o.checkpoint;
    const was = checkpoint?.state.last_ids?.[kind];
    if (checkpoint && was !== undefined && now !== was)
      throw (this.#fatal ??= sourceChanged(checkpoint.path, kind, this.acked(kind), was, now));
  }

  async #startKind(kind: string): Promise<void> {
    await this.#endKind();
    this.#kind = kind;
    this.#seen = 0;
    this.#totalsOf(kind);
    this.#o.checkpoint && (this.#o.checkpoint.state.acked[kind] ??= 0);
    const done = this.acked(kind);
    if (done > 0) this.#o.reporter.progress(kind, done, this.#o.expected?.(kind), true);
  }

  /** Sends what is left and waits for every answer, and names the tools sent with masked headers. Throws the error that ended the run, if any. */
  async finish(): Promise<Record<string, KindTotals>> {
    await this.#endKind();
    if (this.#fatal) throw this.#fatal;
    reportMaskedHeaders(this.#masked, this.#o.reporter);
    return this.totals;
  }

  async #endKind(): Promise<void> {
    if (this.#kind !== undefined && this.#seen < this.acked(this.#kind)) this.#checkLast(this.#kind, undefined);
    if (this.#items.length > 0) await this.#send();
    await Promise.all(this.#inFlight);
    await this.#o.checkpoint?.settled();
    if (this.#fatal) throw this.#fatal;
  }

  async #send(): Promise<void> {
    const batch: Batch = { kind: this.#kind!, from: this.#from, items: this.#items };
    this.#items = [];
    while (this.#inFlight.size >= Math.max(1, this.#o.concurrency ?? 1)) await Promise.race(this.#inFlight);
    if (this.#fatal) throw this.#fatal;
    // A fresh checkpoint is on disk before the first batch leaves, so a run cut before any answer can be
    // resumed too (from nothing), with the run id whose idempotency keys the server may already hold.
    if (this.#o.checkpoint?.written === false) await this.#o.checkpoint.save();
    const run = this.#run(batch)
      .then(async (answer) => {
        // The batch's new secrets are on disk at once (the target made them, whatever becomes of this run; a
        // resume's replay of the batch is not written twice: core/secrets.ts); its refused items are logged
        // when the checkpoint takes the batch in (#answered). If they cannot be kept (a full disk), the run
        // ends here and a resume sends the batch again.
        await this.#o.secrets.sync();
        await this.#book(batch, answer);
      })
      .catch((error: unknown) => {
        this.#fatal ??= error;
      })
      .finally(() => this.#inFlight.delete(run));
    this.#inFlight.add(run);
  }

  /** Sends one batch; splits it in two when the server finds it too large (413). */
  async #run(batch: Batch): Promise<Answer> {
    const { client, onConflict, checkpoint } = this.#o;
    const idempotencyKey = checkpoint
      ? `${checkpoint.batchKey(batch.kind, batch.from)}:${batch.items.length}`
      : undefined;
    try {
      this.#requests++;
      const { data: result, requestId } = await client.data
        .importBatch(batch.kind, batch.items, { onConflict, ...(idempotencyKey ? { idempotencyKey } : {}) })
        .withResponse()
        .catch((error: unknown) => {
          if (refusedUndone(error)) this.#refusals++;
          throw error;
        });
      const failedIds = new Set<string>();
      const refused: Refused[] = [];
      for (const failure of result.failed) {
        failedIds.add(failure.id);
        refused.push({ id: failure.id, facts: itemErrorFacts(failure.error, requestId ?? null) });
      }
      this.#masked.push(...maskedHeaderIds(batch.kind, batch.items, failedIds));
      const secrets = newSecrets(batch, result, failedIds, onConflict);
      this.#o.secrets.write(secrets);
      return { created: result.imported, skipped: result.skipped, refused, secrets };
    } catch (error) {
      if (error instanceof RequestTooLargeError && batch.items.length > 1) {
        const half = Math.ceil(batch.items.length / 2);
        const a = await this.#run({ kind: batch.kind, from: batch.from, items: batch.items.slice(0, half) });
        const b = await this.#run({ kind: batch.kind, from: batch.from + half, items: batch.items.slice(half) });
        return {
          created: a.created + b.created,
          skipped: a.skipped + b.skipped,
          refused: [...a.refused, ...b.refused],
          secrets: [...a.secrets, ...b.secrets],
        };
      }
      if (isFatal(error)) throw error;
      // The whole batch was refused (a check before sending, a 4xx): each item fails, the run goes on.
      const facts = refusalFacts(error);
      const refused = batch.items.map((item) => ({ id: idOf(item), facts }));
      this.#o.reporter.warn(
        `${batch.kind} ${batch.from + 1}-${batch.from + batch.items.length}: the batch was refused (${facts.code}: ${facts.message})`,
      );
      return { created: 0, skipped: 0, refused, secrets: [] };
    }
  }

  /** Books answered batches one at a time, in the order they were answered (see #answered). */
  #book(batch: Batch, answer: Answer): Promise<void> {
    const step = this.#booking.then(() => this.#answered(batch, answer));
    this.#booking = step.catch(() => undefined);
    return step;
  }

  #booking: Promise<void> = Promise.resolve();

  /**
   * Books an answered batch: totals and the checkpoint advance over the answered prefix only. A batch
   * answered before one ahead of it (--concurrency) waits, unlogged: if the run ends first, a resume sends it
   * again, and its refused items must reach the failure log once, with the batch the checkpoint counts.
   */
  async #answered(batch: Batch, answer: Answer): Promise<void> {
    const kind = batch.kind;
    const checkpoint = this.#o.checkpoint;
    this.#pending.set(batch.from, { count: batch.items.length, last: idOf(batch.items.at(-1)), answer });
    const start = checkpoint?.state.acked[kind] ?? this.#ackedLocal(kind);
    const ready: Answer[] = [];
    for (let at = start, next = this.#pending.get(at); next; next = this.#pending.get(at)) {
      ready.push(next.answer);
      at += next.count;
    }
    if (ready.length === 0) return;
    // The refused items are on disk before the checkpoint may move past their batch.
    for (const { refused } of ready) for (const { id, facts } of refused) this.#o.failures.write(id, kind, facts);
    await this.#o.failures.sync();
    let acked = start;
    let moved = false;
    let last: string | undefined;
    for (let next = this.#pending.get(acked); next; next = this.#pending.get(acked)) {
      this.#pending.delete(acked);
      const totals = this.#totalsOf(kind);
      // Read is booked with the answer, like the rest: a checkpoint never counts a record it will send again.
      totals.read += next.count;
      totals.created += next.answer.created;
      totals.skipped += next.answer.skipped;
      totals.failed += next.answer.refused.length;
      acked += next.count;
      last = next.last;
      moved = true;
      // Ids only: a checkpoint never holds a secret.
      const ids = next.answer.secrets.map(({ kind, id }) => ({ kind, id }));
      if (checkpoint) {
        checkpoint.state.batches++;
        checkpoint.state.new_secrets.push(...ids);
      } else this.#secrets.push(...ids);
    }
    if (!moved) return;
    if (checkpoint) {
      checkpoint.state.acked[kind] = acked;
      if (last !== undefined) (checkpoint.state.last_ids ??= byKind())[kind] = last;
      // Saved while the next batch is on its way: the state holds only answered batches, and a batch
      // answered but not yet saved when a run is cut is sent again with its idempotency key and replayed.
      checkpoint.save().catch((error: unknown) => {
        this.#fatal ??= error;
      });
    } else this.#localAcked.set(kind, acked);
    this.#o.reporter.progress(kind, acked, this.#o.expected?.(kind), true);
  }

  readonly #localAcked = new Map<string, number>();
  readonly #secrets: { kind: string; id: string }[] = [];

  #ackedLocal(kind: string): number {
    return this.#localAcked.get(kind) ?? 0;
  }

  /**
   * True while the target cannot have taken anything from this run: every import call made (none, or a
   * first batch whose key was refused) was answered with a refusal that did nothing (an API error that
   * running again cannot get past: 401, 403, 410...). A call on its way, cut, or answered otherwise may
   * have gone in. A fresh checkpoint is then discarded: it holds nothing to resume.
   */
  get untouched(): boolean {
    return this.#requests === this.#refusals;
  }

  /** Webhooks and triggers whose secret the target created anew. */
  get newSecrets(): { kind: string; id: string }[] {
    return this.#o.checkpoint ? this.#o.checkpoint.state.new_secrets : this.#secrets;
  }
}

/** An error that is the target's answer refusing a whole call, so nothing of it went in (not a cut, a timeout, a 5xx but 501). */
function refusedUndone(error: unknown): boolean {
  return error instanceof APIError && !resumable(error);
}

/**
 * The webhooks and triggers one answered batch created, with their secrets
 * when the answer holds them. A server that leaves `secrets` out still made
 * new ones: with nothing skipped and nothing overwritten, every item not
 * refused was created (with --on-conflict overwrite, which were created
 * cannot be told, so none is named).
 */
function newSecrets(
  batch: Batch,
  result: ImportBatchResult<ApiVersion>,
  failedIds: ReadonlySet<string>,
  onConflict: ImporterOptions["onConflict"],
): NewSecret[] {
  // The SDK has checked the answer (its 1.2 schema types `secrets`), so it is read as it is.
  if ("secrets" in result && result.secrets !== undefined)
    return result.secrets.map(({ id, secret }) => ({ kind: batch.kind, id, secret }));
  if (
    (batch.kind !== "webhooks" && batch.kind !== "triggers") ||
    result.imported === 0 ||
    result.skipped > 0 ||
    onConflict === "overwrite"
  )
    return [];
  return batch.items
    .map(idOf)
    .filter((id) => !failedIds.has(id))
    .map((id) => ({ kind: batch.kind, id }));
}

/**
 * Ends a run that hit a fatal error with a message that says how to carry on: `--resume` only when
 * running again can get past the error (a key refused stays refused; a full disk, once there is room). An error of one side of a copy
 * (`fromSide`) names that account, and its hint (`hintFor`) that account's flags.
 */
export function fatalToCliError(error: unknown, checkpointPath: string | undefined): CliError {
  const resume = checkpointPath
    ? `; the checkpoint ${checkpointPath} keeps what was acknowledged: run again with --resume`
    : "";
  // The CLI's own errors are said as they are; of them, a file this run writes on a full disk (the failure
  // log, the secrets file, the checkpoint itself) is got past by running again once there is room.
  if (error instanceof CliError)
    return resume && isDiskFull(error)
      ? new CliError(`${error.message}${resume}`, { exitCode: error.exitCode, cause: error.cause })
      : error;
  const facts = errorFacts(error);
  const hint = resumable(error) ? resume : "";
  // The SDK's message names the request already; one built elsewhere may not.
  const request = facts.requestId && !facts.message.includes(facts.requestId) ? ` (request ${facts.requestId})` : "";
  const message = `${facts.message}${request}${hint}`;
  const side = sideOf(error);
  if (side) return new SideError(`${side.label}: ${message}`, side, error);
  return new CliError(message, { cause: error });
}
