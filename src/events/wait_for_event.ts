/**
 * Wait for the first event matching a filter, with a deadline on the
 * injected clock.
 *
 * @module
 */

import type { Clock } from "../clock/clock.ts";
import type { BusEvent, EventBus, EventFilter } from "./event_bus.ts";

/** Options for {@link waitForEvent}. */
export interface WaitForEventOptions {
  /** Deadline, ms. */
  readonly timeoutMs: number;
  /** Also consider retained events after this id. */
  readonly after?: number;
  /** Extra condition on the event. */
  readonly where?: (event: BusEvent) => boolean;
  /** Gives up early (resolves `null`). */
  readonly signal?: AbortSignal;
}

/**
 * Resolve with the first matching event (retained ones after `after` count),
 * or `null` on timeout or abort.
 *
 * @param bus Event bus.
 * @param clock Time source for the deadline.
 * @param filter Filter.
 * @param options Deadline, start, condition, signal.
 * @returns The event or `null`.
 */
export function waitForEvent(
  bus: EventBus,
  clock: Clock,
  filter: EventFilter,
  options: WaitForEventOptions,
): Promise<BusEvent | null> {
  const where = options.where ?? (() => true);
  if (options.after !== undefined) {
    const found = bus.since(options.after, filter).find(where);
    if (found !== undefined) return Promise.resolve(found);
  }
  if (options.signal?.aborted) return Promise.resolve(null);
  return new Promise((resolve) => {
    const done = (e: BusEvent | null): void => {
      cancel();
      unsubscribe();
      options.signal?.removeEventListener("abort", onAbort);
      resolve(e);
    };
    const onAbort = (): void => done(null);
    const unsubscribe = bus.subscribe(filter, (e) => {
      if (where(e)) done(e);
    });
    const cancel = clock.setTimer(() => done(null), options.timeoutMs);
    options.signal?.addEventListener("abort", onAbort, { once: true });
  });
}
