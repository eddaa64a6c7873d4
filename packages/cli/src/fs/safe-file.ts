/**
 * Writing an output file so that a failure never leaves a file that looks
 * whole and never damages what was there:
 *
 * - a regular file (or a new name) is written to a temporary file created
 *   exclusively (`O_CREAT | O_EXCL | O_NOFOLLOW`, an unpredictable name in
 *   the target's directory, so a link planted there in advance cannot be
 *   followed), flushed to disk, then renamed over the target, and only over a
 *   regular file or nothing;
 * - a device or a FIFO is written to in place (never replaced, never
 *   created), and `-` is standard output;
 * - a symbolic link at the name, a directory or a missing directory is refused
 *   before anything is opened;
 * - every error (ENOSPC, EIO, a reader gone) is a {@link CliError} naming the
 *   flag and the path, exit 1; {@link SafeFile.abort} removes the temporary file.
 * @module
 */
import { randomBytes } from "node:crypto";
import { close, constants, createWriteStream, fstat, fsync, open as openFd, rmSync } from "node:fs";
import { lstat, open, rename, rm, type FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Writable } from "node:stream";
import { promisify } from "node:util";
import { onInterrupt } from "../core/interrupt.js";
import { CliError } from "../exit.js";
import { awaitFifoReader } from "./fifo-reader.js";
import { fileError } from "./file-error.js";
import { classifyTarget, type TargetKind } from "./target.js";

// O_NOFOLLOW and O_NOCTTY do not exist on Windows: there they add nothing.
const { O_WRONLY, O_CREAT, O_EXCL, O_RDONLY } = constants;
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_NOCTTY = constants.O_NOCTTY ?? 0;

// Plain descriptors, not FileHandles: a FileHandle's close() waits for a stream made on it with autoClose: false
// to let go, which it never does, and the descriptor must stay open after the stream ends, for fsync.
const openP = promisify(openFd);
const fsyncP = promisify(fsync);
const closeP = promisify(close);
const fstatP = promisify(fstat);

/** Options of {@link SafeFile.open} and {@link writeFileAtomic}. */
export interface SafeFileOptions {
  /** The mode of the file made (default 0o600: outputs may hold private data). */
  mode?: number;
  /** Bytes buffered before `stream.write` answers false (default: Node's 16 KiB). */
  highWaterMark?: number;
  /** Refuse a device, a FIFO or `-` rather than write to it in place: for files read back later (a checkpoint). */
  regularOnly?: boolean;
}

/**
 * An output being written: write to {@link SafeFile.stream}, then
 * {@link SafeFile.commit} (the target appears whole, or an error is thrown)
 * or {@link SafeFile.abort} (nothing of it stays).
 */
export class SafeFile {
  /** The flag or role that named the file, for messages (`--out`). */
  readonly what: string;
  /** The target as the user gave it. */
  readonly path: string;
  /** What the target was when opened. */
  readonly kind: TargetKind;
  /** Where the bytes go. Its errors are caught and kept: see {@link SafeFile.error}. */
  readonly stream: Writable;
  readonly #fd: number | undefined;
  readonly #temp: string | undefined;
  #error: CliError | undefined;
  #done = false;
  #fdClosed = false;
  readonly #forget: () => void;

  private constructor(
    what: string,
    path: string,
    kind: TargetKind,
    stream: Writable,
    fd: number | undefined,
    temp: string | undefined,
    forget: () => void = () => {},
  ) {
    this.what = what;
    this.path = path;
    this.kind = kind;
    this.stream = stream;
    this.#fd = fd;
    this.#temp = temp;
    // Registered before the temporary file was made: a signal between the two left it beside the target.
    this.#forget = forget;
    // Without a listener an 'error' event would end the process with a stack dump.
    stream.on("error", (error) => this.fail(error));
  }

  /**
   * Opens `path` for writing (see the module comment); `what` names it in
   * every message. Throws a {@link CliError} for a symbolic link, a
   * directory, a missing directory, or a file that cannot be made.
   */
  static async open(what: string, path: string, options: SafeFileOptions = {}): Promise<SafeFile> {
    const kind = await classifyTarget(what, path, !options.regularOnly);
    if (options.regularOnly && (kind === "special" || kind === "stdout"))
      throw new CliError(`${what} ${path}: not a regular file; name a file`);
    if (kind === "stdout") return new SafeFile(what, path, kind, process.stdout, undefined, undefined);
    const streamOf = (fd: number) =>
      createWriteStream("", {
        fd,
        autoClose: false,
        ...(options.highWaterMark ? { highWaterMark: options.highWaterMark } : {}),
      });
    if (kind === "special") {
      const fd = await openSpecial(what, path);
      return new SafeFile(what, path, kind, streamOf(fd), fd, undefined);
    }
    const temp = tempName(path);
    const forget = removeOnInterrupt(temp, `${what} ${path} was not written`);
    let fd: number;
    try {
      fd = await openP(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, options.mode ?? 0o600);
    } catch (error) {
      forget();
      throw fileError(what, path, error);
    }
    return new SafeFile(what, path, kind, streamOf(fd), fd, temp, forget);
  }

  /** The first error the stream met, as a CliError naming the file (undefined while all is well). */
  get error(): CliError | undefined {
    return this.#error;
  }

  /** Records an error met on the way to {@link SafeFile.stream} (a compressor in front of it), as the stream's own are. */
  fail(error: unknown): void {
    this.#error ??= fileError(this.what, this.path, error);
  }

