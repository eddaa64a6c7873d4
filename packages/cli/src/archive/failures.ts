/**
 * The failure log (`--failures FILE`): one JSON object a line for each item
 * the target refused, `{"id", "kind", "code", "message", "request_id", "status"}`.
 * Messages pass through the redactor, so no key or secret is ever written.
 * @module
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import { redact } from "../ui/redact.js";

/** One refused item. */
export interface FailureEntry {
  /** The item's id. */
  id: string;
  /** Its kind (plural). */
  kind: string;
  /** The error code (`agent_not_found`, `validation_error`, ...). */
  code: string;
  /** What went wrong, in the server's or the SDK's words. */
  message: string;
  /** The request id of the call that refused it, when known. */
  request_id: string | null;
  /** The HTTP status, when known. */
  status?: number | null;
}

/** Appends failures to a file as NDJSON (or drops them when no file was asked for). */
export class FailureLog {
  readonly #out: WriteStream | undefined;
  /** Failures written. */
  count = 0;

  private constructor(out: WriteStream | undefined) {
    this.#out = out;
  }

  /** Opens `path` (append when resuming, so the failures of the first run stay), or a log that keeps nothing. */
  static async open(path: string | undefined, append: boolean): Promise<FailureLog> {
    if (path === undefined) return new FailureLog(undefined);
    const out = createWriteStream(path, { flags: append ? "a" : "w", mode: 0o600 });
    await once(out, "open");
    return new FailureLog(out);
  }

  /** Logs one failure. */
  write(entry: FailureEntry): void {
    this.count++;
    if (!this.#out) return;
    const safe: FailureEntry = { ...entry, message: redact(entry.message) };
    this.#out.write(`${JSON.stringify(safe)}\n`);
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    if (!this.#out) return;
    this.#out.end();
    await once(this.#out, "close");
  }
}
