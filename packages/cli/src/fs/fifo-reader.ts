/**
 * Opening a FIFO to write blocks until something reads it, and blocks in a thread of Node's pool, which the
 * process waits for as it exits: a run that named a FIFO nobody reads could not even be ended by Ctrl-C or
 * SIGTERM, only by SIGKILL. So a FIFO is first opened without blocking, again every tenth of a second until a
 * reader has come (the main thread stays free, and a signal ends the run at once); that open is held while
 * the writer's own open, which then returns at once, is made.
 * @module
 */
import { constants } from "node:fs";
import { lstat, open } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";

const PROBE = constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;

/**
 * When `path` is a FIFO: waits until it has a reader, and answers a release to call once the writer's own open
 * has returned. Anything else (or a FIFO that cannot be opened: the writer's own open says why): undefined at once.
 */
export async function awaitFifoReader(path: string): Promise<(() => Promise<void>) | undefined> {
  if (!(await lstat(path).catch(() => undefined))?.isFIFO()) return undefined;
  for (;;) {
    try {
      const probe = await open(path, PROBE);
      return () => probe.close();
    } catch (error) {
      // ENXIO: no reader yet. Anything else is the writer's own open's to report.
      if ((error as NodeJS.ErrnoException).code !== "ENXIO") return undefined;
    }
    await sleep(100);
  }
}