  /** Throws {@link SafeFile.error} if there is one: for writers to call between writes. */
  check(): void {
    if (this.#error) throw this.#error;
  }

  /** True when the output goes to a temporary file first: what was written can be read back before {@link commit} renames it. */
  get staged(): boolean {
    return this.#temp !== undefined;
  }

  /**
   * Ends the output: everything written reaches the disk (fsync), then a
   * temporary file is renamed over the target (only over a regular file or
   * nothing) and the directory synced. On any error the temporary file is
   * removed and a CliError naming the file is thrown. `check`, when given, reads
   * the temporary file once it is whole, before it is renamed: what it throws is
   * thrown as it is, and the file removed.
   */
  async commit(check?: (temp: string) => Promise<void>): Promise<void> {
    if (this.#done) throw new Error("SafeFile: committed or aborted already");
    try {
      if (this.kind === "stdout") {
        this.check();
        await new Promise<void>((resolve, reject) =>
          this.stream.write("", (error) => (error ? reject(error) : resolve())),
        );
        this.check();
        this.#done = true;
        return;
      }
      this.check();
      // end()'s callback answers on 'finish' or on an error (finished() would wait for a 'close' that autoClose: false never emits).
      await new Promise<void>((resolve, reject) =>
        this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
      this.check();
      if (check !== undefined && this.#temp !== undefined) await check(this.#temp);
      if (this.#temp !== undefined) await fsyncP(this.#fd!);
      await this.#closeFd();
      if (this.#temp !== undefined) await replace(this.what, this.#temp, this.path);
      this.#forget();
      this.#done = true;
    } catch (error) {
      const failure = this.#error ?? fileError(this.what, this.path, error);
      await this.abort();
      throw failure;
    }
  }

  /** Stops writing and removes the temporary file (standard output and devices cannot be taken back). Never throws. */
  async abort(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    if (this.kind === "stdout") return;
    // destroy() waits for a write in progress before 'close': the descriptor is closed only then, so no late
    // write can land in another file that reused its number.
    if (!this.stream.closed) {
      const closed = new Promise((resolve) => this.stream.once("close", resolve));
      this.stream.destroy();
      await closed;
    }
    await this.#closeFd().catch(() => undefined);
    if (this.#temp !== undefined) await rm(this.#temp, { force: true }).catch(() => undefined);
    this.#forget();
  }

  /** Closes the descriptor once: a second close could hit a number reused by another open. */
  async #closeFd(): Promise<void> {
    if (this.#fd === undefined || this.#fdClosed) return;
    this.#fdClosed = true;
    await closeP(this.#fd);
  }
}

/**
 * Writes `data` to the regular file `path` atomically (an exclusive
 * temporary file, fsync, rename, directory fsync): a reader sees the old
 * content or the new, whole. Refuses a symbolic link, a device or a FIFO at
 * `path`. Errors are CliErrors naming `what` and the path.
 */
export async function writeFileAtomic(
  what: string,
  path: string,
  data: string | Uint8Array,
  options: Pick<SafeFileOptions, "mode"> = {},
): Promise<void> {
  const kind = await classifyTarget(what, path);
  if (kind === "special" || kind === "stdout") throw new CliError(`${what} ${path}: not a regular file; name a file`);
  const temp = tempName(path);
  // Registered before the file is made, as SafeFile's; a checkpoint's earlier save stays whole, so nothing is said.
  const forget = removeOnInterrupt(temp);
  let handle: FileHandle;
  try {
    handle = await open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, options.mode ?? 0o600);
  } catch (error) {
    forget();
    throw fileError(what, path, error);
  }
  try {
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    await replace(what, temp, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw fileError(what, path, error);
  } finally {
    forget();
  }
}

/** On Ctrl-C or a kill, `temp` goes (the target stays as it was, with no half file beside it), and `note` is said. */
function removeOnInterrupt(temp: string, note?: string): () => void {
  return onInterrupt(() => {
    rmSync(temp, { force: true });
    return note;
  });
}

/**
 * A name beside `path` no one can guess in advance, so no link can wait for it; it is opened with
 * O_CREAT | O_EXCL | O_NOFOLLOW, so only this run's own new file is ever written.
 */
function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(8).toString("hex")}.partial`);
}

/** Opens a device or FIFO in place: no O_CREAT or O_TRUNC (nothing made, nothing emptied), no link followed. */
async function openSpecial(what: string, path: string): Promise<number> {
  let fd: number;
  const release = await awaitFifoReader(path);
  try {
    fd = await openP(path, O_WRONLY | O_NOFOLLOW | O_NOCTTY);
  } catch (error) {
    throw fileError(what, path, error);
  } finally {
    await release?.();
  }
  // Checked on what was opened, not on the name: it may have changed since it was looked at.
  if ((await fstatP(fd)).isFile()) {
    await closeP(fd);
    throw new CliError(`${what} ${path}: became a regular file while resonant started; run again`);
  }
  return fd;
}

/** Renames `temp` over `path` if `path` is a regular file or nothing; syncs the directory so the rename lasts. */
async function replace(what: string, temp: string, path: string): Promise<void> {
  const now = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (now !== undefined && !now.isFile()) {
    await rm(temp, { force: true });
    throw new CliError(
      `${what} ${path}: is no longer a regular file (something replaced it during the run); it was not overwritten`,
    );
  }
  await rename(temp, path);
  await syncDirectory(dirname(path));
}

/** Makes a rename durable. Platforms that cannot open a directory (Windows) are let be; a real I/O error is not. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(dir, O_RDONLY);
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EIO" || code === "ENOSPC" || code === "EDQUOT") throw error;
  } finally {
    await handle.close().catch(() => undefined);
  }
}
