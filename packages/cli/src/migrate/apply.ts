/**
 * Carrying out a journal's plan: each op not yet `done` is sent, up to
 * `concurrency` at once, and its outcome appended. A resumed or retried op
 * is first checked against the account (is the object already as planned,
 * still as it was, or changed by someone else?), so nothing is written
 * twice and nothing is skipped. A refused op goes to the failure log and the
 * run goes on; an error that ends the run (auth, a gone version, what the
 * retries could not get through) stops it with the journal on disk.
 * @module
 */
import type { Kind } from "@resonantgenesis/schemas/meta";
import type { FailureLog } from "../archive/failures.js";
import { isFatal, refusalFacts, type ErrorFacts } from "../core/errors.js";
import type { Reporter } from "../ui/reporter.js";
import { hasSecret, ItemRefused, type Account } from "./account.js";
import { journalOpBatches, type JournalState, type JournalWriter } from "./journal.js";
import { stateHash, substituteIds, type PlannedOp } from "./plan.js";

/** Options of {@link applyJournal}. */
export interface ApplyOptions {
  account: Account;
  path: string;
  writer: JournalWriter;
  state: JournalState;
  /** The journal's own key: each create's idempotency key is this and its sequence number. */
  keyPrefix: string;
  revision: string;
  concurrency: number;
  failures: FailureLog;
  reporter: Reporter;
  /** Check every op not `done` against the account first (a resumed or retried run). */
  verify: boolean;
  /** Receives each webhook or trigger this run created or put back: the server gave it a new secret, kept nowhere. */
  newSecrets: { kind: string; id: string }[];
}

/** Per kind: writes done and refused. */
export interface ApplyTotals {
  [kind: string]: { done: number; failed: number };
}

class Conflict extends Error {
  readonly code = "conflict";
  /** The object's state as found (its hash, or `GONE`), when a later write of the journal may explain it. */
  readonly found: string | undefined;
  constructor(message: string, found?: string) {
    super(message);
    this.found = found;
  }
}

/** What a write waiting to be explained keeps of its op. */
type Waiting = Pick<PlannedOp, "op" | "kind" | "id"> & { after: string | undefined };

/** The key of an op's object, as the journal names it (kind and planned id). */
const objectOf = (op: Pick<PlannedOp, "kind" | "id">) => `${op.kind}\0${op.id}`;

/** The `done` line of write `seq`: an update's with the state it planned. */
const doneLine = (seq: number, op: Pick<PlannedOp, "op"> & { after?: string | undefined }) =>
  ({ t: "done", seq, ...(op.op === "update" ? { after: op.after } : {}) }) as const;

/** An object's state once deleted, as {@link Conflict.found} and a write's outcome name it. */
const GONE = "gone";

/** The facts of a refused write: the server's words, with the field paths of a 422. */
function describe(error: unknown): ErrorFacts {
  if (error instanceof ItemRefused) return error.facts;
  if (error instanceof Conflict) return { code: "conflict", message: error.message, status: null, requestId: null };
  return refusalFacts(error);
}

/**
 * What a resumed op needs: already done, still to send, or a conflict. An object this run created (`ours`) was
 * planned from the create's body, which the server never held as such: its update is sent again (the same fields,
 * so at most once in effect), and its delete is done once it is gone.
 */
async function check(account: Account, op: PlannedOp, ours: boolean): Promise<"done" | "send"> {
  const kind = op.kind as Kind;
  switch (op.op) {
    case "create":
      return "send"; // the same idempotency key answers the first create's object
    case "update": {
      const live = await account.get(kind, op.id);
      if (!live) throw new Conflict(`${kind} ${op.id} is gone: it was deleted since the plan`, GONE);
      if (ours) return "send";
      const h = stateHash(live);
      if (h === op.after) return "done";
      if (h === stateHash(op.before)) return "send";
      throw new Conflict(`${kind} ${op.id} was changed by someone else since the plan; not overwritten`, h);
    }
    case "delete": {
      const live = await account.get(kind, op.id);
      if (!live) return "done";
      if (ours || stateHash(live) === stateHash(op.before)) return "send";
      throw new Conflict(`${kind} ${op.id} was changed by someone else since the plan; not deleted`);
    }
    case "restore": {
      const live = await account.get(kind, op.id);
      if (!live) return "send";
      const h = stateHash(live);
      if (h === op.after) return "done";
      throw new Conflict(`${kind} ${op.id} exists and differs from the copy to put back; not overwritten`, h);
    }
  }
}

