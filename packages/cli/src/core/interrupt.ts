/**
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP. The run stops at once, as a crash
 * would: every command is made to survive one (an import or copy carries on
 * with `--resume`, a migration with `migrate up --resume`). But first the
 * cleanups registered here run, synchronously: a half-written temporary file
 * is removed (an interrupted `export --out` left hundreds of MB beside its
 * target) and progress bars give the terminal its cursor back. Then one line
 * says what happened, and the process exits with 128 + the signal's number
 * (130 for Ctrl-C), as shells do.
 * @module
 */
import { constants } from "node:os";

/** A cleanup: runs once on an interrupt; a string it answers is a note for the user (`--out x.json was not written`). */
export type Cleanup = () => unknown;

const cleanups = new Set<Cleanup>();
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** Registers `cleanup` for an interrupt; the answer unregisters it (once what it undoes is done or undone). */
export function onInterrupt(cleanup: Cleanup): () => void {
  cleanups.add(cleanup);
  return () => void cleanups.delete(cleanup);
}

/**
 * Handles the signals for the length of a command: `print` writes the closing line (plain, or a `--json`
 * event). The answer stops handling them.
 */
export function handleInterrupts(print: (message: string, exitCode: number) => void): () => void {
  const interrupted = (signal: (typeof SIGNALS)[number]) => {
    const notes: string[] = [];
    // Newest first, as a stack unwinds: the bars stop before a line is printed under them.
    for (const cleanup of [...cleanups].reverse()) {
      try {
        const note = cleanup();
        if (typeof note === "string") notes.push(note);
      } catch {
        // One cleanup's failure must not keep the others from running.
      }
    }
    cleanups.clear();
    const exitCode = 128 + constants.signals[signal];
    print(`interrupted (${signal})${notes.length > 0 ? `; ${notes.join("; ")}` : ""}`, exitCode);
    process.exit(exitCode);
  };
  for (const signal of SIGNALS) process.on(signal, interrupted);
  return () => {
    for (const signal of SIGNALS) process.off(signal, interrupted);
    // What a failed command left registered is over with it.
    cleanups.clear();
  };
}
