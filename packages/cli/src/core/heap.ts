/**
 * A bound on the garbage a long run leaves behind. V8 sizes its old
 * generation for throughput: a run that holds 10-16 MB could let 60-70 MB of
 * dead objects build up before its first full collection, or not, by the
 * timing of its first one (`migrate up` of 100,000 agents peaked at either
 * about 115 or about 160 MB of RSS, half the runs each). While a command
 * runs, the old generation is checked four times a second, and when it has
 * grown past twice what the last collection the CLI asked for left (at least
 * 32 MB), V8 is asked for a concurrent full collection. (Checking at each
 * young collection, through a gc PerformanceObserver, cost a 1M-record export
 * 5-8 MB of RSS for entries it never needed.)
 *
 * That needs V8's `gc`, which the CLI takes through `--expose-gc`, set for
 * the instant it makes a context to read it from (as jest's leak detector
 * does), and only once a run's old generation first passes the bound. Where
 * that fails, nothing is governed and the run goes on as V8 decides.
 * @module
 */
import v8 from "node:v8";
import { runInNewContext } from "node:vm";

type Gc = (options: { type: "major"; execution: "async" }) => void;

const FLOOR_BYTES = 32 * 1024 * 1024;
const CHECK_EVERY_MS = 250;

function oldSpaceUsed(): number {
  for (const space of v8.getHeapSpaceStatistics()) if (space.space_name === "old_space") return space.space_used_size;
  return 0;
}

let taken: Gc | null | undefined;

/** V8's `gc`: the one the process was started with (`--expose-gc`), else one read through a fresh context; null if neither. */
export function takeGc(): Gc | null {
  if (taken !== undefined) return taken;
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === "function") return (taken = exposed as Gc);
  try {
    v8.setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as unknown;
    taken = typeof gc === "function" ? (gc as Gc) : null;
  } catch {
    taken = null;
  } finally {
    // Only the context made above sees it: the host's own contexts, and later ones, stay as they were.
    v8.setFlagsFromString("--no-expose-gc");
  }
  return taken;
}

/** Governs the heap (see the module comment) until the answer is called. */
export function governHeap(): () => void {
  let limit = FLOOR_BYTES;
  let asked = false;
  const timer = setInterval(() => {
    const used = oldSpaceUsed();
    if (asked) {
      // The collection asked for last time has run: a concurrent one over such a heap takes well under the interval.
      limit = Math.max(FLOOR_BYTES, 2 * used);
      asked = false;
    } else if (used > limit) {
      const gc = takeGc();
      if (gc === null) return clearInterval(timer);
      asked = true;
      gc({ type: "major", execution: "async" });
    }
  }, CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
