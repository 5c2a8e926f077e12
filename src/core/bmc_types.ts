/**
 * What a BMC is built from, and the state it shows.
 *
 * @module
 */

import type { Clock } from "../clock/clock.ts";
import type { PeriodWheel } from "../clock/period_wheel.ts";
import type { Logger } from "../log/logger.ts";
import type { ChassisSnapshot } from "./chassis.ts";
import type { BmcConfig } from "./config.ts";
import type { EventSink } from "./events.ts";
import type { MessagingSnapshot } from "./messaging.ts";
import type { HostLink, PowerBackend, StateStore } from "./ports.ts";
import type { WatchdogSnapshot } from "./watchdog.ts";

/** Everything a BMC needs from its surroundings. */
export interface BmcDeps {
  /** BMC id (`bmc0`). */
  readonly id: string;
  /** Resolved profile. */
  readonly config: BmcConfig;
  /** Time source. */
  readonly clock: Clock;
  /** Link to the VM. */
  readonly link: HostLink;
  /** Persistent state. */
  readonly store: StateStore;
  /** Power backend (default: `vm`, over `link`). */
  readonly power?: PowerBackend;
  /** Event publication. */
  readonly events?: EventSink;
  /** Logger. */
  readonly log?: Logger;
  /** Where the sensor scan runs: a process's shared wheel (default: the BMC's own, one timer a second). */
  readonly sensorScan?: PeriodWheel;
}

/** State for the API. */
export interface BmcSnapshot {
  /** BMC id. */
  readonly id: string;
  /** Profile name. */
  readonly profile: string;
  /** Requests handled since start. */
  readonly requestsServed: number;
  /** Power model. */
  readonly chassis: ChassisSnapshot;
  /** Watchdog. */
  readonly watchdog: WatchdogSnapshot;
  /** Messaging (flags, enables). */
  readonly messaging: MessagingSnapshot;
  /** SEL summary. */
  readonly sel: { readonly entries: number; readonly capacity: number; readonly time: number };
}
