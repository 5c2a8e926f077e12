/**
 * The process-wide event bus: every BMC publishes through a sink bound to
 * its id; subscribers (SSE, long-polls, metrics, scenarios) filter by BMC and
 * type; a bounded ring buffer keeps recent events for `Last-Event-ID` replay.
 *
 * @module
 */

import type { Clock } from "../clock/clock.ts";
import type { BmcEventType, EventData, EventSink } from "../core/events.ts";

/** An event as delivered to subscribers. */
export interface BusEvent {
  /** Increasing id, unique in this process. */
  readonly id: number;
  /** Wall-clock time, ISO 8601. */
  readonly time: string;
  /** Monotonic time of publication, ms. */
  readonly monotonicMs: number;
  /** BMC id. */
  readonly bmc: string;
  /** Event type. */
  readonly type: BmcEventType;
  /** Decoded payload. */
  readonly data: EventData;
}

/** Which events a subscriber wants. */
export interface EventFilter {
  /** Only this BMC (default: all). */
  readonly bmc?: string;
  /** Only these types (default: all). */
  readonly types?: ReadonlySet<string>;
  /** Also types starting with one of these (`watchdog.`). */
  readonly prefixes?: readonly string[];
}

/** Options for {@link EventBus}. */
export interface EventBusOptions {
  /** Time source. */
  readonly clock: Clock;
  /** Events kept for replay. @default 10000 */
  readonly capacity?: number;
}

interface Subscriber {
  readonly filter: EventFilter;
  readonly deliver: (event: BusEvent) => void;
}

/**
 * Whether `event` passes `filter`.
 *
 * @param event Event.
 * @param filter Filter.
 * @returns `true` if it matches.
 */
export function matches(event: BusEvent, filter: EventFilter): boolean {
  if (filter.bmc !== undefined && event.bmc !== filter.bmc) return false;
  const byType = filter.types !== undefined && filter.types.size > 0;
  const byPrefix = filter.prefixes !== undefined && filter.prefixes.length > 0;
  if (!byType && !byPrefix) return true;
  if (byType && filter.types!.has(event.type)) return true;
  return byPrefix && filter.prefixes!.some((p) => event.type.startsWith(p));
}

/** One bus per process. */
export class EventBus {
  readonly #clock: Clock;
  readonly #capacity: number;
  readonly #ring: (BusEvent | undefined)[];
  #next = 1;
  readonly #subscribers = new Set<Subscriber>();
  readonly #counts = new Map<string, number>();

  /**
   * Create a bus.
   *
   * @param options Clock and ring capacity.
   */
  constructor(options: EventBusOptions) {
    this.#clock = options.clock;
    this.#capacity = options.capacity ?? 10_000;
    this.#ring = new Array(this.#capacity);
  }

  /** Id of the most recent event (0 if none). */
  get lastId(): number {
    return this.#next - 1;
  }

  /** Events published per type (for metrics). */
  get counts(): ReadonlyMap<string, number> {
    return this.#counts;
  }

  /**
   * A sink that publishes as `bmc`.
   *
   * @param bmc BMC id.
   * @returns The sink.
   */
  sinkFor(bmc: string): EventSink {
    return {
      wants: () => true,
      emit: (type, data) => this.publish(bmc, type, data),
    };
  }

  /**
   * Publish an event.
   *
   * @param bmc BMC id.
   * @param type Type.
   * @param data Payload.
   * @returns The event.
   */
  publish(bmc: string, type: BmcEventType, data: EventData): BusEvent {
    const event: BusEvent = {
      id: this.#next++,
      time: new Date(this.#clock.wallMs()).toISOString(),
      monotonicMs: this.#clock.now(),
      bmc,
      type,
      data,
    };
    this.#ring[event.id % this.#capacity] = event;
    this.#counts.set(type, (this.#counts.get(type) ?? 0) + 1);
    for (const sub of this.#subscribers) {
      if (matches(event, sub.filter)) sub.deliver(event);
    }
    return event;
  }

  /**
   * Receive future events that match `filter`.
   *
   * @param filter Filter.
   * @param deliver Called synchronously for each event.
   * @returns Unsubscribe function.
   */
  subscribe(filter: EventFilter, deliver: (event: BusEvent) => void): () => void {
    const sub = { filter, deliver };
    this.#subscribers.add(sub);
    return () => this.#subscribers.delete(sub);
  }

  /**
   * Retained events after `afterId` that match `filter`, oldest first.
   *
   * @param afterId Last id the client saw (0 = from the oldest retained).
   * @param filter Filter.
   * @returns Events.
   */
  since(afterId: number, filter: EventFilter = {}): BusEvent[] {
    const out: BusEvent[] = [];
    const first = Math.max(afterId + 1, this.#next - this.#capacity, 1);
    for (let id = first; id < this.#next; id++) {
      const event = this.#ring[id % this.#capacity];
      if (event !== undefined && event.id === id && matches(event, filter)) out.push(event);
    }
    return out;
  }

  /** Oldest retained id (for reporting lost replays). */
  get oldestId(): number {
    return Math.max(1, this.#next - this.#capacity);
  }
}
