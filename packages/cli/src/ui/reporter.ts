/**
 * Everything a command tells the user goes through one Reporter, which picks
 * the form: progress bars on a terminal; plain, stable lines elsewhere (no
 * carriage returns in CI logs); one JSON object per event with `--json`, the
 * summary last; with `--quiet`, nothing but warnings, errors and the answer
 * to a question (`migrate current`, `history`, `versions`). Every line is
 * redacted first, so no key or secret is ever printed, and made printable
 * (`printable.ts`), so nothing from an archive or a server acts on the terminal.
 * @module
 */
import type { KindTotals } from "../archive/checkpoint.js";
import { ProgressBars } from "./progress.js";
import { printable, printableJson } from "./printable.js";
import { renderTable } from "./table.js";

/** How output looks. */
export interface ReporterOptions {
  /** One JSON object per event. */
  json: boolean;
  /** Warnings, errors and answers only (no progress, no notes). */
  quiet: boolean;
  /** Where human output and JSON events go (stderr when stdout carries an archive). */
  stream: NodeJS.WriteStream;
}

/** Where --json events go: standard output, or standard error once a command gives standard output to its archive. */
let events: NodeJS.WriteStream = process.stdout;

/** Sends --json events (the reporters', and the error event that ends a run) to `stream` from now on. */
export function useEventStream(stream: NodeJS.WriteStream): void {
  events = stream;
}

/** Where --json events go now (see {@link useEventStream}). */
export function eventStream(): NodeJS.WriteStream {
  return events;
}

/** One row of the summary table. */
export interface SummaryRow extends KindTotals {
  /** The kind. */
  kind: string;
}

/** A column of the summary table: its header and the total it shows. */
export type SummaryColumn = readonly [header: string, total: keyof KindTotals];

/**
 * The columns of a command that writes to an account (import, copy, restore, migrate). `imported` is the API's
 * own word: with an overwrite (restore, `--on-conflict overwrite`) it counts the objects replaced too, which the
 * import answer does not tell apart from new ones; `created` said otherwise after a restore that created nothing.
 */
export const TRANSFER_COLUMNS: readonly SummaryColumn[] = [
  ["read", "read"],
  ["imported", "created"],
  ["skipped", "skipped"],
  ["failed", "failed"],
];

/** See the module comment. */
export class Reporter {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly #stream: NodeJS.WriteStream;
  /** The bars being drawn (made on the first progress, ended by `stop`). */
  #bars: ProgressBars | undefined;
  readonly #tty: boolean;
  readonly #warned = new Set<string>();
  readonly #lastLine = new Map<string, number>();
  /** When the work the next bars show began: the start, or the last line of information (a check done, say). */
  #since = performance.now();

  constructor(options: ReporterOptions) {
    this.json = options.json;
    this.quiet = options.quiet;
    this.#stream = options.stream;
    const tty = Boolean(options.stream.isTTY) && process.env.TERM !== "dumb";
    this.#tty = tty && !options.json && !options.quiet;
  }

  /** True when progress is drawn as bars (a terminal). */
  get interactive(): boolean {
    return this.#tty;
  }

  /** Emits a JSON event (`--json` only). */
  event(type: string, fields: Record<string, unknown> = {}): void {
    if (this.json) this.#stream.write(`${printableJson({ event: type, ...fields })}\n`);
  }

  /** A line of information (not with --quiet; an `info` event with --json). */
  info(message: string): void {
    this.#since = performance.now();
    if (this.json) this.event("info", { message });
    else if (!this.quiet) this.#line(message);
  }

  /** A warning: once per distinct text, to stderr (a `warning` event with --json), even with --quiet. */
  warn(message: string): void {
    if (this.#warned.has(message)) return;
    this.#warned.add(message);
    if (this.json) this.event("warning", { message });
    else this.#stderr(`warning: ${message}`);
  }

  /** A debug line (the SDK's requests, with RESONANT_LOG=debug): to stderr (a `debug` event with --json), even with --quiet. */
  debug(message: string): void {
    if (this.json) this.event("debug", { message });
    else this.#stderr(`debug: ${message}`);
  }

  /**
   * Progress of `kind`: `done` of `total` (undefined when not known yet).
   * Plain lines and `--json` events come at most one per 10,000 records
   * unless `force` (a kind's end, a batch of an import), so a million-record
   * export logs a hundred lines, not a million.
   */
  progress(kind: string, done: number, total: number | undefined, force = false): void {
    if (this.quiet && !this.json) return;
    if (this.#tty) {
      this.#bars ??= new ProgressBars(this.#stream, this.#since);
      // Drawn by the bars themselves, not through #line: a kind comes from the archive.
      this.#bars.update(printable(kind), done, total);
      return;
    }
    const last = this.#lastLine.get(kind) ?? 0;
    if (!force && done - last < 10_000) return;
    this.#lastLine.set(kind, done);
    if (this.json) this.event("progress", { kind, done, total: total ?? null });
    else this.#line(`${kind}: ${done}${total === undefined ? "" : `/${total}`}`);
  }

  /**
   * The summary table, a row per kind and their total, and with --json the `summary` event, last.
   * `columns` are the totals the command can have (an export creates and skips nothing); the event
   * carries every total whatever it shows.
   */
  summary(
    rows: readonly SummaryRow[],
    fields: Record<string, unknown> = {},
    title?: string,
    columns: readonly SummaryColumn[] = TRANSFER_COLUMNS,
  ): void {
    this.#stopBars();
    if (this.json) {
      this.event("summary", { kinds: rows, ...fields });
      return;
    }
    if (this.quiet) return;
    if (rows.length === 0) {
      if (title) this.#line(title);
      return;
    }
    const total = columns.map(([, key]) => rows.reduce((sum, row) => sum + row[key], 0));
    const table = renderTable(
      ["kind", ...columns.map(([header]) => header)],
      [...rows.map((row) => [row.kind, ...columns.map(([, key]) => row[key])]), ["total", ...total]],
    );
    this.#line(`${title ? `${title}\n` : ""}${table}`);
  }

  /** Prints a block of text as it is (human modes only, not with --quiet). */
  text(block: string): void {
    if (this.json || this.quiet) return;
    this.#line(block);
  }

  /**
   * The answer of a command that asks rather than does (`migrate current`, `history`, `versions`): printed even with
   * --quiet, which silences progress and notes, not what the user asked for; nothing with --json, whose summary
   * event carries it.
   */
  answer(block: string): void {
    this.#stopBars();
    if (!this.json) this.#line(block);
  }

  /** Ends the bars drawn so far (before a prompt, or at the end); later progress draws new ones. */
  stop(): void {
    this.#stopBars();
  }

  #stopBars(): void {
    this.#bars?.stop();
    this.#bars = undefined;
  }

  #stderr(text: string): void {
    this.#line(text, process.stderr);
  }

  /** A line to `stream` (the output's by default), or above the bars while they are drawn. */
  #line(text: string, stream: NodeJS.WritableStream = this.#stream): void {
    if (this.#bars) this.#bars.log(printable(text));
    else stream.write(`${printable(text)}\n`);
  }
}
