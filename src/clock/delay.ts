/**
 * An abortable promise-based delay on an injected clock.
 *
 * @module
 */

import type { Clock } from "./clock.ts";

/**
 * Resolve after `ms` on `clock`, or early (without error) when `signal` aborts.
 *
 * @param clock Time source.
 * @param ms Delay in milliseconds.
 * @param signal Optional abort signal.
 * @returns A promise that resolves to `true` if the delay elapsed, `false` if aborted.
 */
export function delay(clock: Clock, ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      cancel();
      resolve(false);
    };
    const cancel = clock.setTimer(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
