/**
 * Rate limiting for warnings about things a peer can repeat at will
 * (garbage frames, refused connections): the first one is logged, then at
 * most one per interval, carrying how many were left out in between.
 *
 * @module
 */

/** What the limit needs of a clock: monotonic milliseconds. */
export interface MonotonicClock {
  /** Monotonic time, ms. */
  now(): number;
}

/** Lets one occurrence through per interval and counts the rest. */
export class RateLimit {
  readonly #clock: MonotonicClock;
  readonly #intervalMs: number;
  #last = -Infinity;
  #skipped = 0;

  /**
   * Create a limit.
   *
   * @param clock Time source.
   * @param intervalMs Minimum time between two occurrences let through.
   */
  constructor(clock: MonotonicClock, intervalMs: number) {
    this.#clock = clock;
    this.#intervalMs = intervalMs;
  }

  /**
   * Count one occurrence.
   *
   * @returns `null` when it is to be left out, otherwise how many were left
   *   out since the last one let through.
   */
  take(): number | null {
    const now = this.#clock.now();
    if (now - this.#last < this.#intervalMs) {
      this.#skipped++;
      return null;
    }
    this.#last = now;
    const skipped = this.#skipped;
    this.#skipped = 0;
    return skipped;
  }
}
