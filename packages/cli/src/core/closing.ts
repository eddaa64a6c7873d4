/**
 * How a command releases the files it opened for a run (the failure log, the
 * secrets file): one helper for import, copy and restore, so each ends the
 * same way whether the run succeeds or fails.
 * @module
 */
import type { CliError } from "../exit.js";

/** Something a command opened and must close before it reports. */
export interface Closable {
  /** Flushes and closes; rejects when what was written is not whole on disk. */
  close(): Promise<void>;
}

/**
 * Runs `work`, then closes `files` in order. When `work` succeeds, a close
 * that fails is the run's error: a log cut short must not pass as whole. When
 * it throws, every file is still closed, but the error that ended the run is
 * the one reported, not a second one from closing. Either error goes through
 * `toError` (a fatal SDK error becomes the CLI's message, naming the
 * checkpoint to resume from; a {@link CliError} is kept, or told how to carry
 * on after a full disk).
 */
export async function closeAfter<T>(
  files: readonly Closable[],
  work: () => Promise<T>,
  toError: (error: unknown) => CliError,
): Promise<T> {
  let result: T;
  try {
    result = await work();
  } catch (error) {
    for (const file of files) await file.close().catch(() => undefined);
    throw toError(error);
  }
  try {
    for (const file of files) await file.close();
  } catch (error) {
    throw toError(error);
  }
  return result;
}
