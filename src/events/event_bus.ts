/**
 * The process-wide event bus: every BMC publishes through a sink bound to
 * its id; subscribers (SSE, long-polls, metrics, scenarios) filter by BMC and
 * type; bounded rings keep recent events for `Last-Event-ID` replay and for
 * scenarios that look back. IPMI exchanges, sensor readings and watchdog
 * feeds, which can arrive at thousands per second (a rack of BMCs whose
 * daemons feed every few seconds), have a ring of their own, so a flood of
 * them cannot evict the rare events (watchdog set, expiry, hangs, guest
 * reports) a scenario waits for.
 *
 * @module
 */

import type { Clock } from "../clock/clock.ts";
import type { BmcEventType, EventData, EventPayload, EventSink } from "../core/events.ts";
import { EventRing } from "./event_ring.ts";

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

/** An event as published: the ISO time is formatted only when someone reads it. */
class PublishedEvent implements BusEvent {
  #time: string | null = null;

  constructor(
    readonly id: number,
    readonly wallMs: number,
    readonly monotonicMs: number,
    readonly bmc: string,
    readonly type: BmcEventType,
    readonly data: EventData,
  ) {}

  /** Wall-clock time, ISO 8601. */
  get time(): string {
    return this.#time ??= new Date(this.wallMs).toISOString();
  }
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
  /** Events kept for replay, per ring. @default 10000 */
  readonly capacity?: number;
}

/**
 * High-volume types, retained in a ring of their own (and forwarded from a
 * shard only while a process-wide stream is open).
 */
export const CHATTY_TYPES: ReadonlySet<string> = new Set([
  "ipmi.request",
  "ipmi.response",
  "sensor.changed",
  "watchdog.reset",
]);

interface Subscriber {
  /** Order of subscription: delivery follows it. */
  readonly seq: number;
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
  readonly #chatty: EventRing;
  readonly #rare: EventRing;
  #next = 1;
  #nextSubscriber = 1;
  /** Subscribers to every BMC. */
  readonly #everyBmc = new Set<Subscriber>();
  /**
   * Subscribers to one BMC, by BMC: a process of thousands of BMCs has a
   * subscriber or more per BMC (its event log), and an event must not be
   * matched against all of them.
   */
  readonly #byBmc = new Map<string, Set<Subscriber>>();

  /**
   * Create a bus.
   *
   * @param options Clock and ring capacity.
   */
  constructor(options: EventBusOptions) {
    this.#clock = options.clock;
    const capacity = options.capacity ?? 10_000;
    this.#chatty = new EventRing(capacity);
    this.#rare = new EventRing(capacity);
  }

  /** Id of the most recent event (0 if none). */
  get lastId(): number {
    return this.#next - 1;
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
  publish<K extends BmcEventType>(bmc: string, type: K, data: EventPayload<K>): BusEvent {
    const event = new PublishedEvent(
      this.#next++,
      this.#clock.wallMs(),
      this.#clock.now(),
      bmc,
      type,
      data,
    );
    (CHATTY_TYPES.has(type) ? this.#chatty : this.#rare).push(event);
    const own = this.#byBmc.get(bmc);
    if (own === undefined) {
      for (const sub of this.#everyBmc) if (matches(event, sub.filter)) sub.deliver(event);
      return event;
    }
    // Both sets are in subscription order: merge them to keep it.
    const every = this.#everyBmc.values();
    const mine = own.values();
    let a = every.next();
    let b = mine.next();
    while (!a.done || !b.done) {
      let sub: Subscriber;
      if (b.done || (!a.done && a.value.seq < b.value.seq)) {
        sub = a.value!;
        a = every.next();
      } else {
        sub = b.value;
        b = mine.next();
      }
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
    const sub = { seq: this.#nextSubscriber++, filter, deliver };
    const bmc = filter.bmc;
    if (bmc === undefined) {
      this.#everyBmc.add(sub);
      return () => this.#everyBmc.delete(sub);
    }
    let set = this.#byBmc.get(bmc);
    if (set === undefined) this.#byBmc.set(bmc, set = new Set());
    set.add(sub);
    return () => {
      const deleted = set.delete(sub);
      if (set.size === 0 && this.#byBmc.get(bmc) === set) this.#byBmc.delete(bmc);
      return deleted;
    };
  }

  /**
   * Retained events after `afterId` that match `filter`, oldest first.
   *
   * @param afterId Last id the client saw (0 = from the oldest retained).
   * @param filter Filter.
   * @returns Events.
   */
  since(afterId: number, filter: EventFilter = {}): BusEvent[] {
    const a = this.#chatty.after(afterId).filter((e) => matches(e, filter));
    const b = this.#rare.after(afterId).filter((e) => matches(e, filter));
    const out: BusEvent[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      if (j >= b.length || (i < a.length && a[i]!.id < b[j]!.id)) out.push(a[i++]!);
      else out.push(b[j++]!);
    }
    return out;
  }

  /**
   * Oldest id from which the replay is complete (for reporting lost
   * replays): events before it may have been dropped from a full ring.
   */
  get oldestId(): number {
    const complete = [this.#chatty, this.#rare].filter((r) => r.overflowed).map((r) => r.oldestId!);
    return complete.length === 0 ? 1 : Math.max(...complete);
  }
}
