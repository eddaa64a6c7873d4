/**
 * The checkpoint of an import or a copy: which records of each kind the
 * target has acknowledged, and the totals so far. Written beside the archive
 * (`FILE.checkpoint`) after every acknowledged batch, atomically and durably
 * (an exclusive temporary file, fsynced and renamed over it; a symbolic link
 * at the name is refused, never followed), so a crash, a kill or a lost network costs at most
 * the batch in flight; removed when the run ends. It holds no key and no
 * secret: ids of the run, counts, where the target is, and a fingerprint of its key (core/identity.ts)
 * so that a resume goes on into the same account (archive/checkpoint-match.ts).
 *
 * Each batch is sent with the idempotency key `<run id>:<kind>:<first index>`,
 * so the batch that was in flight when a run died is answered, on
 * `--resume`, from the server's idempotency store if it had gone in: never
 * imported twice, and counted once.
 * @module
 */
import { randomUUID } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import { CliError } from "../exit.js";
import { onInterrupt } from "../core/interrupt.js";
import { writeFileAtomic } from "../fs/safe-file.js";

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
  /** Records acknowledged per kind: the first N records of each kind, in archive order. */
  acked: Record<string, number>;
  /** Batches acknowledged. */
  batches: number;
  /** Totals so far, per kind. */
  totals: Record<string, KindTotals>;
  /** Ids of webhooks and triggers whose secret the target created anew. */
  new_secrets: { kind: string; id: string }[];
  /** When it was last written. */
  updated_at: string;
}

/** A checkpoint on disk: load it, save it after each batch, remove it at the end. */
export class Checkpoint {
  #saving: Promise<void> = Promise.resolve();
  #queued: Promise<void> | undefined;
  #forgetHint: (() => void) | undefined;
  #written = false;
  /** The file. */
  readonly path: string;
  /** The state, as last saved. */
  state: CheckpointState;

  private constructor(path: string, state: CheckpointState) {
    this.path = path;
    this.state = state;
  }

  /** A new checkpoint (nothing acknowledged yet). Not written until the first `save` ({@link Checkpoint.written}). */
  static fresh(path: string, init: Pick<CheckpointState, "command" | "source" | "target" | "on_conflict">): Checkpoint {
    return new Checkpoint(path, {
      checkpoint_version: 1,
      run_id: randomUUID(),
      acked: {},
      batches: 0,
      totals: {},
      new_secrets: [],
      updated_at: new Date().toISOString(),
      ...init,
    });
  }

  /** Loads `path`; throws a {@link CliError} when there is none or it is unreadable. */
  static async load(path: string): Promise<Checkpoint> {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch {
      throw new CliError(`--resume: no checkpoint at ${path} (nothing to resume; run without --resume)`);
    }
    let state: CheckpointState;
    try {
      state = JSON.parse(text) as CheckpointState;
    } catch (error) {
      throw new CliError(
        `${path}: the checkpoint is not valid JSON (${(error as Error).message}); remove it to start over`,
      );
    }
    if (state.checkpoint_version !== 1 || typeof state.run_id !== "string" || typeof state.acked !== "object") {
      throw new CliError(`${path}: not a checkpoint this resonant wrote; remove it to start over`);
    }
    const checkpoint = new Checkpoint(path, state);
    checkpoint.#written = true;
    checkpoint.#hintOnInterrupt();
    return checkpoint;
  }

  /** True when a checkpoint exists at `path`. */
  static async exists(path: string): Promise<boolean> {
    try {
      await readFile(path);
      return true;
    } catch {
      return false;
    }
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
    await writeFileAtomic("the checkpoint", this.path, `${JSON.stringify(this.state, null, 2)}\n`);
    this.#written = true;
    this.#hintOnInterrupt();
  }

  /**
   * True once the file holds this run's state (loaded, or saved once). A fresh checkpoint is first saved
   * just before the first batch goes out (core/importer.ts): a run refused before that (an output it cannot
   * open, a kind the target cannot take, a source that refuses the key) leaves no checkpoint to resume from
   * nothing, and an interrupted run's checkpoint at the name stays as it was.
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

  /** The idempotency key of the batch of `kind` that starts at record `from`. */
  batchKey(kind: string, from: number): string {
    return `resonant:${this.state.run_id}:${kind}:${from}`;
  }
}
