/**
 * A ManualClock that tells the test when the code under test sets a timer,
 * so a test can move time exactly when something waits on it (a grace delay,
 * a reconnect backoff) instead of advancing in steps and polling.
 *
 * @module
 */

import type { CancelTimer } from "../../src/clock/clock.ts";
import { ManualClock } from "../../src/clock/manual_clock.ts";
import { withDeadline } from "./deadline.ts";

/** Timers {@link SteppedClock.runUntil} fires at most. */
const MAX_TIMERS = 100;

/** A ManualClock that announces its timers. */
export class SteppedClock extends ManualClock {
  #waiters: (() => void)[] = [];

  /**
   * Schedule `callback`, and wake whoever waits for a timer.
   *
   * @param callback Function to run.
   * @param delayMs Delay in ms.
   * @returns Cancel function.
   */
  override setTimer(callback: () => void, delayMs: number): CancelTimer {
    const cancel = super.setTimer(callback, delayMs);
    for (const w of this.#waiters.splice(0)) w();
    return cancel;
  }

  /**
   * Fire the pending timers one at a time, and each new one as it is set,
   * until `done` settles (the code under test reacts to each and may set
   * the next).
   *
   * @param done What the timers lead to.
   * @param what Description for the (real-time safety-net) deadline.
   * @returns `done`'s value.
   */
  async runUntil<T>(done: Promise<T>, what: string): Promise<T> {
    let settled = false;
    const watched = done.finally(() => {
      settled = true;
      for (const w of this.#waiters.splice(0)) w();
    });
    const run = async (): Promise<T> => {
      for (let fired = 0; !settled;) {
        if (this.pending > 0) {
          // A timer that keeps re-arming would starve the sockets the test waits on.
          if (++fired > MAX_TIMERS) {
            throw new Error(`${what}: more than ${MAX_TIMERS} timers fired`);
          }
          this.next();
        } else await new Promise<void>((resolve) => this.#waiters.push(resolve));
        // Let the code the timer woke run before looking again.
        await Promise.resolve();
      }
      return await watched;
    };
    return await withDeadline(run(), what);
  }
}
