/**
 * One emulated BMC: owns its state, answers IPMI requests synchronously and
 * deterministically, and acts on the VM only through its ports.
 *
 * @module
 */

import type { CancelTimer, Clock } from "../clock/clock.ts";
import type { IpmiRequest, IpmiResponse } from "../codec/ipmi_types.ts";
import type { Logger } from "../log/logger.ts";
import { NullLogger } from "../log/logger.ts";
import { Chassis, type ChassisSnapshot, type PowerOrigin, RestartCause } from "./chassis.ts";
import type { BmcConfig } from "./config.ts";
import type { BmcContext, BmcResetKind } from "./context.ts";
import { DeviceState } from "./device_state.ts";
import { Dispatcher, responseTo } from "./dispatcher.ts";
import { type EventSink, NullEventSink } from "./events.ts";
import { appDeviceCommands } from "./handlers/app_device.ts";
import { appMessagingCommands } from "./handlers/app_messaging.ts";
import { appWatchdogCommands } from "./handlers/app_watchdog.ts";
import { chassisCommands } from "./handlers/chassis.ts";
import { sensorEventCommands } from "./handlers/sensor_event.ts";
import { storageSelCommands } from "./handlers/storage_sel.ts";
import { Messaging, type MessagingSnapshot } from "./messaging.ts";
import type { HostLink, PowerBackend, PowerCheck, PowerOp, StateStore } from "./ports.ts";
import { Sel } from "./sel.ts";
import type { SystemEvent } from "./sel_record.ts";
import { systemEventRecord } from "./sel_record.ts";
import { VmPowerBackend } from "./vm_power_backend.ts";
import { Watchdog, type WatchdogSnapshot } from "./watchdog.ts";
import { WatchdogEvents } from "./watchdog_events.ts";

/** What the transport should do with a request. */
export type Verdict =
  /** Send `response` after `delayMs` (0 = now). */
  {
    readonly kind: "reply";
    readonly response: IpmiResponse;
    readonly delayMs: number;
  };

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

/** One emulated BMC. */
export class Bmc implements BmcContext {
  /** BMC id. */
  readonly id: string;
  /** Resolved profile. */
  readonly config: BmcConfig;
  /** Time source. */
  readonly clock: Clock;
  /** Link to the VM. */
  readonly link: HostLink;
  /** Event publication. */
  readonly events: EventSink;
  /** Messaging state. */
  readonly messaging: Messaging;
  /** Power model. */
  readonly chassis: Chassis;
  /** System Event Log. */
  readonly sel: Sel;
  /** Watchdog. */
  readonly watchdog: Watchdog;
  /** ACPI state and event receiver. */
  readonly device: DeviceState = new DeviceState();
  readonly #log: Logger;
  readonly #store: StateStore;
  readonly #dispatcher: Dispatcher<BmcContext>;
  #startedAt: number;
  #served = 0;
  readonly #timers = new Set<CancelTimer>();

