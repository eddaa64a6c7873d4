/**
 * The exit codes of `resonant` (documented in docs/migration.md and the CLI README) and the
 * one error type the commands throw for a clean, one-line failure.
 * @module
 */

/** The process exit codes. */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** Failed: bad input, auth, a gone version, anything fatal. */
  failed: 1,
  /** Partial: some items failed, the rest went in. */
  partial: 2,
  /** `verify` or a dry run found differences. */
  differences: 3,
} as const;

/** The exit codes as `resonant --help` lists them (an interrupt ends with 128 + the signal, see core/interrupt.ts). */
export const EXIT_HELP = `
Exit codes: ${EXIT.ok} done, ${EXIT.failed} failed, ${EXIT.partial} partial (some items failed, the rest went in),
${EXIT.differences} differences found (verify, a dry run), 130 interrupted by Ctrl-C (128 + the signal).`;

/** One of {@link EXIT}'s values. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * A failure the user can act on: printed as one line (`resonant: <message>`),
 * never with a stack, and ending the process with `exitCode`.
 */
export class CliError extends Error {
  /** The exit code the process ends with. */
  readonly exitCode: ExitCode;
  constructor(message: string, options: { exitCode?: ExitCode; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CliError";
    this.exitCode = options.exitCode ?? EXIT.failed;
  }
}

/** Standard output is a file the run reads (`>> backup.json`): nothing is written there, not even the --json error event. */
export class StdoutIsInputError extends CliError {
  constructor(message: string) {
    super(message);
    this.name = "StdoutIsInputError";
  }
}

/**
 * A bad archive: names the file and where in it (byte offset, and the record
 * or line when known), so a user can look at the very spot.
 */
export class ArchiveError extends CliError {
  /** The file (or `-` for stdin). */
  readonly file: string;
  /** Where in the file: a byte offset, a line, a record. */
  readonly position: string;
  constructor(file: string, position: string, problem: string) {
    super(`${file}: ${position}: ${problem}`);
    this.name = "ArchiveError";
    this.file = file;
    this.position = position;
  }
}
