/**
 * A settable clock. Everything time-based in the mock (timestamps, the
 * lifecycle "auto" state, idempotency expiry, rate-limit windows) reads this
 * clock, so tests can jump to any date without waiting.
 * @module
 */

/** The clock of a mock API. */
export interface MockClock {
  /** The mock's current time. */
  now(): Date;
  /** Moves the clock to `date`; time keeps flowing from there. */
  set(date: Date | string): void;
  /** Moves the clock forward (or back, when negative) by `ms` milliseconds. */
  advance(ms: number): void;
}

/**
 * Creates a clock that runs at real speed from an offset. It keeps flowing
 * (rather than freezing) so that objects created one after the other still
 * get increasing timestamps, while `set` and `advance` jump instantly.
 */
export function createClock(start?: Date | string): MockClock & { restart(start?: Date | string): void } {
  let offset = 0;
  const toMs = (date: Date | string): number => {
    const ms = typeof date === "string" ? Date.parse(date) : date.getTime();
    if (Number.isNaN(ms)) throw new TypeError(`not a date: ${String(date)}`);
    return ms;
  };
  const clock = {
    now: () => new Date(Date.now() + offset),
    set(date: Date | string) {
      offset = toMs(date) - Date.now();
    },
    advance(ms: number) {
      offset += ms;
    },
    restart(at?: Date | string) {
      offset = 0;
      if (at !== undefined) clock.set(at);
    },
  };
  clock.restart(start);
  return clock;
}
