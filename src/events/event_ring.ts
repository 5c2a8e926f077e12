/**
 * A bounded, id-ordered ring of events: the newest `capacity` events pushed
 * into it, searchable by id.
 *
 * @module
 */

import type { BusEvent } from "./event_bus.ts";

/** A ring of events in increasing id order. */
export class EventRing {
  readonly #slots: (BusEvent | undefined)[];
  #count = 0;

  /**
   * Create a ring.
   *
   * @param capacity Events kept.
   */
  constructor(capacity: number) {
    this.#slots = new Array(capacity);
  }

  /**
   * Keep an event (its id must exceed every id pushed before).
   *
   * @param event Event.
   */
  push(event: BusEvent): void {
    this.#slots[this.#count % this.#slots.length] = event;
    this.#count++;
  }

  /** Id of the oldest event kept, or `null` if nothing was ever pushed. */
  get oldestId(): number | null {
    if (this.#count === 0) return null;
    const first = Math.max(0, this.#count - this.#slots.length);
    return this.#slots[first % this.#slots.length]!.id;
  }

  /** Whether events were dropped to make room. */
  get overflowed(): boolean {
    return this.#count > this.#slots.length;
  }

  /**
   * Kept events with id > `afterId`, oldest first.
   *
   * @param afterId Exclusive lower bound.
   * @returns Events.
   */
  after(afterId: number): BusEvent[] {
    const size = this.#slots.length;
    const first = Math.max(0, this.#count - size);
    let lo = first;
    let hi = this.#count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#slots[mid % size]!.id <= afterId) lo = mid + 1;
      else hi = mid;
    }
    const out: BusEvent[] = [];
    for (let i = lo; i < this.#count; i++) out.push(this.#slots[i % size]!);
    return out;
  }
}
