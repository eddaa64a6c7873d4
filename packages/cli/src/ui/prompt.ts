/**
 * Asking a person at a terminal to confirm (`restore`, `migrate`): a `[y/N]`
 * question on standard error, answered on standard input.
 * @module
 */
import { createInterface } from "node:readline/promises";

/** Whether a person is at a terminal to confirm. */
export function interactive(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

/**
 * Asks `question`; true only for y or yes. Ctrl-C at the question interrupts the run as it would
 * anywhere else (exit 130, see core/interrupt.ts), rather than end as readline's own failure.
 */
export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  rl.on("SIGINT", () => {
    process.stderr.write("\n");
    process.kill(process.pid, "SIGINT");
  });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
    // Let the process end: readline left standard input flowing.
    process.stdin.pause();
  }
}
