/**
 * The checkpoint of an import or a copy: which records of each kind the
 * target has acknowledged, and the totals so far. Written beside the archive
 * (`FILE.checkpoint`) after every acknowledged batch, atomically and durably
 * (an exclusive temporary file, fsynced and renamed over it; a symbolic link
 * at the name is refused, never followed), so a crash, a kill or a lost network costs at most
 * the batch in flight; removed when the run ends. It holds no key and no
 * secret: ids of the run, counts, where the target is, and a fingerprint of its key (core/identity.ts)
 * so that a resume goes on into the same account (archive/checkpoint-match.ts). A file at the name is
 * read only when it is a regular file, never past {@link MAX_CHECKPOINT_BYTES}, and replaced only when
 * it is a checkpoint this resonant wrote ({@link Checkpoint.read}).
 *
 * Each batch is sent with the idempotency key `<run id>:<kind>:<first index>`,
 * so the batch that was in flight when a run died is answered, on
 * `--resume`, from the server's idempotency store if it had gone in: never
 * imported twice, and counted once.
 * @module
 */
import { randomUUID } from "node:crypto";
import { constants } from "node:fs";
import { open, rm, type FileHandle } from "node:fs/promises";
import { CliError } from "../exit.js";
import { byKind } from "./format.js";
import { onInterrupt } from "../core/interrupt.js";
import { isPlainObject } from "../core/own-fields.js";
import { fileError } from "../fs/file-error.js";
import { writeFileAtomic } from "../fs/safe-file.js";
import { classifyTarget } from "../fs/target.js";

/**
 * The most a checkpoint may hold, in bytes. Its counts and names are a few kilobytes; what grows is the
 * list of webhooks and triggers given a new secret, about 90 bytes each, so this is some 700,000 of them.
 * A save that would pass it fails the run (exit 1, the last saved state kept), so every checkpoint this
 * resonant wrote is within it, and a larger file at a checkpoint's name is not one: it is refused, never
 * read whole (a device, `/dev/zero`, would never end).
 */
export const MAX_CHECKPOINT_BYTES = 64 * 1024 * 1024;

const WHAT = "the checkpoint";
// O_NOFOLLOW and O_NONBLOCK do not exist on Windows: there they add nothing.
const READ = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** Per-kind outcome counts. */
export interface KindTotals {
  /** Records read from the archive or the source. */
  read: number;
  /** Records the target created (or overwrote). */
  created: number;
  /** Records the target skipped (their id existed). */
  skipped: number;
  /** Records that failed. */
  failed: number;
}

/** The checkpoint file's content. */
export interface CheckpointState {
  /** The checkpoint format (1). */
  checkpoint_version: 1;
  /** `import`, `copy` or `restore`. */
  command: string;
  /** Names the run: the idempotency keys of its batches start with it. */
  run_id: string;
  /** What is being imported: for an archive its name, size, mtime, API version and counts, for a copy the source account (as `target`). */
  source: Record<string, unknown>;
  /** Where it goes: base URL, API version and the fingerprint of the key (core/identity.ts), never the key. */
  target: Record<string, unknown>;
  /** The conflict mode, which a resumed run must keep. */
  on_conflict: string;
  /** Records a batch, which a resumed run keeps: a batch's idempotency key names its size (absent in older checkpoints). */
  batch_size?: number;
  /** The `--secrets-out` file of the run (its absolute path; its name as given in older ones), or null: a resume keeps the secrets in it and no other (absent in older checkpoints). */
  secrets_out?: string | null;
  /** The `--failures` file of the run (its absolute path), or null: a resume appends to it and to no other (absent in older checkpoints). */
  failures?: string | null;
  /** Records acknowledged per kind: the first N records of each kind, in archive order. */
  acked: Record<string, number>;
  /** The id of the last of those N records, per kind, so a resume can tell that the source still holds them (absent in older checkpoints). */
  last_ids?: Record<string, string>;
  /** Batches acknowledged. */
  batches: number;
  /** Totals so far, per kind. */
  totals: Record<string, KindTotals>;
  /** Ids of webhooks and triggers whose secret the target created anew. */
  new_secrets: { kind: string; id: string }[];
  /** When it was last written. */
  updated_at: string;
}

/** What a new run's checkpoint starts with: the run and the settings a resume must keep. */
export type RunInit = Pick<
  CheckpointState,
  "command" | "source" | "target" | "on_conflict" | "batch_size" | "secrets_out" | "failures"
>;