  /**
   * Create a BMC; nothing happens until requests arrive or timers fire.
   *
   * @param deps Configuration and ports.
   */
  constructor(deps: BmcDeps) {
    this.id = deps.id;
    this.config = deps.config;
    this.clock = deps.clock;
    this.link = deps.link;
    this.#store = deps.store;
    this.events = deps.events ?? new NullEventSink();
    this.#log = deps.log ?? new NullLogger();
    this.messaging = new Messaging(this.link, this.events);
    const power: PowerBackend = deps.power ?? new VmPowerBackend(this.link);
    this.chassis = new Chassis(power, this.#store, this.events);
    power.observe?.({
      powerObserved: (state, cause) => this.chassis.powerChanged(state, cause),
      hostResetObserved: (cause) => this.hostReset(cause),
    });
    this.sel = new Sel({
      store: this.#store,
      clock: this.clock,
      config: this.config.sel,
      events: this.events,
    });
    this.watchdog = new Watchdog({
      clock: this.clock,
      quirks: {
        resetAfterPretimeoutCc: this.config.quirks.resetAfterPretimeoutCc,
        getHidesPretimeout: this.config.quirks.getWatchdogHidesPretimeout,
      },
      hooks: new WatchdogEvents(this, this.#log),
    });
    this.#dispatcher = new Dispatcher<BmcContext>(
      [
        ...appDeviceCommands,
        ...appMessagingCommands,
        ...appWatchdogCommands,
        ...chassisCommands,
        ...sensorEventCommands,
        ...storageSelCommands,
      ].filter((spec) => !this.config.unsupportedCommands.has((spec.netfn << 8) | spec.cmd)),
      this.#log,
    );
    this.#startedAt = this.clock.now();
  }

  /** Logger of this BMC. */
  get log(): Logger {
    return this.#log;
  }

  /**
   * Handle one request from the host.
   *
   * @param req The request.
   * @returns What to send back, and when.
   */
  handle(req: IpmiRequest): Verdict {
    this.#served++;
    const reply = this.#dispatcher.dispatch(this, req);
    return { kind: "reply", response: responseTo(req, reply), delayMs: 0 };
  }

  /** Whether Get Device ID reports "device available". */
  deviceAvailable(): boolean {
    return this.clock.now() - this.#startedAt >= this.config.quirks.initialisingMs;
  }

  /**
   * Log an event into the SEL (if System Event Logging is enabled) and the
   * event message buffer (if enabled).
   *
   * @param event The event.
   * @param source Who generated it.
   * @returns The SEL record id, or `null` if not stored.
   */
  logEvent(event: SystemEvent, source: string): number | null {
    let record = systemEventRecord(event);
    let id: number | null = null;
    if (this.messaging.eventLoggingEnabled) {
      const result = this.sel.add(record, source);
      if (result.ok) {
        id = result.value.id;
        record = result.value.bytes;
      }
    }
    this.messaging.offerEvent(record);
    return id;
  }

  /**
   * Chassis Control with the spec's side effects: a BMC-initiated hard
   * reset, power down or power cycle stops the watchdog.
   *
   * @param op Operation.
   * @param origin Who asked.
   * @returns Done, or why not.
   */
  chassisControl(op: PowerOp, origin: PowerOrigin): PowerCheck {
    const result = this.chassis.control(op, origin);
    if (result.ok && (op === "reset" || op === "off" || op === "cycle")) {
      this.watchdog.stop(`chassis ${op} (${origin})`);
    }
    return result;
  }

  /**
   * Schedule an in-band BMC reset after the current response.
   *
   * @param kind Cold or warm.
   */
  requestBmcReset(kind: BmcResetKind): void {
    this.#later(() => this.#resetState(kind), 0);
  }

  #resetState(kind: BmcResetKind): void {
    this.#log.info("BMC reset", { kind });
    this.events.emit("bmc.reset", { kind, origin: "in-band" });
    this.watchdog.forget(`${kind} reset`);
    this.messaging.resetToDefaults();
    this.device.reset();
    this.sel.cancelReservation();
    this.#startedAt = this.clock.now();
    this.events.emit("bmc.ready", { kind });
  }

  /** Whether a VM may connect now (not during a `disconnect` reset). */
  acceptingConnections(): boolean {
    return true;
  }

  /**
   * A VM connected (or reconnected) to this BMC.
   *
   * @param peer Peer description.
   */
  vmConnected(peer: string): void {
    if (this.chassis.backend.kind === "vm") {
      this.chassis.powerChanged("on", `vm connected (${peer})`);
    }
  }

  /**
   * The VM connection ended.
   *
   * @param byPeer Whether the peer closed it (not a BMC reset).
   */
  vmDisconnected(byPeer: boolean): void {
    if (byPeer && this.chassis.backend.kind === "vm") {
      this.chassis.powerChanged("off", "vm disconnected");
    }
  }

  /**
   * The host was reset without the BMC asking (QEMU `04`, QMP RESET from the
   * guest): a system reset stops the watchdog (IPMI v2.0 27.7).
   *
   * @param cause What was observed.
   */
  hostReset(cause: string): void {
    this.#log.info("host reset observed", { cause });
    this.watchdog.stop(`host reset (${cause})`);
    this.chassis.recordRestart(RestartCause.SoftReset);
  }

  /** State for the API. */
  snapshot(): BmcSnapshot {
    return {
      id: this.id,
      profile: this.config.profile,
      requestsServed: this.#served,
      chassis: this.chassis.snapshot(),
      watchdog: this.watchdog.snapshot(),
      messaging: this.messaging.snapshot(),
      sel: { entries: this.sel.size, capacity: this.sel.capacity, time: this.sel.time() },
    };
  }

  /** Stop every timer (shutdown). */
  close(): void {
    this.watchdog.close();
    for (const cancel of this.#timers) cancel();
    this.#timers.clear();
  }

  #later(fn: () => void, ms: number): void {
    const cancel = this.clock.setTimer(() => {
      this.#timers.delete(cancel);
      fn();
    }, ms);
    this.#timers.add(cancel);
  }
}
