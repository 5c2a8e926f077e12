/**
 * Time as the core sees it: a monotonic clock, a wall clock and one-shot
 * timers, injected so tests and `--virtual-clock` can drive it.
 *
 * @module
 */

/** Cancels a timer; calling it again, or after the timer fired, is harmless. */
export type CancelTimer = () => void;

/** The time source every time-dependent part of the BMC uses. */
export interface Clock {
  /** Monotonic milliseconds (arbitrary origin, never goes back). */
  now(): number;
  /** Wall-clock milliseconds since the Unix epoch. */
  wallMs(): number;
  /**
   * Run `callback` once, no earlier than `delayMs` from now.
   *
   * @param callback Function to run.
   * @param delayMs Delay in milliseconds (negative is treated as 0).
   * @returns A function that cancels the timer.
   */
  setTimer(callback: () => void, delayMs: number): CancelTimer;
}

/**
 * The real clock: `performance.now()`, `Date.now()` and `setTimeout`. A timer
 * that the host fires early (sub-millisecond rounding) is re-armed, so a
 * callback never runs before its deadline on this clock's `now()`.
 */
export class SystemClock implements Clock {
  /** Monotonic milliseconds from `performance.now()`. */
  now(): number {
    return performance.now();
  }

  /** Wall-clock milliseconds from `Date.now()`. */
  wallMs(): number {
    return Date.now();
  }

  /**
   * Schedule `callback` after `delayMs` with `setTimeout`.
   *
   * @param callback Function to run.
   * @param delayMs Delay in milliseconds.
   * @returns Cancel function.
   */
  setTimer(callback: () => void, delayMs: number): CancelTimer {
    const due = this.now() + Math.max(0, delayMs);
    let handle: ReturnType<typeof setTimeout> | undefined;
    const arm = (ms: number): void => {
      handle = setTimeout(() => {
        const left = due - this.now();
        if (left > 0) arm(Math.ceil(left));
        else {
          handle = undefined;
          callback();
        }
      }, ms);
    };
    arm(Math.max(0, delayMs));
    return () => {
      if (handle !== undefined) clearTimeout(handle);
      handle = undefined;
    };
  }
}