/** A checkpoint read from disk: its state and its text as it was. */
export interface SavedCheckpoint {
  /** The state. */
  state: CheckpointState;
  /** The file's content, byte for byte (a refused fresh run puts it back). */
  text: string;
}

/** A checkpoint on disk: load it, save it after each batch, remove it at the end. */
export class Checkpoint {
  #saving: Promise<void> = Promise.resolve();
  #queued: Promise<void> | undefined;
  #forgetHint: (() => void) | undefined;
  #written = false;
  #loaded = false;
  readonly #replaces: string | undefined;
  /** The file. */
  readonly path: string;
  /** The state, as last saved. */
  state: CheckpointState;

  private constructor(path: string, state: CheckpointState, replaces?: string) {
    this.path = path;
    this.state = state;
    this.#replaces = replaces;
  }

  /**
   * A new checkpoint (nothing acknowledged yet). Not written until the first `save` ({@link Checkpoint.written}).
   * `replaces` is the checkpoint at `path` that starting over replaces ({@link Checkpoint.read}): a run that
   * ends with nothing sent puts it back ({@link Checkpoint.discard}).
   */
  static fresh(path: string, init: RunInit, replaces?: SavedCheckpoint): Checkpoint {
    return new Checkpoint(
      path,
      {
        checkpoint_version: 1,
        run_id: randomUUID(),
        // Keyed by kind: without a prototype, so a kind named "constructor" finds nothing there (see byKind).
        acked: byKind(),
        last_ids: byKind(),
        batches: 0,
        totals: byKind(),
        new_secrets: [],
        updated_at: new Date().toISOString(),
        ...init,
      },
      replaces?.text,
    );
  }

  /** Loads `path` for `--resume`; throws a {@link CliError} when there is none, or it is not a checkpoint this resonant wrote. */
  static async load(path: string): Promise<Checkpoint> {
    const saved = await Checkpoint.read(path);
    if (saved === undefined)
      throw new CliError(
        `--resume: no checkpoint at ${path} (nothing to resume; run without --resume). A run keeps a checkpoint from its first batch the target takes until it ends: one stopped without it had nothing taken yet, or had ended whole`,
      );
    const checkpoint = new Checkpoint(path, saved.state);
    checkpoint.#written = true;
    checkpoint.#loaded = true;
    checkpoint.#hintOnInterrupt();
    return checkpoint;
  }

  /**
   * The checkpoint at `path`, or undefined when there is nothing at that name. Anything else is refused
   * with a {@link CliError} naming the file, before it is opened or read past {@link MAX_CHECKPOINT_BYTES}:
   * a symbolic link (never followed), a directory, a device or a FIFO (never opened), a larger file, or a
   * file that is not a checkpoint this resonant wrote (resonant never overwrites it). Called before a run
   * takes its lock (so a refused name gets no `.lock` beside it) and again once it holds it.
   */
  static async read(path: string): Promise<SavedCheckpoint | undefined> {
    const kind = await classifyTarget(WHAT, path);
    if (kind === "absent") return undefined;
    if (kind !== "regular") throw new CliError(`${WHAT} ${path}: not a regular file; name a file`);
    let handle: FileHandle;
    try {
      handle = await open(path, READ);
    } catch (error) {
      // Gone since it was looked at: nothing there.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw fileError(WHAT, path, error);
    }
    let text: string;
    try {
      text = await readBounded(path, handle);
    } finally {
      await handle.close().catch(() => undefined);
    }
    let state: unknown;
    try {
      state = JSON.parse(text);
    } catch {
      state = undefined;
    }
    if (!isCheckpointState(state))
      throw new CliError(
        `${WHAT} ${path}: exists and is not a checkpoint this resonant wrote; resonant never overwrites it: move it away; nothing was written`,
      );
    state.acked = byKind(state.acked);
    if (state.last_ids !== undefined) state.last_ids = byKind(state.last_ids);
    state.totals = byKind(state.totals);
    return { state, text };
  }

