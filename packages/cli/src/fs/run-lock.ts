/**
 * One run at a time per checkpoint. Two runs sharing `FILE.checkpoint` (the same import started twice,
 * two copies with one --checkpoint) would overwrite each other's progress, and a later --resume would
 * carry on from the other run's place. So a run first makes `FILE.checkpoint.lock`, exclusively and
 * without following a link (O_CREAT | O_EXCL | O_NOFOLLOW, mode 0600), holding its pid, host and start,
 * and removes it when it ends, however it ends. A lock whose process is gone (this host, no such pid:
 * a kill -9, a power cut) is stale: it is taken over, with a warning.
 * @module
 */
import { constants, unlinkSync } from "node:fs";
import { open, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { onInterrupt } from "../core/interrupt.js";
import { CliError } from "../exit.js";
import { fileError } from "./file-error.js";

/** Who holds a lock. */
interface Owner {
  pid: number;
  host: string;
  started: string;
}

const CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Whether process `pid` of this host still runs (EPERM: it does, as another user's). Migrate's lease asks too. */
export function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The owner a lock names, or undefined when it is not a lock this CLI wrote (a link, another file). */
async function ownerOf(path: string): Promise<Owner | undefined> {
  try {
    const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    const owner = JSON.parse(await handle.readFile("utf8").finally(() => handle.close())) as Partial<Owner>;
    if (Number.isInteger(owner.pid) && typeof owner.host === "string" && typeof owner.started === "string")
      return owner as Owner;
  } catch {
    // Unreadable, a link, not JSON: not ours.
  }
  return undefined;
}

/**
 * Takes the lock of `checkpoint` for this run; the answer releases it. Refuses (exit 1) while another
 * run holds it, naming that run; takes over a stale one, telling `warn`.
 */
export async function lockRun(checkpoint: string, warn: (message: string) => void): Promise<() => Promise<void>> {
  const path = `${checkpoint}.lock`;
  const me: Owner = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  for (let tries = 0; ; tries++) {
    try {
      const handle = await open(path, CREATE, 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(me)}\n`);
      } catch (error) {
        // A full disk, say: no lock without its owner is left behind.
        await handle.close();
        await unlink(path).catch(() => undefined);
        throw error;
      }
      await handle.close();
      break;
    } catch (error) {
      // Named as the checkpoint: where the lock cannot be written, neither can the checkpoint. A second
      // EEXIST is another run that took the stale lock first: its owner is read again below.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || tries > 1)
        throw fileError("the checkpoint", checkpoint, error);
      const owner = await ownerOf(path);
      if (owner === undefined)
        throw new CliError(
          `${path} exists and is not a lock resonant made; remove it if no resonant run uses ${checkpoint}`,
        );
      if (owner.host !== me.host || running(owner.pid))
        throw new CliError(
          `${checkpoint} is in use by another resonant run (pid ${owner.pid} on ${owner.host}, since ${owner.started}): wait for it to end; if it is gone, remove ${path}`,
        );
      warn(`${path}: taken over from a run that is gone (pid ${owner.pid}, since ${owner.started})`);
      await unlink(path).catch(() => undefined);
    }
  }
  // On Ctrl-C the process exits before a finally runs: the lock goes with the interrupt's cleanups.
  const forget = onInterrupt(() => {
    try {
      unlinkSync(path);
    } catch {
      // Already gone: nothing to release.
    }
  });
  return async () => {
    forget();
    await unlink(path).catch(() => undefined);
  };
}
