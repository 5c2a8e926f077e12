/**
 * What the rest of the BMC does when the watchdog acts: the pre-timeout
 * interrupt (NMI or messaging interrupt), Watchdog 2 SEL records, and the
 * timeout action through the chassis model.
 *
 * @module
 */

import { VmCapability } from "../codec/constants.ts";
import { EventReadingType, SENSOR_TYPES } from "../codec/sensor_constants.ts";
import type { BmcContext } from "./context.ts";
import type { PowerOp } from "./ports.ts";
import { bmcEvent } from "./sel_record.ts";
import type { WatchdogEvent } from "./event_catalogue.ts";
import {
  COUNTDOWN_UNIT_MS,
  PretimeoutInterrupt,
  TimeoutAction,
  type WatchdogHooks,
  type WatchdogSettings,
} from "./watchdog.ts";

/** Watchdog 2 event offsets (IPMI v2.0 table 42-3). */
export const Watchdog2Offset = {
  TimerExpired: 0x00,
  HardReset: 0x01,
  PowerDown: 0x02,
  PowerCycle: 0x03,
  TimerInterrupt: 0x08,
} as const;

/** Event data 1: bytes 2 and 3 carry sensor-specific extension / unspecified. */
const DATA1_SENSOR_SPECIFIC_EXT = 0xc0;

const ACTION_NAMES = ["none", "hard-reset", "power-down", "power-cycle"];
const INTERRUPT_NAMES = ["none", "smi", "nmi", "messaging"];

const EXPIRY: Record<number, { offset: number; op: PowerOp | null }> = {
  [TimeoutAction.None]: { offset: Watchdog2Offset.TimerExpired, op: null },
  [TimeoutAction.HardReset]: { offset: Watchdog2Offset.HardReset, op: "reset" },
  [TimeoutAction.PowerDown]: { offset: Watchdog2Offset.PowerDown, op: "off" },
  [TimeoutAction.PowerCycle]: { offset: Watchdog2Offset.PowerCycle, op: "cycle" },
};

/**
 * Decoded settings for events and logs.
 *
 * @param s Settings.
 * @returns Names instead of numbers.
 */
export function describeWatchdog(s: WatchdogSettings): WatchdogEvent {
  return {
    use: s.use,
    action: ACTION_NAMES[s.action] ?? String(s.action),
    pretimeoutInterrupt: INTERRUPT_NAMES[s.pretimeoutInterrupt] ?? String(s.pretimeoutInterrupt),
    pretimeoutSeconds: s.pretimeoutSeconds,
    initialCountdown: s.initialCountdown,
    initialCountdownMs: s.initialCountdown * COUNTDOWN_UNIT_MS,
    dontLog: s.dontLog,
  };
}

/** The watchdog's hooks into one BMC. */
export class WatchdogEvents implements WatchdogHooks {
  readonly #bmc: BmcContext;

  /**
   * Bind the hooks to a BMC (what they do is published, and so logged).
   *
   * @param bmc The BMC.
   */
  constructor(bmc: BmcContext) {
    this.#bmc = bmc;
  }

  /**
   * NMI needs QEMU's NMI capability; SMI only with the profile quirk.
   *
   * @param interrupt Pre-timeout interrupt type.
   * @returns Whether it can be delivered.
   */
  interruptSupported(interrupt: number): boolean {
    if (interrupt === PretimeoutInterrupt.Nmi) {
      const caps = this.#bmc.link.capabilities();
      return caps !== null && (caps & VmCapability.Nmi) !== 0;
    }
    if (interrupt === PretimeoutInterrupt.Smi) {
      return this.#bmc.config.quirks.acceptSmiPretimeout;
    }
    return true;
  }

  /**
   * Deliver the pre-timeout interrupt and log offset 08h.
   *
   * @param s Settings.
   */
  pretimeout(s: WatchdogSettings): void {
    if (this.#bmc.config.quirks.ignorePretimeout) {
      this.#bmc.events.emit("watchdog.pretimeout", { ...describeWatchdog(s), delivered: false });
      return;
    }
    this.#bmc.events.emit("watchdog.pretimeout", describeWatchdog(s));
    if (s.pretimeoutInterrupt === PretimeoutInterrupt.Nmi) this.#bmc.link.act("nmi");
    if (
      s.pretimeoutInterrupt === PretimeoutInterrupt.Nmi ||
      s.pretimeoutInterrupt === PretimeoutInterrupt.Messaging
    ) {
      this.#bmc.messaging.raisePretimeout();
    }
    if (!s.dontLog) this.#logWatchdog2(Watchdog2Offset.TimerInterrupt, s);
  }

  /**
   * Log the expiry and perform the timeout action.
   *
   * @param s Settings.
   */
  expired(s: WatchdogSettings): void {
    const expiry = EXPIRY[s.action]!;
    this.#bmc.events.emit("watchdog.expired", describeWatchdog(s));
    if (!s.dontLog) this.#logWatchdog2(expiry.offset, s);
    if (expiry.op === null) return;
    const result = this.#bmc.chassisControl(expiry.op, "watchdog");
    if (!result.ok) {
      this.#bmc.events.emit("host.unsupported", { action: expiry.op, reason: result.reason });
    }
  }

  /** A Set cleared the pre-timeout flag. */
  clearPretimeoutFlag(): void {
    this.#bmc.messaging.clearPretimeout();
  }

  /**
   * Publish `watchdog.set`, with the settings named as `watchdog.expired` names them.
   *
   * @param settings The new settings.
   * @param detail Don't-stop, flags cleared, running.
   */
  set(
    settings: WatchdogSettings,
    detail: { readonly dontStop: boolean; readonly clearFlags: number; readonly running: boolean },
  ): void {
    this.#bmc.events.emit("watchdog.set", { ...describeWatchdog(settings), ...detail });
  }

  /**
   * Publish `watchdog.reset`.
   *
   * @param detail Countdown (100 ms units) and time to expiry.
   */
  reset(detail: { readonly initialCountdown: number; readonly expiresInMs: number }): void {
    this.#bmc.events.emit("watchdog.reset", {
      ...detail,
      initialCountdownMs: detail.initialCountdown * COUNTDOWN_UNIT_MS,
    });
  }

  /**
   * Publish `watchdog.stopped`.
   *
   * @param reason Why.
   */
  stopped(reason: string): void {
    this.#bmc.events.emit("watchdog.stopped", { reason });
  }

  #logWatchdog2(offset: number, s: WatchdogSettings): void {
    this.#bmc.logEvent(
      bmcEvent({
        sensorType: SENSOR_TYPES["watchdog-2"],
        sensorNumber: this.#bmc.config.watchdogSensorNumber,
        eventDirType: EventReadingType.SensorSpecific,
        data: [DATA1_SENSOR_SPECIFIC_EXT | offset, (s.pretimeoutInterrupt << 4) | s.use, 0xff],
      }),
      "watchdog",
    );
  }
}
