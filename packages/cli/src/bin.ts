#!/usr/bin/env node
/**
 * The `resonant` executable: runs the CLI and ends with its exit code.
 * @module
 */
import { guardSignals } from "./core/interrupt.js";
import { EXIT } from "./exit.js";
import { causeOf } from "./fs/file-error.js";

// Before the commands load (most of the start-up): a signal meanwhile ends the run with its line and code.
guardSignals();

// A reader that goes away (`resonant versions | head -1`) ends the output, not the run: the work goes on
// and the exit code says how it went. Any other write error (a full disk behind `> out.txt`) loses what the
// user asked to see, so it is said in one line and the run ends with exit 1, but only once its work is done:
// an import stopped half-way by a report it could not print would be worse than the report lost. An archive
// on standard output is the export's own (a SafeFile, with its own listener), which fails that export and
// says so itself.
let lost = false;
for (const [stream, name] of [
  [process.stdout, "standard output"],
  [process.stderr, "standard error"],
] as const)
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE" || lost) return;
    lost = true;
    // Set here too: the last lines' error comes after main() has answered.
    process.exitCode = EXIT.failed;
    if (stream === process.stdout && stream.listenerCount("error") === 1)
      process.stderr.write(`resonant: ${name}: ${causeOf(error)}\n`);
  });

const { main } = await import("./program.js");
const code = await main(process.argv);
process.exitCode = lost ? EXIT.failed : code;
