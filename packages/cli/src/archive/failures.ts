/**
 * The failure log (`--failures FILE`) of every command that writes one
 * (import, copy, restore, migrate): one JSON object a line for each item the
 * target refused, `{"id", "kind", "code", "message", "request_id", "status"}`,
 * every line made by {@link FailureLog.write} from the error's facts, so the
 * same refusal reads the same whichever command met it (docs/migration.md).
 * Every string from an answer passes through the redactor, so no key or secret is ever written.
 * Lines are kept on disk ({@link FailureLog.sync}) before the checkpoint moves
 * past their batch, and a full disk ends the run with exit 1 naming the file.
 * @module
 */
import { lstat } from "node:fs/promises";
import { CliError } from "../exit.js";
import { DurableLog } from "../fs/durable-log.js";
import type { ErrorFacts } from "../core/errors.js";
import { redact } from "../ui/redact.js";

/** The fields of each line, in order (`--failures`' help says them from here). */
export const FAILURE_FIELDS = ["id", "kind", "code", "message", "request_id", "status"] as const;

/** Appends failures to a file as NDJSON (or drops them when no file was asked for). */
export class FailureLog {
  readonly #log: DurableLog | undefined;
  /** Failures written. */
  count = 0;

  private constructor(log: DurableLog | undefined) {
    this.#log = log;
  }

  /**
   * Opens `path` (appended to when resuming, so the failures of the first run stay), or a log that keeps nothing.
   * A new run refuses a regular file that holds anything: it may be an earlier run's log, or another file named by
   * mistake (a secrets file, whose secrets exist nowhere else), and emptying it would lose that for good.
   */
  static async open(path: string | undefined, append: boolean): Promise<FailureLog> {
    if (path === undefined) return new FailureLog(undefined);
    try {
      const existing = append || !(await holdsData(path)) ? "append" : "refuse";
      return new FailureLog(await DurableLog.open("--failures", path, { existing }));
    } catch (error) {
      if (((error as Error).cause as NodeJS.ErrnoException | undefined)?.code === "EEXIST")
        throw new CliError(
          `--failures ${path} exists and is not empty: resonant never overwrites it (it may be an earlier run's failures, or another file); move it away or name another file (--resume appends to it)`,
          { cause: error },
        );
      throw error;
    }
  }

  /**
   * Logs that the `kind` object `id` was refused, for the reasons in `facts` (kept on disk by the next
   * {@link FailureLog.sync}): the one place a line is made, with all six members, `null` where a fact is unknown.
   */
  write(id: string, kind: string, facts: ErrorFacts): void {
    this.count++;
    if (!this.#log) return;
    const line = {
      id,
      kind,
      // The code and request id too: a server or proxy may echo a key or a new secret in either.
      code: redact(facts.code),
      message: redact(facts.message),
      request_id: facts.requestId === null ? null : redact(facts.requestId),
      status: facts.status,
    };
    this.#log.append(`${JSON.stringify(line)}\n`);
  }

  /** Resolves once every failure written so far is on disk; rejects with a CliError naming the file otherwise. */
  async sync(): Promise<void> {
    await this.#log?.sync();
  }

  /** Flushes and closes the file; throws if what was written could not be kept. */
  async close(): Promise<void> {
    await this.#log?.close();
  }
}

/**
 * True for a regular file with content. A device or a FIFO (`/dev/stderr`) is written in place, an empty file
 * loses nothing, and a link is left to the open, which refuses it by name.
 */
async function holdsData(path: string): Promise<boolean> {
  const info = await lstat(path).catch(() => undefined);
  return info?.isFile() === true && info.size > 0;
}
