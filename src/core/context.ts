/**
 * What command handlers may touch: the BMC's subsystems and a few
 * BMC-level operations. `Bmc` implements it; handlers depend only on this.
 *
 * @module
 */

import type { Clock } from "../clock/clock.ts";
import type { Chassis, PowerOrigin } from "./chassis.ts";
import type { BmcConfig } from "./config.ts";
import type { DeviceState } from "./device_state.ts";
import type { EventSink } from "./events.ts";
import type { Messaging } from "./messaging.ts";
import type { HostLink, PowerCheck, PowerOp } from "./ports.ts";
import type { Sel } from "./sel.ts";
import type { SystemEvent } from "./sel_record.ts";
import type { Watchdog } from "./watchdog.ts";
import type { FruStore } from "./fru_store.ts";
import type { SdrRepository } from "./sdr_repository.ts";
import type { Sensors } from "./sensors.ts";

/** Kind of BMC reset requested in-band. */
export type BmcResetKind = "cold" | "warm";

/** The handler-facing view of a BMC. */
export interface BmcContext {
  /** Resolved profile configuration. */
  readonly config: BmcConfig;
  /** Time source. */
  readonly clock: Clock;
  /** Link to the VM. */
  readonly link: HostLink;
  /** Flags, enables, event buffer, receive queue. */
  readonly messaging: Messaging;
  /** Power model. */
  readonly chassis: Chassis;
  /** System Event Log. */
  readonly sel: Sel;
  /** Watchdog timer. */
  readonly watchdog: Watchdog;
  /** ACPI state, event receiver. */
  readonly device: DeviceState;
  /** Event publication. */
  readonly events: EventSink;
  /** Sensors. */
  readonly sensors: Sensors;
  /** SDR repository. */
  readonly sdr: SdrRepository;
  /** FRU inventory devices. */
  readonly fru: FruStore;
  /** Whether Get Device ID reports the device as available. */
  deviceAvailable(): boolean;
  /**
   * Log an event the way a BMC does: into the SEL if event logging is
   * enabled, and into the event message buffer if that is enabled.
   *
   * @param event The event.
   * @param source Who generated it (for the SEL event).
   * @returns The SEL record id, or `null` if not logged.
   */
  logEvent(event: SystemEvent, source: string): number | null;
  /**
   * Chassis Control: check, stop the watchdog where the spec says so, perform.
   *
   * @param op Operation.
   * @param origin Who asked.
   * @returns Done, or why not.
   */
  chassisControl(op: PowerOp, origin: PowerOrigin): PowerCheck;
  /**
   * Schedule an in-band BMC reset, which begins after the current response.
   *
   * @param kind Cold or warm.
   */
  requestBmcReset(kind: BmcResetKind): void;
}
