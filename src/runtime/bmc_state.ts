/**
 * JSON views of a BMC for the API: summaries, full state, watchdog.
 *
 * @module
 */

import { formatEndpoint } from "../transport/endpoint.ts";
import { sensorSummary } from "../core/sensors.ts";
import { describeRule } from "../core/faults.ts";
import type { WatchdogSnapshot } from "../core/watchdog.ts";
import type { EventBus } from "../events/event_bus.ts";
import type { BmcRuntime } from "./bmc_runtime.ts";
import { hex } from "../codec/names.ts";

const ACTIONS = ["none", "hard-reset", "power-down", "power-cycle"];
const INTERRUPTS = ["none", "smi", "nmi", "messaging"];
const USES = ["reserved", "bios-frb2", "bios-post", "os-load", "sms-os", "oem"];
const POLICIES = ["always-off", "previous", "always-on", "unknown"];

/**
 * The watchdog as JSON: every field, decoded.
 *
 * @param w Snapshot.
 * @returns JSON.
 */
export function watchdogJson(w: WatchdogSnapshot): Record<string, unknown> {
  return {
    initialized: w.initialized,
    running: w.running,
    timerUse: USES[w.use] ?? w.use,
    dontLog: w.dontLog,
    action: ACTIONS[w.action],
    pretimeoutInterrupt: INTERRUPTS[w.pretimeoutInterrupt],
    pretimeoutSeconds: w.pretimeoutSeconds,
    initialCountdownMs: w.initialCountdown * 100,
    presentCountdownMs: w.presentCountdown * 100,
    remainingMs: w.remainingMs === null ? null : Math.round(w.remainingMs),
    pretimeoutFired: w.pretimeoutFired,
    expirationFlags: hex(w.expirationFlags),
  };
}

/**
 * One line per BMC for the list.
 *
 * @param r Runtime.
 * @returns JSON.
 */
export function bmcSummary(r: BmcRuntime): Record<string, unknown> {
  const connection = r.connection();
  return {
    id: r.id,
    profile: r.bmc.config.profile,
    vm: `${connection.mode} ${formatEndpoint(r.endpoint)}`,
    connected: connection.connected,
    power: r.bmc.chassis.power,
    watchdogRunning: r.bmc.watchdog.running,
    selEntries: r.bmc.sel.size,
  };
}

/**
 * Everything about a BMC.
 *
 * @param r Runtime.
 * @param bus Event bus (for the last event id).
 * @returns JSON.
 */
export function bmcState(r: BmcRuntime, bus: EventBus): Record<string, unknown> {
  const s = r.bmc.snapshot();
  const sel = r.bmc.sel.info();
  return {
    id: s.id,
    profile: s.profile,
    connection: r.connection(),
    requestsServed: s.requestsServed,
    power: {
      state: s.chassis.power,
      backend: s.chassis.backend,
      restartCause: s.chassis.restartCause,
      restorePolicy: POLICIES[s.chassis.restorePolicy],
    },
    watchdog: watchdogJson(s.watchdog),
    messageFlags: hex(s.messaging.messageFlags),
    globalEnables: hex(s.messaging.globalEnables),
    interface: {
      attention: s.messaging.attention,
      irqEnabled: s.messaging.irqEnabled,
      eventBufferFull: s.messaging.eventBufferFull,
      receiveQueue: s.messaging.receiveQueue,
      sticky: s.messaging.sticky,
    },
    sel: {
      entries: sel.entries,
      capacity: s.sel.capacity,
      overflow: sel.overflow,
      time: new Date(s.sel.time * 1000).toISOString(),
      store: r.store.location,
    },
    sensors: r.bmc.sensors.all().map((sensor) => sensorSummary(sensor)),
    fru: r.bmc.fru.ids(),
    faults: r.bmc.faults.list().map((rule) => describeRule(rule, r.bmc.clock)),
    reset: outageJson(r),
    hang: hangJson(r),
    firmware: {
      resetWatchdogCc: r.bmc.resetWatchdogCc === null ? null : hex(r.bmc.resetWatchdogCc),
    },
    lastEventId: bus.lastId,
  };
}

function hangJson(r: BmcRuntime): Record<string, unknown> | null {
  const h = r.bmc.hang;
  if (h === null) return null;
  const now = r.bmc.clock.now();
  return {
    mode: h.mode,
    origin: h.origin,
    elapsedMs: Math.round(now - h.startedAt),
    remainingMs: h.endsAt === null ? null : Math.max(0, Math.round(h.endsAt - now)),
    ...(h.mode === "sticky-receive-queue" ? { message: h.message } : {}),
    ...(h.channel === null ? {} : { channel: h.channel }),
    ...(h.mode.startsWith("sticky") ? { fetches: r.bmc.messaging.stickyFetches } : {}),
  };
}

function outageJson(r: BmcRuntime): Record<string, unknown> | null {
  const o = r.bmc.outage;
  if (o === null) return null;
  return {
    origin: o.origin,
    ...o.plan,
    elapsedMs: Math.round(r.bmc.clock.now() - o.startedAt),
    remainingMs: Math.max(0, Math.round(o.endsAt - r.bmc.clock.now())),
  };
}
