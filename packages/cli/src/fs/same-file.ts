/**
 * Refusing a run whose outputs would overwrite its inputs or one another,
 * before anything is opened for writing: `resonant import backup.json
 * --failures backup.json` must not empty the backup it is about to read.
 * Files are compared by device and inode, so a symbolic link, a hard link or
 * another spelling of the path is caught too; an output that does not exist
 * yet is compared by its resolved path.
 * @module
 */
import { fstatSync } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { CliError, StdoutIsInputError } from "../exit.js";

/** A path the run will write: `flag` names it in messages (`--failures`, `the checkpoint`). Undefined or `-` is skipped. */
export interface OutputPath {
  /** The flag or role. */
  flag: string;
  /** The path. */
  path: string | undefined;
  /** The run's own lock (`FILE.checkpoint.lock`): never an output's name, and said so when it is one. */
  lock?: boolean;
}

/** A path the run reads: `what` names it in messages (`the archive`). Undefined or `-` is skipped. */
export interface InputPath {
  /** What it is. */
  what: string;
  /** The path. */
  path: string | undefined;
}

interface Identity {
  /** `dev:ino` of an existing file, else `path:` and the resolved path. */
  key: string;
  /** True for a regular file or a name not yet taken: what one writer would clobber for another. */
  clobberable: boolean;
  /** The path with every link resolved, to say how two names meet. */
  real: string;
}

/**
 * Throws a {@link CliError} (exit 1) when an output is the same file as an
 * input, or two outputs are the same file. Two outputs may share a device or
 * a FIFO (`/dev/null` twice loses nothing). Call it with every input and
 * every output of the run before opening any of them.
 */
export async function refuseSameFile(outputs: readonly OutputPath[], inputs: readonly InputPath[]): Promise<void> {
  const ins = (await Promise.all(inputs.map(async (i) => ({ ...i, id: await inputIdentity(i.path) })))).filter(
    (i): i is InputPath & { id: Identity } => i.id !== undefined,
  );
  const outs = await Promise.all(outputs.filter(named).map(async (o) => ({ ...o, id: await identify(o.path!) })));
  // A shell's `>> backup.json` makes standard output an output too: the report, the --json events, or the
  // archive of `upgrade` would be written into the archive being read. (Standard error is not looked at: the
  // refusal itself would be written there.)
  const stdout = regularFileKey(1);
  const read = stdout === undefined ? undefined : ins.find((i) => i.id.key === stdout);
  if (read)
    throw new StdoutIsInputError(
      `standard output is the same file as ${read.what} ${read.path} (redirected to it): resonant never writes over what it reads; nothing was written, redirect it elsewhere`,
    );
  for (const out of outs) {
    const input = ins.find((i) => i.id.key === out.id.key);
    if (input) {
      throw new CliError(
        `${out.flag} ${out.path} is the same file as ${input.what} ${input.path}${how(out, input)}: resonant never writes over what it reads; nothing was written, name another file`,
      );
    }
  }
  for (const [i, a] of outs.entries()) {
    const b = outs.slice(i + 1).find((o) => o.id.key === a.id.key && o.id.clobberable);
    // The lock is made when the run starts: an output there would find it taken (and hold the run's pid).
    const lock = a.lock ? a : b?.lock ? b : undefined;
    const other = lock === a ? b : a;
    if (b && lock && other)
      throw new CliError(
        `${other.flag} ${other.path} is the run's lock file ${lock.path}${how(other, lock)}, which resonant makes beside the checkpoint while the run holds it: nothing was written, name another file`,
      );
    if (b)
      throw new CliError(
        `${a.flag} ${a.path} and ${b.flag} ${b.path} are the same file${how(a, b)}: nothing was written, name two different files`,
      );
  }
}

/** True when `a` and `b` name one file (by device and inode), or, for a name not yet taken, one path. */
export async function sameFile(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([identify(a), identify(b)]);
  return x.key === y.key;
}

/** How two names reach one file, for the message. */
function how(a: { path?: string | undefined; id: Identity }, b: { path?: string | undefined; id: Identity }): string {
  if (b.path === "-") return " (standard input is redirected from it)";
  if (resolve(a.path!) === resolve(b.path!)) return "";
  return a.id.real === b.id.real ? " (through a symbolic link)" : " (a hard link to it)";
}

const named = (p: { path: string | undefined }): boolean => p.path !== undefined && p.path !== "-";

async function identify(path: string): Promise<Identity> {
  try {
    // stat follows links: a link to the archive is the archive.
    const info = await stat(path);
    const real = await realpath(path).catch(() => resolve(path));
    return { key: `${info.dev}:${info.ino}`, clobberable: info.isFile(), real };
  } catch {
    // Not there yet (or a dangling link): two outputs naming one new file still collide.
    const real = join(await realpath(dirname(path)).catch(() => resolve(dirname(path))), basename(path));
    return { key: `path:${real}`, clobberable: true, real };
  }
}

/** An input's identity; for `-`, standard input's when a shell redirected it from a file (`< backup.json`). */
async function inputIdentity(path: string | undefined): Promise<Identity | undefined> {
  if (path === undefined) return undefined;
  if (path !== "-") return identify(path);
  const key = regularFileKey(0);
  return key === undefined ? undefined : { key, clobberable: true, real: "standard input" };
}

/** A descriptor's `dev:ino` (as {@link identify} keys a file) when it is a regular file. */
function regularFileKey(fd: number): string | undefined {
  try {
    const info = fstatSync(fd);
    return info.isFile() ? `${info.dev}:${info.ino}` : undefined;
  } catch {
    return undefined; // closed: nothing is written there
  }
}
