/**
 * The journal of one run of one revision in one direction: an append-only
 * NDJSON file under `<dir>/.journal/`. The whole plan (each object's
 * before-image and the hash of the state it should reach) is written and
 * fsync'd before the first write goes out; each write's outcome is appended
 * after it (`done` or `fail`), and a run an error ends says why (`cut`). A
 * line cut by a crash is the last one and is ignored on reading, so a killed
 * run can always be resumed from its journal.
 * @module
 */
import { lstat, mkdir, rename } from "node:fs/promises";
import { createReadStream, type Stats } from "node:fs";
import { CliError } from "../exit.js";
import { fileError } from "../fs/file-error.js";
import { dirname, join } from "node:path";
import { DurableLog } from "../fs/durable-log.js";
import type { PlannedOp } from "./plan.js";

/** The first line: what run this is. */
export interface BeginEntry {
  t: "begin";
  run: string;
  revision: string;
  direction: "up" | "down";
  checksum: string;
  api_version: string;
  at: string;
  /** The backup written before the first write (null with --no-backup). */
  backup?: string | null;
  /** Unique to this journal: the creates' idempotency keys start with it, so a later run's creates are never taken for replays of this one's. */
  key: string;
}
/** One planned write. */
export interface OpEntry {
  t: "op";
  seq: number;
  op: PlannedOp;
}
/** The plan is whole (every op line is on disk). */
export interface PlannedEntry {
  t: "planned";
  ops: number;
  backup: string | null;
}
/** A write went through: the real id of a create, and the hash of the state the server answered. */
export interface DoneEntry {
  t: "done";
  seq: number;
  id?: string;
  after?: string;
}
/** A write was refused (the run goes on): no key or secret is ever written here. */
export interface FailEntry {
  t: "fail";
  seq: number;
  code: string;
  message: string;
}
/**
 * An object the plan leaves alone (a reversal's conflict), written before the `planned` line: a resumed or retried
 * run carries out the plan on disk without planning again, and must still end partial and say why.
 */
export interface ConflictEntry {
  t: "conflict";
  kind: string;
  id: string;
  reason: string;
}
/**
 * An error ended the run after its plan (a kill writes nothing): whether a resume would meet it again, so what
 * reads the journal later advises as the run did when it was cut (cut.ts). Journals of older versions of this tool
 * have none, and are resumed as a killed run's.
 */
export interface CutEntry {
  t: "cut";
  /** An answer a resume gets again: a 501, or a 410 (a resume runs under the journal's API version); null when a resume carries on once the cause is gone. */
  cause: "not_implemented" | "api_version_gone" | null;
  /** With `api_version_gone`: the version the server no longer serves, when it said. */
  api_version?: string;
  at: string;
}
/** The run ended with this state. */
export interface EndEntry {
  t: "end";
  state: "applied" | "partial" | "reverted";
}
/** Any journal line. */
export type JournalEntry =
  | BeginEntry
  | OpEntry
  | PlannedEntry
  | ConflictEntry
  | DoneEntry
  | FailEntry
  | CutEntry
  | EndEntry;

/** Where the journal of `revision` in `direction` lives. */
export function journalPath(dir: string, revision: string, direction: "up" | "down"): string {
  return join(dir, ".journal", `${revision}.${direction}.ndjson`);
}

/**
 * True when the journal at `path` exists. It is read whole before a run (and written only through O_NOFOLLOW), so
 * anything but a regular file is refused rather than read: a link planted at its name to /dev/zero or a FIFO was
 * read without end (memory growing until the run was killed), and a link elsewhere would be taken for the journal.
 */
export async function exists(path: string): Promise<boolean> {
  let info: Stats;
  try {
    info = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw fileError("the journal", path, error);
  }
  if (info.isFile()) return true;
  throw new CliError(
    `the journal ${path}: ${info.isSymbolicLink() ? "is a symbolic link; resonant never reads or writes a journal through one" : "is not a regular file"}: move it away; nothing was run`,
  );
}

/**
 * The whole lines of a journal, a chunk's worth at a time (one await per
 * 64 KiB rather than per line: the apply pass reads 100,000 lines back); a
 * cut last line (a crash mid-write) is dropped, and reading stops there.
 * Chunks of 256 KiB were strings V8 keeps in its large-object space until a
 * full collection: at 100,000 ops they alone added 20 MB to a run's peak.
 */
export async function* readJournalBatches(path: string): AsyncGenerator<JournalEntry[]> {
  const input = createReadStream(path, { encoding: "utf8", highWaterMark: 64 * 1024 });
  let tail = "";
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      const text = tail + chunk;
      const end = text.lastIndexOf("\n");
      if (end < 0) {
        tail = text;
        continue;
      }
      tail = text.slice(end + 1);
      const batch: JournalEntry[] = [];
      let torn = false;
      for (let at = 0; at < end; ) {
        const next = text.indexOf("\n", at);
        const line = text.slice(at, next);
        at = next + 1;
        if (line === "") continue;
        try {
          batch.push(JSON.parse(line) as JournalEntry);
        } catch {
          torn = true; // the torn tail of a killed run
          break;
        }
      }
      if (batch.length > 0) yield batch;
      if (torn) return;
    }
    if (tail !== "") {
      try {
        yield [JSON.parse(tail) as JournalEntry];
      } catch {
        // a last line with no newline that does not parse: cut by a crash
      }
    }
  } finally {
    input.destroy();
  }
}

