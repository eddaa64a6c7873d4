/**
 * What a run cut after its plan (an error that ends it, or a signal) tells
 * the user to do next. On the account the journal holds the plan, so the run
 * is carried on with `--resume`, unless the answer that cut it is one a
 * resume gets again (a 501; a 410, since a resume runs under the journal's
 * API version); on `migrate test`'s copy there is nothing to resume: the
 * copy and its journals are removed when the test ends. The cause is kept in
 * the journal (a `cut` line), so what reads it later (`history`, `current`,
 * the next run, `--resume`) says what the cut said, worded here once.
 * @module
 */
import { ApiVersionGoneError } from "@resonantgenesis/sdk";
import { notImplemented } from "../core/errors.js";
import { CliError } from "../exit.js";
import type { CutEntry } from "./journal.js";
import type { Session } from "./session.js";

const ON_COPY = "on migrate test's copy (the account was not written to; the copy and its journals are gone)";

/** A run cut after its plan: its revision and direction, its journal, and its backup by its absolute path (or null). */
export interface CutFacts {
  revision: string;
  direction: "up" | "down";
  path: string;
  backup: string | null;
}

/** The note an interrupt prints once the plan is in the journal. */
export function interruptNote(session: Session, direction: "up" | "down"): string {
  return session.onCopy
    ? `the run was ${ON_COPY}: run \`resonant migrate test\` again`
    : `carry on with \`resonant migrate ${direction} --resume\``;
}

/** The journal line that says why `error` cut the run. */
export function cutEntry(error: unknown): CutEntry {
  const cause = error instanceof CliError ? error.cause : error;
  const at = new Date().toISOString();
  if (notImplemented(cause)) return { t: "cut", cause: "not_implemented", at };
  // A 401 or 403 is got past by resuming with another key; a version gone, not: the journal's writes are its version's.
  if (cause instanceof ApiVersionGoneError)
    return {
      t: "cut",
      cause: "api_version_gone",
      ...(cause.apiVersion === undefined ? {} : { api_version: cause.apiVersion }),
      at,
    };
  return { t: "cut", cause: null, at };
}

/** Why a resume of a journal cut as `cut` says cannot get past its cause, or undefined when it can once the cause is gone. */
function beyondResume(cut: CutEntry | undefined): string | undefined {
  // A cause this version does not know (a newer one's) is taken as a kill's: --resume, as before the cause was kept.
  switch (cut?.cause) {
    case "not_implemented":
      return "the server does not implement this request (501 Not Implemented), and answers it the same when a resume sends it again, until it implements it";
    case "api_version_gone":
      return `the server no longer serves API ${cut.api_version ?? "the journal's version"}, and a resume runs under the API version the journal was planned with`;
    default:
      return undefined;
  }
}

/**
 * What to do with the journal of `run`, cut as `cut` records, when `--resume` cannot carry it on (undefined when it
 * can: a cause a resume gets past, or none recorded, a kill's): put back what went out, move the journal away, plan anew.
 */
export function notResumable(run: CutFacts, cut: CutEntry | undefined): string | undefined {
  const why = beyondResume(cut);
  if (why === undefined) return undefined;
  const { revision, direction, path, backup } = run;
  const undo = backup
    ? `\`resonant restore ${backup}\` puts back what they changed (\`--prune\` also deletes what they created)`
    : "no backup was taken (--no-backup): the journal's before-images hold what they changed";
  return `${direction} ${revision} was cut with its plan in ${path}, and \`--resume\` cannot carry it on: ${why}. Writes before it may have gone out: ${undo}; then move ${path} away, and the next \`resonant migrate ${direction}\` plans ${revision} anew`;
}

/**
 * Refuses, before anything is written, a run that would carry on the journal of `run`, cut as `cut` records, when a
 * resume cannot get past that cause: the advice the cut gave. A cause a resume gets past, or none, is let through.
 */
export function refuseNotResumable(run: CutFacts, cut: CutEntry | undefined): void {
  const advice = notResumable(run, cut);
  if (advice !== undefined) throw new CliError(`migrate ${advice}; nothing was written`);
}

/**
 * The error that ends a run cut by `error` after its plan (in the journal at `path`, with the backup written before
 * its first write, as the run names it, or null): it says how to carry on.
 */
export function cutError(session: Session, run: CutFacts, error: unknown): CliError {
  const { revision, direction, path } = run;
  const message = error instanceof Error ? error.message : String(error);
  const options = { cause: error, exitCode: error instanceof CliError ? error.exitCode : undefined };
  if (session.onCopy)
    return new CliError(
      `${message}; ${direction} ${revision} was cut ${ON_COPY}: run \`resonant migrate test\` again once the cause is gone`,
      options,
    );
  // Writes may have gone out and the next run is refused until this one is resumed: the message says how.
  const advice = notResumable(run, cutEntry(error));
  if (advice !== undefined) return new CliError(`${message}; ${advice}`, options);
  return new CliError(
    `${message}; ${direction} ${revision} was cut with its plan in ${path}: carry on with \`resonant migrate ${direction} --resume\` once the cause is gone`,
    options,
  );
}
