/**
 * One run at a time per checkpoint. Two runs sharing `FILE.checkpoint` (the same import started twice,
 * two copies with one --checkpoint) would overwrite each other's progress, and a later --resume would
 * carry on from the other run's place. So a run first makes `FILE.checkpoint.lock`, exclusively and
 * without following a link (O_CREAT | O_EXCL | O_NOFOLLOW, mode 0600), holding its pid, host and start,
 * and removes it when it ends, however it ends. A lock whose process is gone (this host, no such pid:
 * a kill -9, a power cut) is stale: it is taken over, with a warning.
 * @module
 */
import { randomBytes } from "node:crypto";
import { constants, readFileSync, unlinkSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
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

/** The owner a lock names; undefined when it is not a lock this CLI wrote (a link, another file), "gone" when none is there. */
async function ownerOf(path: string): Promise<Owner | "gone" | undefined> {
  // A run writes its lock just after making it: an empty or cut one is read again a few times before it is
  // called another program's (whose advice, to remove it, would remove a live run's lock).
  for (let wait = 10; wait <= 160; wait *= 2) {
    let text: string;
    try {
      const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
      text = await handle.readFile("utf8").finally(() => handle.close());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return "gone";
      return undefined; // Unreadable, a link: not ours.
    }
    try {
      const owner = JSON.parse(text) as Partial<Owner>;
      if (Number.isInteger(owner.pid) && typeof owner.host === "string" && typeof owner.started === "string")
        return owner as Owner;
      return undefined;
    } catch {
      if (text.endsWith("\n")) return undefined; // Whole, and not JSON: not ours.
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return undefined;
}

const sameOwner = (a: Owner | "gone" | undefined, b: Owner) =>
  typeof a === "object" && a.pid === b.pid && a.host === b.host && a.started === b.started;

/**
 * Removes `path`, the lock of a run that is gone (`stale`), unless another run has taken it over since it was
 * read: the lock is first moved aside, then read where it went, and one that is no longer `stale`'s goes back.
 * Removed by name after a read, a slower run removed the lock the faster one had just made, and both ran.
 */
async function takeOver(path: string, stale: Owner): Promise<void> {
  const aside = `${path}.${randomBytes(6).toString("hex")}.stale`;
  try {
    await rename(path, aside);
  } catch {
    return; // Gone already (another run took it over): the next try reads whose it is.
  }
  if (sameOwner(await ownerOf(aside), stale)) await unlink(aside).catch(() => undefined);
  // Back where it was; a third run that made a lock in that instant would lose it, a far narrower window.
  else await rename(aside, path).catch(() => undefined);
}

/**
 * Takes the lock of `checkpoint` for this run; the answer releases it. Refuses (exit 1) while another
 * run holds it, naming that run; takes over a stale one, telling `warn`.
 */
export async function lockRun(checkpoint: string, warn: (message: string) => void): Promise<() => Promise<void>> {
  const path = `${checkpoint}.lock`;
  const me: Owner = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  let taken: Owner | undefined;
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
      // Named as the checkpoint: where the lock cannot be written, neither can the checkpoint. EEXIST again
      // is another run that took the stale lock first, or ended: its owner is read again below.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || tries > 3)
        throw fileError("the checkpoint", checkpoint, error);
      const owner = await ownerOf(path);
      if (owner === "gone") continue;
      if (owner === undefined)
        throw new CliError(
          `${path} exists and is not a lock resonant made; remove it if no resonant run uses ${checkpoint}`,
        );
      if (owner.host !== me.host || running(owner.pid))
        throw new CliError(
          `${checkpoint} is in use by another resonant run (pid ${owner.pid} on ${owner.host}, since ${owner.started}): wait for it to end; if it is gone, remove ${path}`,
        );
      await takeOver(path, owner);
      taken = owner;
    }
  }
  // Said once the lock is this run's: a run that lost the takeover to another is refused, with no word of it.
  if (taken) warn(`${path}: taken over from a run that is gone (pid ${taken.pid}, since ${taken.started})`);
  // Only while it is still this run's: never another's that took it over from this one (a hung run's).
  const release = () => {
    try {
      if (sameOwner(JSON.parse(readFileSync(path, "utf8")) as Owner, me)) unlinkSync(path);
    } catch {
      // Already gone, or not this run's: nothing to release.
    }
  };
  // On Ctrl-C the process exits before a finally runs: the lock goes with the interrupt's cleanups.
  const forget = onInterrupt(release);
  return async () => {
    forget();
    release();
  };
}
