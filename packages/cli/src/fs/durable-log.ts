/**
 * An append-only log of lines (a failure log, a secrets file, a journal)
 * whose {@link DurableLog.sync} answers only once what was appended is on
 * disk, so a caller moves its checkpoint past a batch only after the batch's
 * lines are kept. Opened with `O_APPEND | O_NOFOLLOW`: a symbolic link at the
 * name is refused, never followed. A write or fsync error (ENOSPC, EIO) is a
 * {@link CliError} naming the flag and the path; the file is cut back to its
 * last synced length, so no half line is left to look like a whole one.
 * @module
 */
import { constants } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { CliError } from "../exit.js";
import { awaitFifoReader } from "./fifo-reader.js";
import { fileError } from "./file-error.js";
import { ByteChunks } from "./byte-chunks.js";
import { classifyTarget } from "./target.js";

const { O_WRONLY, O_CREAT, O_APPEND, O_EXCL, O_TRUNC } = constants;
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
// Chunks of 64 KiB, and enough spares for what a journal queues between two syncs (a MiB) while the one
// before is written.
const CHUNK_BYTES = 64 * 1024;
const SPARE_CHUNKS = 32;

/**
 * What to do with a file that exists: `append` after its content (a resumed
 * run), `truncate` it (a new run's log), or `refuse` it (EEXIST, for a file
 * that may hold something no one must lose).
 */
export type ExistingFile = "append" | "truncate" | "refuse";

/** Options of {@link DurableLog.open}. */
export interface DurableLogOptions {
  /** See {@link ExistingFile}. */
  existing: ExistingFile;
  /** The mode a regular file is given, also one that existed (default 0o600). */
  mode?: number;
}

/** See the module comment. `append` lines, `await sync()` before relying on them, `close` at the end. */
export class DurableLog {
  /** The flag or role that named the file, for messages. */
  readonly what: string;
  /** The file. */
  readonly path: string;
  readonly #handle: FileHandle;
  readonly #regular: boolean;
  // Lines are copied into bytes as they come: a queue of strings lived long enough to be promoted, and at
  // 100,000 journal lines that garbage, not the live heap, set a run's peak RSS.
  readonly #pending = new ByteChunks(CHUNK_BYTES, SPARE_CHUNKS);
  #chain: Promise<void> = Promise.resolve();
  #error: CliError | undefined;
  /** The file's length after the last successful sync. */
  #durable: number;
  #closed = false;

  private constructor(what: string, path: string, handle: FileHandle, regular: boolean, size: number) {
    this.what = what;
    this.path = path;
    this.#handle = handle;
    this.#regular = regular;
    this.#durable = size;
  }

  /**
   * Opens `path` to append to (see {@link DurableLogOptions}); `what` names
   * it in messages. Throws a CliError for `-`, a symbolic link, a directory,
   * a missing directory, or (with `existing: "refuse"`) a file that exists,
   * whose `cause` then has the code EEXIST.
   */
  static async open(what: string, path: string, options: DurableLogOptions): Promise<DurableLog> {
    if ((await classifyTarget(what, path)) === "stdout")
      throw new CliError(`${what} -: standard output cannot hold it; name a file`);
    const flags =
      O_WRONLY |
      O_CREAT |
      O_APPEND |
      O_NOFOLLOW |
      (options.existing === "refuse" ? O_EXCL : options.existing === "truncate" ? O_TRUNC : 0);
    let handle: FileHandle;
    const release = await awaitFifoReader(path);
    try {
      handle = await open(path, flags, options.mode ?? 0o600);
    } catch (error) {
      throw fileError(what, path, error);
    } finally {
      await release?.();
    }
    try {
      const info = await handle.stat();
      // A file appended to keeps its old mode otherwise.
      if (info.isFile()) await handle.chmod(options.mode ?? 0o600);
      return new DurableLog(what, path, handle, info.isFile(), info.size);
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw fileError(what, path, error);
    }
  }

  /** True for a regular file; a device or a FIFO is written to in place, and holds no past to read back. */
  get regular(): boolean {
    return this.#regular;
  }

  /** The first error met, as a CliError naming the file (undefined while all is well). */
  get error(): CliError | undefined {
    return this.#error;
  }

  /** Queues `text` (whole lines, each ending in a newline) to be written by the next {@link DurableLog.sync}. Never throws. */
  append(text: string): void {
    if (this.#closed) throw new Error(`DurableLog ${this.path}: appended to after close`);
    this.#pending.put(text);
  }

  /**
   * Writes what was appended and flushes it to disk (fsync). Resolves once it
   * is kept; rejects with a CliError naming the file otherwise, and every
   * later call rejects with the same error. Calls run one after another.
   */
  sync(): Promise<void> {
    const run = this.#chain.then(() => this.#flush());
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /** Syncs what is left and closes the file; throws the log's error, if any, after closing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.sync();
    } finally {
      this.#closed = true;
      await this.#handle.close().catch(() => undefined);
    }
  }

  async #flush(): Promise<void> {
    if (this.#error) throw this.#error;
    this.#pending.seal();
    const pieces = this.#pending.take();
    if (pieces.length === 0) return;
    try {
      let length = 0;
      for (const piece of pieces) {
        for (let done = 0; done < piece.length; )
          done += (await this.#handle.write(piece, done, piece.length - done)).bytesWritten;
        length += piece.length;
      }
      if (this.#regular) await this.#handle.sync();
      this.#durable += length;
    } catch (error) {
      this.#error = fileError(this.what, this.path, error);
      // What reached the file past the last sync may end in a cut line: take it back.
      if (this.#regular) await this.#handle.truncate(this.#durable).catch(() => undefined);
      throw this.#error;
    }
    for (const piece of pieces) this.#pending.release(piece);
  }
}
