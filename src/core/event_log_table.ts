/**
 * How events read as log lines: for each event type that is worth a line,
 * its level and message (beside the catalogue, which gives the fields). The
 * log subscriber (`runtime/event_log.ts`) renders an event as the message
 * with the payload's fields, so a fact is stated once, as an event, and the
 * log is one view of the stream.
 *
 * @module
 */

import type { LogFields, LogLevel } from "../log/logger.ts";
import type { BmcEventType, EventPayload } from "./events.ts";

/** How one event type is logged. */
export interface EventLogRule<K extends BmcEventType> {
  /** Level of the line. */
  readonly level: LogLevel;
  /** The message, fixed or by payload. */
  readonly message: string | ((data: EventPayload<K>) => string);
  /** A louder level for some payloads (`null`: `level`). */
  readonly raise?: (data: EventPayload<K>) => LogLevel | null;
  /** Fields besides the payload's (derived names the log has always carried). */
  readonly fields?: (data: EventPayload<K>) => LogFields;
  /**
   * Something a peer can repeat at will: at most one line at `level` per
   * this many ms (carrying `suppressed`, how many were left out), the rest
   * at debug.
   */
  readonly throttleMs?: number;
}

/** The rules, by event type. */
export type EventLogTable = { readonly [K in BmcEventType]?: EventLogRule<K> };

/** Minimum time between two warnings about refused VM connections. */
const REFUSED_WARN_INTERVAL_MS = 10_000;

function hostAction(type: string): (data: EventPayload<"host.nmi">) => LogFields {
  const action = type.slice("host.".length);
  return () => ({ action });
}

function hostActionMessage(data: EventPayload<"host.nmi">): string {
  return data.backend === "qmp" ? "power operation via QMP" : "host action sent";
}

const HOST_ACTION = { level: "info", message: hostActionMessage } as const;

/** The events that are log lines, with their level and message. */
export const EVENT_LOG: EventLogTable = {
  "vm.connected": { level: "info", message: "VM connected" },
  "vm.disconnected": { level: "info", message: "VM disconnected" },
  "vm.refused": {
    level: "warn",
    message: "VM connection refused",
    throttleMs: REFUSED_WARN_INTERVAL_MS,
  },
  "vm.capabilities": { level: "info", message: "QEMU capabilities" },
  "vm.frame-dropped": { level: "warn", message: "dropped frame" },
  "vm.reply-suppressed": {
    level: "info",
    message: "reply suppressed: its request is no longer outstanding",
  },
  "ipmi.request": { level: "debug", message: "request" },
  "ipmi.response": {
    level: "debug",
    message: (d) =>
      d.wire === "wedge"
        ? "request wedged: reply sent with another seq, real reply held"
        : d.wire === "released"
        ? "held reply released"
        : "response",
    raise: (d) => d.wire === "wedge" || d.wire === "released" ? "info" : null,
  },
  "host.nmi": { ...HOST_ACTION, fields: hostAction("host.nmi") },
  "host.reset": { ...HOST_ACTION, fields: hostAction("host.reset") },
  "host.power-off": { ...HOST_ACTION, fields: hostAction("host.power-off") },
  "host.graceful-shutdown": { ...HOST_ACTION, fields: hostAction("host.graceful-shutdown") },
  "host.unsupported": { level: "warn", message: "host action not sent" },
  "watchdog.pretimeout": {
    level: "info",
    message: (d) =>
      d.delivered === false
        ? "watchdog pre-timeout ignored (profile quirk ignorePretimeout)"
        : "watchdog pre-timeout",
  },
  "watchdog.expired": { level: "info", message: "watchdog expired" },
  "power.changed": { level: "info", message: "power changed" },
  "bmc.reset": { level: "info", message: "BMC reset" },
  "bmc.ready": { level: "info", message: "BMC ready after reset" },
  "bmc.removed": { level: "info", message: "BMC removed" },
  "fault.added": { level: "info", message: "fault rule added" },
  "fault.removed": { level: "info", message: "fault rule removed" },
  "fault.fired": { level: "info", message: "fault fired" },
  "hang.started": { level: "warn", message: "hang started" },
  "hang.released": { level: "info", message: "hang released" },
  "sensor.event": { level: "info", message: "sensor event" },
  "sel.full": { level: "warn", message: "SEL full" },
};
