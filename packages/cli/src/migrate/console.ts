/**
 * Under `--json`, standard output is the run's events, one JSON object a line, and a migration's own
 * `console.log` (at import, in `up()` or `down()`) would put its text among them, where a reader of the
 * events fails on the first line that is not JSON. For the length of a `migrate` command run with `--json`,
 * the console's methods that write to standard output write to standard error instead, where the run's
 * warnings and errors already go. resonant itself never writes through the console (the reporter writes to
 * its stream), so only code of the migrations is moved; `process.stdout.write` is not, nor `process.exit`.
 * @module
 */
import { Console } from "node:console";

/** The methods of `console` that write to standard output (`warn`, `error` and `trace` write to standard error). */
const TO_STDOUT = [
  "log",
  "info",
  "debug",
  "dir",
  "dirxml",
  "table",
  "count",
  "group",
  "groupCollapsed",
  "timeLog",
  "timeEnd",
] as const;

/** Runs `work` with `console`'s standard output methods writing to standard error; puts them back after. */
export async function consoleToStderr<T>(work: () => Promise<T>): Promise<T> {
  const stderr = new Console({ stdout: process.stderr, stderr: process.stderr });
  const saved = TO_STDOUT.map((name) => [name, console[name]] as const);
  for (const name of TO_STDOUT) (console as unknown as Record<string, unknown>)[name] = stderr[name].bind(stderr);
  try {
    return await work();
  } finally {
    for (const [name, method] of saved) (console as unknown as Record<string, unknown>)[name] = method;
  }
}
