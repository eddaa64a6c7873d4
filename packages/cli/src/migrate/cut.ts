/**
 * What a run cut after its plan (an error that ends it, or a signal) tells
 * the user to do next. On the account the journal holds the plan, so the run
 * is carried on with `--resume`; on `migrate test`'s copy there is nothing to
 * resume: the copy and its journals are removed when the test ends.
 * @module
 */
import { CliError } from "../exit.js";
import type { Session } from "./session.js";

const ON_COPY = "on migrate test's copy (the account was not written to; the copy and its journals are gone)";

/** The note an interrupt prints once the plan is in the journal. */
export function interruptNote(session: Session, direction: "up" | "down"): string {
  return session.onCopy
    ? `the run was ${ON_COPY}: run \`resonant migrate test\` again`
    : `carry on with \`resonant migrate ${direction} --resume\``;
}

/** The error that ends a run cut by `error` after its plan (in the journal at `path`): it says how to carry on. */
export function cutError(
  session: Session,
  revision: string,
  direction: "up" | "down",
  path: string,
  error: unknown,
): CliError {
  const message = error instanceof Error ? error.message : String(error);
  const options = { cause: error, exitCode: error instanceof CliError ? error.exitCode : undefined };
  if (session.onCopy)
    return new CliError(
      `${message}; ${direction} ${revision} was cut ${ON_COPY}: run \`resonant migrate test\` again once the cause is gone`,
      options,
    );
  // Writes may have gone out and the next run is refused until this one is resumed: the message says how.
  return new CliError(
    `${message}; ${direction} ${revision} was cut with its plan in ${path}: carry on with \`resonant migrate ${direction} --resume\` once the cause is gone`,
    options,
  );
}
