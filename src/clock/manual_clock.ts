/**
 * A clock that only moves when told to, for deterministic tests and the
 * `--virtual-clock` mode (QEMU qtest's `clock_step` model).
 *
 * @module
 */

import type { CancelTimer, Clock } from "./clock.ts";

interface Timer {
  readonly due: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/** Options for {@link ManualClock}. */
export interface ManualClockOptions {
  /** Initial monotonic time in ms. @default 0 */
  now?: number;
  /** Wall-clock time (epoch ms) at monotonic 0. @default 1_700_000_000_000 */
  wallAtZero?: number;
}

/**
 * A manually advanced clock. `advance(ms)` fires due timers in (due, creation)
 * order, with `now()` equal to each timer's due time while it runs; timers a
 * callback schedules within the window fire in the same call.
 *
 * @example Fires exactly at the deadline, not 1 ms earlier
 * ```ts
 * import assert from "node:assert/strict";
 * import { ManualClock } from "./manual_clock.ts";
 * const clock = new ManualClock();
 * let fired = 0;
 * clock.setTimer(() => fired++, 1000);
 * clock.advance(999);
 * assert.equal(fired, 0);
 * clock.advance(1);
 * assert.equal(fired, 1);
 * ```
 */
export class ManualClock implements Clock {
  #now: number;
  readonly #wallAtZero: number;
  #seq = 0;
  #timers: Timer[] = [];

  /**
   * Create a clock.
   *
   * @param options Start times.
   */
  constructor(options: ManualClockOptions = {}) {
    this.#now = options.now ?? 0;
    this.#wallAtZero = options.wallAtZero ?? 1_700_000_000_000;
  }

  /** Current monotonic time in ms. */
  now(): number {
    return this.#now;
  }

  /** Current wall time: the start wall time plus elapsed monotonic time. */
  wallMs(): number {
    return this.#wallAtZero + this.#now;
  }

  /** Number of timers not yet fired or cancelled. */
  get pending(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }

  /**
   * Schedule `callback` at `now() + delayMs`.
   *
   * @param callback Function to run.
   * @param delayMs Delay in ms (negative is treated as 0).
   * @returns Cancel function.
   */
  setTimer(callback: () => void, delayMs: number): CancelTimer {
    const timer: Timer = {
      due: this.#now + Math.max(0, delayMs),
      seq: this.#seq++,
      callback,
      cancelled: false,
    };
    this.#timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /**
   * Move time forward by `ms`, firing every timer that falls due.
   *
   * @param ms Milliseconds to advance (≥ 0).
   */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`Cannot advance clock by ${ms} ms`);
    const target = this.#now + ms;
    for (;;) {
      const next = this.#nextDue(target);
      if (next === undefined) break;
      next.cancelled = true;
      this.#now = next.due;
      next.callback();
    }
    this.#timers = this.#timers.filter((t) => !t.cancelled);
    this.#now = target;
  }

  /**
   * Advance to the next pending timer and fire it (and any due at the same
   * time); does nothing when no timer is pending.
   *
   * @returns The time advanced, or `undefined` if no timer was pending.
   */
  next(): number | undefined {
    const next = this.#nextDue(Infinity);
    if (next === undefined) return undefined;
    const delta = next.due - this.#now;
    this.advance(delta);
    return delta;
  }

  #nextDue(limit: number): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.#timers) {
      if (t.cancelled || t.due > limit) continue;
      if (
        best === undefined || t.due < best.due ||
        (t.due === best.due && t.seq < best.seq)
      ) best = t;
    }
    return best;
  }
}