/** Every whole line of a journal; a cut last line (a crash mid-write) is dropped. */
export async function* readJournal(path: string): AsyncGenerator<JournalEntry> {
  for await (const batch of readJournalBatches(path)) yield* batch;
}

/** What a journal says about its run, read once (ops are streamed separately). */
export interface JournalState {
  begin: BeginEntry | undefined;
  planned: PlannedEntry | undefined;
  done: Map<number, DoneEntry>;
  failed: Map<number, FailEntry>;
  conflicts: ConflictEntry[];
  end: EndEntry | undefined;
  /**
   * Why the journal's last run was cut, while the `cut` line is the journal's last: a line after it is a later
   * run's (one that carried on, or ended), so the latest run's cause is the one that counts.
   */
  cut: CutEntry | undefined;
}

/** What a journal with no line yet says. */
export function emptyJournalState(): JournalState {
  return {
    begin: undefined,
    planned: undefined,
    done: new Map(),
    failed: new Map(),
    conflicts: [],
    end: undefined,
    cut: undefined,
  };
}

/** Reads a journal's outcomes (not its ops, which may be many and are streamed when applied). */
export async function journalState(path: string): Promise<JournalState> {
  const state = emptyJournalState();
  for await (const e of readJournal(path)) {
    state.cut = e.t === "cut" ? e : undefined;
    if (e.t === "begin") state.begin = e;
    else if (e.t === "planned") state.planned = e;
    else if (e.t === "done") {
      state.done.set(e.seq, e);
      state.failed.delete(e.seq);
    } else if (e.t === "fail") state.failed.set(e.seq, e);
    else if (e.t === "conflict") state.conflicts.push(e);
    else if (e.t === "end") state.end = e;
  }
  return state;
}

/**
 * The planned ops of a journal, in order. They all come before the
 * `planned` line, so reading stops there: outcomes being appended while the
 * ops are read are never reached.
 */
export async function* journalOps(path: string): AsyncGenerator<OpEntry> {
  for await (const batch of journalOpBatches(path)) yield* batch;
}

/** {@link journalOps}, a chunk's worth at a time. */
export async function* journalOpBatches(path: string): AsyncGenerator<OpEntry[]> {
  for await (const batch of readJournalBatches(path)) {
    const ops: OpEntry[] = [];
    let planned = false;
    for (const e of batch) {
      if (e.t === "planned") {
        planned = true;
        break;
      }
      if (e.t === "op") ops.push(e);
    }
    if (ops.length > 0) yield ops;
    if (planned) return;
  }
}

const SYNC_BYTES = 1024 * 1024;

/**
 * Appends to a journal through the CLI's {@link DurableLog} (O_APPEND, no
 * symbolic link followed, a failed write cut back to its last synced line).
 * Lines are queued and written (with fsync) each MiB; `sync()` is awaited
 * before any write that the lines describe goes out.
 */
export class JournalWriter {
  readonly #log: DurableLog;
  #bytes = 0;

  private constructor(log: DurableLog) {
    this.#log = log;
  }

  /** A new journal at `path` (an older one there is kept as `path.<time>`), or `append` to carry on one. */
  static async open(path: string, append: boolean): Promise<JournalWriter> {
    await mkdir(dirname(path), { recursive: true });
    if (!append && (await exists(path))) await rename(path, `${path}.${Date.now()}`);
    return new JournalWriter(await DurableLog.open("journal", path, { existing: append ? "append" : "refuse" }));
  }

  /**
   * Appends one line (queued). Each MiB queued is written out, and the
   * answer is then a promise a writer that produces fast (a plan) awaits, so
   * the queue never outgrows a MiB; outcomes may leave it (a resumed run
   * checks the account), and an error surfaces at the next sync or close.
   */
  append(entry: JournalEntry): Promise<void> | undefined {
    const line = `${JSON.stringify(entry)}\n`;
    this.#log.append(line);
    this.#bytes += line.length;
    if (this.#bytes < SYNC_BYTES) return undefined;
    this.#bytes = 0;
    const synced = this.#log.sync();
    synced.catch(() => undefined);
    return synced;
  }

  /** Writes what is queued and fsyncs: the lines are on disk when this resolves. */
  async sync(): Promise<void> {
    this.#bytes = 0;
    await this.#log.sync();
  }

  /** Syncs and closes. */
  async close(): Promise<void> {
    await this.#log.close();
  }
}
