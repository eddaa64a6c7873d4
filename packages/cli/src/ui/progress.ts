/**
 * Progress bars on a terminal, one per kind, with counts, rate and ETA
 * (cli-progress's MultiBar: it redraws in place, and `log` prints a warning
 * above the bars without tearing them). Used only when the output is a TTY;
 * elsewhere the reporter prints plain lines instead.
 * @module
 */
import cliProgress from "cli-progress";
import { onInterrupt } from "../core/interrupt.js";

interface BarState {
  bar: cliProgress.SingleBar;
  started: number;
}

const pad = (kind: string) => kind.padEnd(9);

const drawn = new Set<ProgressBars>();

/** Ends every bar still drawn, before the line of an error that ends the run is printed under them (main). */
export function endBars(): void {
  for (const bars of drawn) bars.stop();
}

/** The bars of one run. */
export class ProgressBars {
  readonly #multi: cliProgress.MultiBar;
  readonly #bars = new Map<string, BarState>();
  /** When the last progress came (at first, when the work began): where the next kind's work began. */
  #last: number;
  // The bars hide the cursor: on Ctrl-C they stop first, or the shell is left without one.
  readonly #forget = onInterrupt(() => this.#end());

  /** @param since - When the work the bars show began (`performance.now()`). */
  constructor(stream: NodeJS.WriteStream, since: number) {
    drawn.add(this);
    this.#last = since;
    this.#multi = new cliProgress.MultiBar(
      {
        stream,
        clearOnComplete: false,
        // A warning logged above the bars moves them down a line; a bar whose text had not changed
        // would otherwise not be redrawn there, and the line it was on would keep another bar's text.
        forceRedraw: true,
        hideCursor: true,
        fps: 10,
        etaBuffer: 50,
        format: (options, params, payload: { kind: string; rate: string; total: number | undefined }) => {
          if (payload.total === undefined) return `${pad(payload.kind)} ${params.value} records  ${payload.rate}/s`;
          const eta =
            params.value >= params.total ? "done" : `ETA ${Number.isFinite(params.eta) ? `${params.eta}s` : "-"}`;
          const counts = `${params.value}/${params.total}  ${payload.rate}/s  ${eta}`;
          // cli-progress cuts a line at the terminal's width: on a narrow one the bar shrinks (or goes) so
          // the counts, rate and ETA stay on screen.
          const room = (stream.columns || 80) - pad(payload.kind).length - counts.length - 3;
          const size = Math.min(options.barsize ?? 30, room);
          if (size < 5) return `${pad(payload.kind)} ${counts}`;
          const done = Math.round(params.progress * size);
          const bar = "█".repeat(done) + "░".repeat(size - done);
          return `${pad(payload.kind)} ${bar} ${counts}`;
        },
      },
      cliProgress.Presets.shades_classic,
    );
  }

  /** Sets the bar of `kind` to `done` of `total` (unknown total: a counter with a rate). */
  update(kind: string, done: number, total: number | undefined): void {
    let state = this.#bars.get(kind);
    if (!state) {
      const bar = this.#multi.create(total ?? 0, 0, { kind, rate: "0", total });
      state = { bar, started: this.#last };
      this.#bars.set(kind, state);
    }
    const now = performance.now();
    this.#last = now;
    const seconds = (now - state.started) / 1000;
    const rate = seconds > 0 ? Math.round(done / seconds).toString() : "-";
    if (total !== undefined) state.bar.setTotal(total);
    state.bar.update(done, { kind, rate, total });
  }

  /** Prints a line above the bars. */
  log(line: string): void {
    this.#multi.log(`${line}\n`);
  }

  /** Draws the final state and releases the terminal. */
  stop(): void {
    drawn.delete(this);
    this.#forget();
    this.#end();
  }

  #end(): void {
    // A redraw first: it prints the lines logged since the last one, which stop() alone would drop.
    this.#multi.update();
    this.#multi.stop();
  }
}
