/**
 * A migration's own code that awaits what nothing will settle (`await new Promise(() => {})`, a callback
 * never called): once nothing else is left to run, Node would end the process with exit 13 and not a word,
 * leaving the run's lease and journal behind. Raced here against the event loop running dry.
 * @module
 */
import { CliError } from "../exit.js";

/**
 * `work`, or a {@link CliError} saying `what` never settled, once Node's event loop has nothing left to run
 * while `work` is pending (its `beforeExit`): the run then ends as for a migration that threw, lease given back.
 */
export function unlessNeverSettled<T>(work: Promise<T>, what: string, ending = "nothing was written"): Promise<T> {
  let onDry!: () => void;
  const dry = new Promise<never>((_, reject) => {
    onDry = () =>
      reject(
        new CliError(
          `${what} never settled: it awaits a promise that nothing is left to resolve (no request, timer or callback is pending); ${ending}`,
        ),
      );
  });
  process.once("beforeExit", onDry);
  return Promise.race([work, dry]).finally(() => process.off("beforeExit", onDry));
}