/** Runs the ops of the journal at `options.path` that are not done; answers the totals. */
export async function applyJournal(options: ApplyOptions): Promise<ApplyTotals> {
  const { account, writer, state, reporter } = options;
  const totals: ApplyTotals = {};
  const ids = new Map<string, string>();
  let fatal: unknown;
  const count = (kind: string) => (totals[kind] ??= { done: 0, failed: 0 });

  // A resumed write that finds its object in neither its before nor its after state waits here, by object: a later
  // write of the same object, done before the run was cut (its `done` line lost with it), may have brought it
  // there. Settled when that write is found done; a conflict at the journal's end.
  // Kept small (no before-image, no Error and its stack): a cut second pass over many objects may wait on each.
  const waiting = new Map<string, { seq: number; op: Waiting; found: string; message: string }[]>();
  /** The writes waiting on `planned`'s object that its state `state` (after `planned`) explains: done. */
  const settle = (planned: PlannedOp, state: string | undefined) => {
    const queue = waiting.get(objectOf(planned));
    if (!queue || state === undefined) return;
    for (const w of queue.filter((w) => w.found === state)) {
      writer.append(doneLine(w.seq, w.op));
      count(w.op.kind).done++;
    }
    const left = queue.filter((w) => w.found !== state);
    if (left.length === 0) waiting.delete(objectOf(planned));
    else waiting.set(objectOf(planned), left);
  };
  /** A refused write: its `fail` line, the failure log, a warning. */
  const refuse = (seq: number, op: Pick<PlannedOp, "op" | "kind" | "id">, error: unknown) => {
    const kind = op.kind as Kind;
    const f = describe(error);
    writer.append({ t: "fail", seq, code: f.code, message: f.message });
    options.failures.write(op.id, kind, {
      ...f,
      message: `revision ${options.revision}: ${op.op} ${kind} ${op.id}: ${f.message}`,
    });
    reporter.warn(`revision ${options.revision}: ${op.op} ${kind} ${op.id} failed: ${f.message}`);
    count(kind).failed++;
  };

  const run = async (seq: number, planned: PlannedOp): Promise<void> => {
    const op = substituteIds(planned, ids);
    const kind = op.kind as Kind;
    const t = count(kind);
    try {
      if (options.verify && (await check(account, op, ids.has(planned.id))) === "done") {
        writer.append(doneLine(seq, op));
        t.done++;
        settle(planned, op.op === "delete" ? GONE : op.op === "create" ? undefined : op.after);
        return;
      }
      switch (op.op) {
        case "update": {
          const answer = await account.update(kind, op.id, op.patch, op.before);
          writer.append({ t: "done", seq, after: answer ? stateHash(answer) : op.after });
          break;
        }
        case "create": {
          const created = await account.create(kind, op.body, `rgm-${options.keyPrefix}-${seq}`);
          ids.set(planned.id, created.id);
          if (hasSecret(kind)) options.newSecrets.push({ kind, id: created.id });
          writer.append({ t: "done", seq, id: created.id, after: stateHash(created) });
          break;
        }
        case "delete":
          await account.delete(kind, op.id);
          writer.append({ t: "done", seq });
          break;
        case "restore":
          if (await account.restore(kind, op.object, "overwrite")) options.newSecrets.push({ kind, id: op.id });
          writer.append({ t: "done", seq, after: op.after });
          break;
      }
      t.done++;
    } catch (error) {
      if (!(error instanceof Conflict) && !(error instanceof ItemRefused) && isFatal(error)) {
        fatal ??= error;
        return;
      }
      if (error instanceof Conflict && error.found !== undefined) {
        const queue = waiting.get(objectOf(planned)) ?? [];
        const { op: what, kind: k, id } = op;
        queue.push({
          seq,
          op: { op: what, kind: k, id, after: "after" in op ? op.after : undefined },
          found: error.found,
          message: error.message,
        });
        waiting.set(objectOf(planned), queue);
        return;
      }
      refuse(seq, op, error);
    } finally {
      reporter.progress(`${options.revision} ${kind}`, t.done + t.failed, undefined);
    }
  };

  // Each finished write frees a slot at once, so `concurrency` writes stay in flight without a race over all of them per op.
  let active = 0;
  let wake: (() => void) | undefined;
  const freed = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
    });
  const drain = async () => {
    while (active > 0) await freed();
  };
  // The write in flight of each object (kind and id), if any.
  const writing = new Map<string, Promise<void>>();

  for await (const batch of journalOpBatches(options.path)) {
    for (const { seq, op } of batch) {
      if (fatal) break;
      const done = state.done.get(seq);
      if (done) {
        if (op.op === "create" && done.id) ids.set(op.id, done.id);
        count(op.kind).done++;
        continue;
      }
      if (op.op === "create") {
        // Later ops may name what it creates: nothing else runs beside it.
        await drain();
        await run(seq, op);
        continue;
      }
      // Two writes of one object go in the journal's order: each PATCH carries whole fields (all of `metadata`),
      // so sent side by side, the one that landed last undid the other (up lost a change, down kept one).
      const object = objectOf(op);
      const earlier = writing.get(object);
      if (earlier) await earlier;
      active++;
      const sent = run(seq, op)
        .then(undefined, (error: unknown) => {
          fatal ??= error;
        })
        .finally(() => {
          if (writing.get(object) === sent) writing.delete(object);
          active--;
          const w = wake;
          wake = undefined;
          w?.();
        });
      writing.set(object, sent);
      if (active >= options.concurrency) await freed();
    }
    if (fatal) break;
  }
  await drain();
  // No later write explains them: someone else changed (or deleted) those objects.
  if (!fatal) for (const queue of waiting.values()) for (const w of queue) refuse(w.seq, w.op, new Conflict(w.message));
  await writer.sync();
  if (fatal) throw fatal;
  return totals;
}
