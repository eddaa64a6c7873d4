/**
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP. The run stops at once, as a crash
 * would: every command is made to survive one (an import or copy carries on
 * with `--resume`, a migration with `migrate up --resume`). But first the
 * cleanups registered here run, synchronously: a half-written temporary file
 * is removed (an interrupted `export --out` left hundreds of MB beside its
 * target) and progress bars give the terminal its cursor back. Then one line
 * says what happened, and the process exits with 128 + the signal's number
 * (130 for Ctrl-C), as shells do.
 *
 * A cleanup may answer a promise (a migration giving its lease back): the
 * exit then waits for it, {@link ASYNC_CLEANUP_MS} at most. Meanwhile the run
 * is stopped all the same: from the signal on, {@link gate} holds every
 * request that no cleanup lets through, so nothing the run was doing goes
 * out while a cleanup's request does. A second signal exits at once.
 * @module
 */
import { constants } from "node:os";

/** A cleanup: runs once on an interrupt; a string it answers is a note for the user (`--out x.json was not written`). */
export type Cleanup = () => unknown;

const cleanups = new Set<Cleanup>();
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
/** How long the exit waits for cleanups that answered a promise: an interrupt still ends the run promptly. */
const ASYNC_CLEANUP_MS = 3000;

/** A request about to be sent, as the SDK's Node transport shows it to `beforeAttempt`. */
export interface Attempt {
  method: string;
  url: string;
}

let halted = false;
const passes = new Set<(attempt: Attempt) => boolean>();

/**
 * Every request's first step (the CLI's clients call it before each attempt): once a signal has come, a request
 * that no cleanup lets through ({@link letThrough}) is held for good, never sent; the process exits soon after.
 */
export async function gate(attempt: Attempt): Promise<void> {
  if (!halted) return;
  for (const pass of passes) if (pass(attempt)) return;
  await new Promise<never>(() => undefined);
}

/** Lets requests `pass` accepts go out after a signal (a cleanup's own); the answer stops letting them. */
export function letThrough(pass: (attempt: Attempt) => boolean): () => void {
  passes.add(pass);
  return () => void passes.delete(pass);
}

/** Registers `cleanup` for an interrupt; the answer unregisters it (once what it undoes is done or undone). */
export function onInterrupt(cleanup: Cleanup): () => void {
  cleanups.add(cleanup);
  return () => void cleanups.delete(cleanup);
}

type Signal = (typeof SIGNALS)[number];
type Handler = (signal: Signal) => void;

/** The handler outside a command, once {@link guardSignals} has run: the process's start, then its end. */
let outside: Handler | undefined;

function listen(from: Handler | undefined, to: Handler | undefined): void {
  for (const signal of SIGNALS) {
    if (from) process.off(signal, from);
    if (to) process.on(signal, to);
  }
}

/** The `--out` (`-o`) value in `args`, in any spelling commander takes (`--out F`, `--out=F`, `-o F`, `-oF`). */
function outOf(args: readonly string[]): string | undefined {
  for (const [i, arg] of args.entries()) {
    if (arg === "--out" || arg === "-o") return args[i + 1];
    const joined = /^(?:--out=|-o)(.+)$/.exec(arg);
    if (joined) return joined[1];
  }
  return undefined;
}

/**
 * Handles the signals for the whole life of the `resonant` process (bin.ts, before the commands load): a signal
 * while it starts ends it with the usual line and code, and one after its command ended only hastens the exit,
 * with the command's code. Left to Node's default, either killed it with no word.
 */
export function guardSignals(): void {
  // Read from argv as main() reads it, nothing being parsed yet. An export or upgrade without --out may have its
  // standard output redirected to the archive's file: its events go to standard error, as once it runs.
  const args = process.argv.slice(2);
  const json = args.includes("--json");
  const archiveOut = args.some((a) => a === "export" || a === "upgrade") && [undefined, "-"].includes(outOf(args));
  outside = (signal) => {
    const exitCode = 128 + constants.signals[signal];
    const message = `interrupted (${signal})`;
    const event = `${JSON.stringify({ event: "error", message, exit_code: exitCode })}\n`;
    if (json) (archiveOut ? process.stderr : process.stdout).write(event);
    process.stderr.write(`resonant: ${message}\n`);
    process.exit(exitCode);
  };
  listen(undefined, outside);
}

/**
 * Handles the signals for the length of a command: `print` writes the closing line (plain, or a `--json`
 * event). The answer stops handling them.
 */
export function handleInterrupts(print: (message: string, exitCode: number) => void): () => void {
  let stopping = false;
  const interrupted: Handler = (signal) => {
    const exitCode = 128 + constants.signals[signal];
    if (stopping) process.exit(exitCode); // a second signal: no more waiting
    stopping = true;
    halted = true;
    const notes: string[] = [];
    const waits: Promise<unknown>[] = [];
    // Newest first, as a stack unwinds: the bars stop before a line is printed under them.
    for (const cleanup of [...cleanups].reverse()) {
      try {
        const note = cleanup();
        if (typeof note === "string") notes.push(note);
        else if (note instanceof Promise)
          waits.push(note.then((n) => typeof n === "string" && notes.push(n)).catch(() => undefined));
      } catch {
        // One cleanup's failure must not keep the others from running.
      }
    }
    cleanups.clear();
    const exit = () => {
      print(`interrupted (${signal})${notes.length > 0 ? `; ${notes.join("; ")}` : ""}`, exitCode);
      process.exit(exitCode);
    };
    if (waits.length === 0) exit();
    else void Promise.race([Promise.all(waits), new Promise((r) => setTimeout(r, ASYNC_CLEANUP_MS))]).then(exit);
  };
  listen(outside, interrupted);
  return () => {
    // The work is over: what is left is the exit, which a signal only hastens (bin.ts has set the code by then).
    if (outside) outside = () => process.exit();
    listen(interrupted, outside);
    // What a failed command left registered is over with it.
    cleanups.clear();
  };
}
