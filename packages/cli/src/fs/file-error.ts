/**
 * One message for every failure to write a file: the flag or role that named
 * it, the path, and the cause in words (ENOSPC is "no space left on device"),
 * as a {@link CliError} ending the run with exit 1, so a full disk is a line
 * a user can act on and never a stack dump.
 * @module
 */
import { CliError } from "../exit.js";

/** The causes a user meets writing a file, in words (Node's own messages add the syscall and code). */
const CAUSES: Record<string, string> = {
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EIO: "input/output error",
  EROFS: "read-only file system",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOENT: "no such file or directory",
  ENOTDIR: "a part of the path is not a directory",
  EISDIR: "is a directory",
  ELOOP: "is a symbolic link; resonant never writes through one: name the file itself",
  EEXIST: "already exists",
  EPIPE: "the reader went away (broken pipe)",
  EFBIG: "file too large",
  ENXIO: "no reader on the other end",
};

/** The cause of `error` in words: a known errno's text, else the error's own message. */
export function causeOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && CAUSES[code] !== undefined) return `${CAUSES[code]} (${code})`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * A {@link CliError} (exit 1) for a file that could not be written:
 * `<what> <path>: <cause>`. `what` is the flag (`--out`, `--failures`) or the
 * role (`the checkpoint`); an error that already is a CliError is kept as it is.
 */
export function fileError(what: string, path: string, error: unknown): CliError {
  if (error instanceof CliError) return error;
  return new CliError(`${what} ${path}: ${causeOf(error)}`, { cause: error });
}

/** True for an error (or a CliError from {@link fileError}) of a disk that is full or over its quota: running again with room gets past it. */
export function isDiskFull(error: unknown): boolean {
  const cause = error instanceof CliError ? error.cause : error;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOSPC" || code === "EDQUOT";
}
