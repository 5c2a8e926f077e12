/**
 * Run async code on a ManualClock: settle a promise by firing the clock's
 * timers one after another, so a test of a 2 s wait takes no wall time.
 *
 * @module
 */

import type { ManualClock } from "../../src/clock/manual_clock.ts";

/** Microtask turns given to the code under test between two timers. */
const TURNS = 50;

/**
 * Give pending promise chains their turns (no timer fires, no time passes).
 */
export async function flush(): Promise<void> {
  for (let i = 0; i < TURNS; i++) await Promise.resolve();
}

/**
 * Settle `promise`, advancing `clock` to each next timer while it is
 * pending.
 *
 * @param clock The clock the code under test uses.
 * @param promise What to settle.
 * @returns Its value.
 * @throws {Error} When it waits on something other than the clock (nothing left to fire).
 */
export async function drive<T>(clock: ManualClock, promise: Promise<T>): Promise<T> {
  let settled = false;
  const watched = promise.finally(() => {
    settled = true;
  });
  for (;;) {
    await flush();
    if (settled) return await watched;
    if (clock.next() === undefined) {
      await flush();
      if (settled) return await watched;
      throw new Error("drive(): the promise waits on something other than the clock");
    }
  }
}
