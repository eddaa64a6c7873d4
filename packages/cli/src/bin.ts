#!/usr/bin/env node
/**
 * The `resonant` executable: runs the CLI and ends with its exit code.
 * @module
 */
import { main } from "./program.js";

// A reader that goes away (`resonant versions | head -1`) ends the output, not the run: the work goes on
// and the exit code says how it went. An archive on standard output is the export's own (a SafeFile),
// which fails that export. Any other error of the streams stays fatal.
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });

process.exitCode = await main(process.argv);
