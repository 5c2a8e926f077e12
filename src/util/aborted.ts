/**
 * Wait for a signal.
 *
 * @module
 */

/**
 * Resolve once `signal` aborts (at once if it has).
 *
 * @param signal The signal.
 * @returns A promise that resolves on abort.
 */
export function aborted(signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
  });
}
