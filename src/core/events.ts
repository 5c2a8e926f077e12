/**
 * Every observable fact about a BMC as a typed event: what the VM link did,
 * every IPMI exchange, watchdog transitions, host actions, SEL and power
 * changes, faults and hangs. The API streams them; scenarios wait on them.
 *
 * @module
 */

import type { EventPayload } from "./event_catalogue.ts";

export type {
  BmcEvents,
  EventPayload,
  HostActionEventType,
  IpmiResponseEvent,
} from "./event_catalogue.ts";

/** Event type names, grouped by subsystem. */
export const EVENT_TYPES = [
  "vm.connected",
  "vm.disconnected",
  "vm.refused",
  "vm.capabilities",
  "vm.frame-dropped",
  "vm.reply-suppressed",
  "ipmi.request",
  "ipmi.response",
  "host.attention",
  "host.irq",
  "host.nmi",
  "host.reset",
  "host.power-off",
  "host.graceful-shutdown",
  "host.unsupported",
  "watchdog.set",
  "watchdog.reset",
  "watchdog.pretimeout",
  "watchdog.expired",
  "watchdog.stopped",
  "sel.added",
  "sel.deleted",
  "sel.cleared",
  "sel.full",
  "power.changed",
  "chassis.control",
  "bmc.reset",
  "bmc.ready",
  "bmc.added",
  "bmc.removed",
  "fault.added",
  "fault.removed",
  "fault.fired",
  "hang.started",
  "hang.released",
  "sensor.changed",
  "sensor.event",
  "event-buffer.full",
  "scenario.step",
  "guest.report",
] as const;

/** An event type name. */
export type BmcEventType = typeof EVENT_TYPES[number];

/** Decoded event payload: plain JSON-serialisable data. */
export type EventData = Readonly<Record<string, unknown>>;

/**
 * Where a BMC publishes its events (already bound to the BMC's id).
 */
export interface EventSink {
  /**
   * Whether anyone could observe an event of this type (lets hot paths skip
   * building payloads nobody reads).
   */
  wants(type: BmcEventType): boolean;
  /**
   * Publish an event.
   *
   * @param type Event type.
   * @param data Decoded payload, of the catalogue's shape for that type.
   */
  emit<K extends BmcEventType>(type: K, data: EventPayload<K>): void;
}

/** A sink that drops everything (unit tests, library use). */
export class NullEventSink implements EventSink {
  /** Always `false`. */
  wants(_type: BmcEventType): boolean {
    return false;
  }
  /** Discard. */
  emit(_type: BmcEventType, _data: EventData): void {}
}

/**
 * Whether `value` is a known event type.
 *
 * @param value Candidate.
 * @returns `true` if listed in {@link EVENT_TYPES}.
 */
export function isEventType(value: string): value is BmcEventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/**
 * Whether `pattern` names an event group (`watchdog.*`) with at least one
 * known type in it.
 *
 * @param pattern Text ending in `.*`.
 * @returns `true` for a known group.
 */
export function isEventGroup(pattern: string): boolean {
  if (!pattern.endsWith(".*")) return false;
  const prefix = pattern.slice(0, -1);
  return EVENT_TYPES.some((e) => e.startsWith(prefix));
}
