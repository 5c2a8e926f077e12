/**
 * Logging as a subscriber of the event bus: the facts that are events are
 * logged by rendering the event with the level and message of
 * `core/event_log_table.ts`, so each is stated once (an emit) instead of a
 * log call beside an emit with the same fields.
 *
 * @module
 */

import type { Clock } from "../clock/clock.ts";
import type { BmcEventType } from "../core/events.ts";
import { EVENT_LOG, type EventLogRule, type EventLogTable } from "../core/event_log_table.ts";
import type { BusEvent, EventBus } from "../events/event_bus.ts";
import type { LogFields, Logger, LogLevel } from "../log/logger.ts";
import { RateLimit } from "../log/rate_limit.ts";

type AnyRule = EventLogRule<BmcEventType> & {
  readonly message: string | ((data: unknown) => string);
  readonly raise?: (data: unknown) => LogLevel | null;
  readonly fields?: (data: unknown) => LogFields;
};

/** Whether a rule can write anything at the logger's level. */
function audible(rule: AnyRule, log: Logger): boolean {
  if (log.enabled(rule.level)) return true;
  if (rule.raise !== undefined) return true;
  return rule.throttleMs !== undefined && log.enabled("debug");
}

/**
 * Log one BMC's events as they are published.
 *
 * @param bus Event bus.
 * @param bmc BMC id.
 * @param log Its logger.
 * @param clock Time source of the throttled warnings.
 * @param table Level and message by type (tests pass their own).
 * @returns Stops logging.
 */
export function logEvents(
  bus: EventBus,
  bmc: string,
  log: Logger,
  clock: Pick<Clock, "now">,
  table: EventLogTable = EVENT_LOG,
): () => void {
  const rules = new Map<string, AnyRule>();
  for (const [type, rule] of Object.entries(table) as [BmcEventType, AnyRule][]) {
    if (audible(rule, log)) rules.set(type, rule);
  }
  const limits = new Map<string, RateLimit>();
  const write = (e: BusEvent) => {
    const rule = rules.get(e.type)!;
    let level = rule.raise?.(e.data) ?? rule.level;
    let fields: LogFields = rule.fields ? { ...e.data, ...rule.fields(e.data) } : e.data;
    if (rule.throttleMs !== undefined) {
      let limit = limits.get(e.type);
      if (limit === undefined) limits.set(e.type, limit = new RateLimit(clock, rule.throttleMs));
      const suppressed = limit.take();
      if (suppressed === null) level = "debug";
      else fields = { ...fields, suppressed };
    }
    if (!log.enabled(level)) return;
    const message = typeof rule.message === "string" ? rule.message : rule.message(e.data);
    log[level](message, fields);
  };
  return bus.subscribe({ bmc, types: new Set(rules.keys()) }, write);
}
