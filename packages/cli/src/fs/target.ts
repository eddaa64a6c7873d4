/**
 * What an output path names, found before anything is opened: standard
 * output (`-`), nothing yet, a regular file, or something else (a device, a
 * FIFO) that is written to in place. A symbolic link, a directory and a
 * missing directory are refused here, with the flag and the path, so no
 * writer ever follows a link planted at the name or discovers the problem
 * half-way through a run.
 * @module
 */
import { lstat, stat } from "node:fs/promises";
import type { Stats } from "node:fs";
import { dirname } from "node:path";
import { CliError } from "../exit.js";
import { fileError } from "./file-error.js";

/**
 * - `stdout`: the path is `-`.
 * - `absent`: nothing there yet; its directory exists.
 * - `regular`: a regular file (replaced, or appended to).
 * - `special`: a device, a FIFO or a socket: written to in place, never replaced.
 */
export type TargetKind = "stdout" | "absent" | "regular" | "special";

/**
 * Classifies `path` for writing. Throws a {@link CliError} naming `what`
 * (the flag) and the path for a symbolic link (never followed: name the file
 * itself, or `-` where `stdoutAccepted`), a directory, or a directory that
 * does not exist.
 */
export async function classifyTarget(what: string, path: string, stdoutAccepted = false): Promise<TargetKind> {
  if (path === "-") return "stdout";
  let info: Stats;
  try {
    info = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw fileError(what, path, error);
    await checkDirectory(what, path);
    return "absent";
  }
  if (info.isSymbolicLink())
    throw new CliError(
      `${what} ${path}: is a symbolic link; resonant never writes through one: name the file itself${stdoutAccepted ? " (or - for standard output)" : ""}`,
    );
  if (info.isDirectory()) throw new CliError(`${what} ${path}: is a directory; name a file`);
  return info.isFile() ? "regular" : "special";
}

/** Throws a CliError naming the directory of `path` when it is missing or not a directory. */
async function checkDirectory(what: string, path: string): Promise<void> {
  const dir = dirname(path);
  try {
    if (!(await stat(dir)).isDirectory()) throw new CliError(`${what} ${path}: ${dir} is not a directory`);
  } catch (error) {
    if (error instanceof CliError) throw error;
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      throw new CliError(`${what} ${path}: the directory ${dir} does not exist`, { cause: error });
    throw fileError(what, path, error);
  }
}
