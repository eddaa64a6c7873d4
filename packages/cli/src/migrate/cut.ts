/**
 * What a run cut after its plan (an error that ends it, or a signal) tells
 * the user to do next. On the account the journal holds the plan, so the run
 * is carried on with `--resume`, unless the answer that cut it is one a
 * resume gets again (a 501; a 410, since a resume runs under the journal's
 * API version); on `migrate test`'s copy there is nothing to resume: the
 * copy and its journals are removed when the test ends.
 * @module
 */
import { ApiVersionGoneError } from "@resonantgenesis/sdk";
import { notImplemented } from "../core/errors.js";
import { CliError } from "../exit.js";
import type { Session } from "./session.js";

const ON_COPY = "on migrate test's copy (the account was not written to; the copy and its journals are gone)";

/** The note an interrupt prints once the plan is in the journal. */
export function interruptNote(session: Session, direction: "up" | "down"): string {
  return session.onCopy
    ? `the run was ${ON_COPY}: run \`resonant migrate test\` again`
    : `carry on with \`resonant migrate ${direction} --resume\``;
}

/** Why a resume of the journal cannot get past `error`, or undefined when it can once the cause is gone. */
function beyondResume(error: unknown): string | undefined {
  const cause = error instanceof CliError ? error.cause : error;
  if (notImplemented(cause))
    return "the server does not implement this request (501 Not Implemented), and answers it the same when a resume sends it again, until it implements it";
  // A 401 or 403 is got past by resuming with another key; a version gone, not: the journal's writes are its version's.
  if (cause instanceof ApiVersionGoneError)
    return `the server no longer serves API ${cause.apiVersion ?? "the journal's version"}, and a resume runs under the API version the journal was planned with`;
  return undefined;
}

/**
 * The error that ends a run cut by `error` after its plan (in the journal at `path`, with the backup written before
 * its first write, as the run names it, or null): it says how to carry on.
 */
export function cutError(
  session: Session,
  run: { revision: string; direction: "up" | "down"; path: string; backup: string | null },
  error: unknown,
): CliError {
  const { revision, direction, path, backup } = run;
  const message = error instanceof Error ? error.message : String(error);
  const options = { cause: error, exitCode: error instanceof CliError ? error.exitCode : undefined };
  if (session.onCopy)
    return new CliError(
      `${message}; ${direction} ${revision} was cut ${ON_COPY}: run \`resonant migrate test\` again once the cause is gone`,
      options,
    );
  // Writes may have gone out and the next run is refused until this one is resumed: the message says how.
  const why = beyondResume(error);
  if (why !== undefined) {
    const undo = backup
      ? `\`resonant restore ${backup}\` puts back what they changed (\`--prune\` also deletes what they created)`
      : "no backup was taken (--no-backup): the journal's before-images hold what they changed";
    return new CliError(
      `${message}; ${direction} ${revision} was cut with its plan in ${path}, and \`--resume\` cannot carry it on: ${why}. Writes before it may have gone out: ${undo}; then move ${path} away, and the next \`resonant migrate ${direction}\` plans ${revision} anew`,
      options,
    );
  }
  return new CliError(
    `${message}; ${direction} ${revision} was cut with its plan in ${path}: carry on with \`resonant migrate ${direction} --resume\` once the cause is gone`,
    options,
  );
}