  /**
   * Writes the state (atomically, on disk when it resolves; a failure such as
   * a full disk rejects with a CliError naming the file and leaves the last
   * saved state in place). Saves run one after another: with several batches
   * in flight (--concurrency) two acknowledgements may save at once, and an
   * older state must never land after a newer one. Asks that come while a
   * save is running are answered by one more save.
   */
  save(): Promise<void> {
    // A save still waiting for its turn will write the state as it is then: asking again adds nothing.
    if (this.#queued) return this.#queued;
    const run = this.#saving.then(() => {
      this.#queued = undefined;
      return this.#write();
    });
    this.#queued = run;
    this.#saving = run.catch(() => undefined);
    return run;
  }

  /** Resolves when every save asked for so far has landed (or failed). */
  settled(): Promise<void> {
    return this.#saving;
  }

  async #write(): Promise<void> {
    this.state.updated_at = new Date().toISOString();
    const text = `${JSON.stringify(this.state, null, 2)}\n`;
    // Never a checkpoint a resume would refuse to read.
    if (Buffer.byteLength(text) > MAX_CHECKPOINT_BYTES)
      throw new CliError(
        `${WHAT} ${this.path}: would hold more than ${MAX_CHECKPOINT_BYTES / 1024 / 1024} MiB (${this.state.new_secrets.length} webhooks and triggers given a new secret), the most a checkpoint may; import the archive in parts`,
      );
    await writeFileAtomic(WHAT, this.path, text);
    this.#written = true;
    this.#hintOnInterrupt();
  }

  /**
   * True once the file holds this run's state (loaded, or saved once). A fresh checkpoint is first saved
   * just before the first batch goes out (core/importer.ts): a run refused before that (an output it cannot
   * open, a kind the target cannot take, a source that refuses the key) leaves no checkpoint to resume from
   * nothing, and an interrupted run's checkpoint at the name stays as it was; so does one whose every batch
   * the target refused (a key refused at the first batch), through {@link Checkpoint.discard}.
   */
  get written(): boolean {
    return this.#written;
  }

  /** Once the file exists, an interrupted run says how to carry on from it. */
  #hintOnInterrupt(): void {
    this.#forgetHint ??= onInterrupt(() => `run the same command with --resume to carry on (checkpoint ${this.path})`);
  }

  /** Removes the file (the run is over), once every save in progress has landed, so none brings it back. */
  async remove(): Promise<void> {
    await this.#saving;
    await rm(this.path, { force: true });
    this.#forgetHint?.();
  }

  /**
   * Undoes a fresh checkpoint that holds nothing to resume (every batch sent was refused, so the server
   * did nothing: a key refused at the first batch): the checkpoint it replaced is put back as it was, or
   * the file goes. A loaded checkpoint is left as it is.
   */
  async discard(): Promise<void> {
    await this.#saving;
    if (this.#loaded || !this.#written) return;
    if (this.#replaces === undefined) await rm(this.path, { force: true });
    else await writeFileAtomic(WHAT, this.path, this.#replaces);
    this.#written = false;
    this.#forgetHint?.();
  }

  /** The idempotency key of the batch of `kind` that starts at record `from`. */
  batchKey(kind: string, from: number): string {
    return `resonant:${this.state.run_id}:${kind}:${from}`;
  }
}

/** Reads `handle` (of `path`, a regular file) whole, never past {@link MAX_CHECKPOINT_BYTES}: a larger file is refused. */
async function readBounded(path: string, handle: FileHandle): Promise<string> {
  // Checked on what was opened, not on the name: it may have changed since it was looked at.
  const info = await handle.stat();
  if (!info.isFile()) throw new CliError(`${WHAT} ${path}: not a regular file; name a file`);
  const tooLarge = new CliError(
    `${WHAT} ${path}: larger than ${MAX_CHECKPOINT_BYTES / 1024 / 1024} MiB, the most a checkpoint this resonant writes holds, so it is not one; resonant never overwrites it: move it away; nothing was written`,
  );
  if (info.size > MAX_CHECKPOINT_BYTES) throw tooLarge;
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.alloc(Math.min(64 * 1024, MAX_CHECKPOINT_BYTES + 1 - total));
    let bytesRead: number;
    try {
      ({ bytesRead } = await handle.read(chunk, 0, chunk.length, null));
    } catch (error) {
      throw fileError(WHAT, path, error);
    }
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    // It grew while read: the bound holds all the same.
    if (total > MAX_CHECKPOINT_BYTES) throw tooLarge;
  }
  return Buffer.concat(chunks, total).toString("utf8");
}

/** True for the content of a checkpoint this resonant wrote: every field {@link Checkpoint.fresh} sets, of its type. */
function isCheckpointState(value: unknown): value is CheckpointState {
  return (
    isPlainObject(value) &&
    value.checkpoint_version === 1 &&
    typeof value.command === "string" &&
    typeof value.run_id === "string" &&
    isPlainObject(value.source) &&
    isPlainObject(value.target) &&
    typeof value.on_conflict === "string" &&
    isPlainObject(value.acked) &&
    (value.last_ids === undefined || isPlainObject(value.last_ids)) &&
    typeof value.batches === "number" &&
    isPlainObject(value.totals) &&
    Array.isArray(value.new_secrets)
  );
}
