/**
 * Logging as a subscriber of the event bus: the facts that are events are
 * logged by rendering the event, so each is stated once (an emit) instead
 * of a log call beside an emit with the same fields.
 *
 * @module
 */

import type { BmcEventType } from "../core/events.ts";
import type { EventBus } from "../events/event_bus.ts";
import type { Logger, LogLevel } from "../log/logger.ts";

/** The events that are log lines too, with their level and message. */
export const LOGGED_EVENTS: Readonly<
  Partial<Record<BmcEventType, { readonly level: LogLevel; readonly message: string }>>
> = {
  "vm.connected": { level: "info", message: "VM connected" },
  "vm.disconnected": { level: "info", message: "VM disconnected" },
  "bmc.reset": { level: "info", message: "BMC reset" },
  "bmc.ready": { level: "info", message: "BMC ready after reset" },
  "bmc.removed": { level: "info", message: "BMC removed" },
  "hang.started": { level: "warn", message: "hang started" },
  "hang.released": { level: "info", message: "hang released" },
};

/**
 * Log one BMC's events of {@link LOGGED_EVENTS} as they are published.
 *
 * @param bus Event bus.
 * @param bmc BMC id.
 * @param log Its logger.
 * @returns Stops logging.
 */
export function logEvents(bus: EventBus, bmc: string, log: Logger): () => void {
  const types = new Set(Object.keys(LOGGED_EVENTS) as BmcEventType[]);
  return bus.subscribe({ bmc, types }, (e) => {
    const how = LOGGED_EVENTS[e.type as BmcEventType]!;
    log[how.level](how.message, { ...e.data });
  });
}
