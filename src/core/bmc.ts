/**
 * One emulated BMC: owns its state, answers IPMI requests synchronously and
 * deterministically, and acts on the VM only through its ports.
 *
 * @module
 */

import type { CancelTimer, Clock } from "../clock/clock.ts";
import type { IpmiRequest } from "../codec/ipmi_types.ts";
import type { Logger } from "../log/logger.ts";
import { NullLogger } from "../log/logger.ts";
import { Chassis, type PowerOrigin, RestartCause } from "./chassis.ts";
import type { BmcDeps, BmcSnapshot } from "./bmc_types.ts";
import type { BmcConfig } from "./config.ts";
import type { BmcContext, BmcResetKind } from "./context.ts";
import { DeviceState } from "./device_state.ts";
import type { Outage, ResetPlan } from "./bmc_reset.ts";
import type { Hang, HangSpec } from "./hang.ts";
import type { Reply } from "./command.ts";
import { Dispatcher, responseTo } from "./dispatcher.ts";
import { bmcCommandSpecs } from "./command_table.ts";
import { type EventSink, NullEventSink } from "./events.ts";
import { FaultEngine, type RequestChannel } from "./faults.ts";
import { BmcGates } from "./gates.ts";
import type { Verdict } from "./verdict.ts";
import { FruStore } from "./fru_store.ts";
import { buildSdrRecords, sdrAddedAt, SdrRepository } from "./sdr_repository.ts";
import { logSensorEvent, scanSensors } from "./sensor_scan.ts";
import { Sensors, sensorSummary } from "./sensors.ts";
import { Messaging } from "./messaging.ts";
import type { HostLink, PowerBackend, PowerCheck, PowerOp, StateStore } from "./ports.ts";
import { Sel } from "./sel.ts";
import type { SystemEvent } from "./sel_record.ts";
import { systemEventRecord } from "./sel_record.ts";
import { VmPowerBackend } from "./vm_power_backend.ts";
import { Watchdog } from "./watchdog.ts";
import { WatchdogEvents } from "./watchdog_events.ts";

export type { Verdict, WireFault } from "./verdict.ts";
export type { BmcDeps, BmcSnapshot } from "./bmc_types.ts";

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
  /** Sensors. */
  readonly sensors: Sensors;
  /** SDR repository. */
  readonly sdr: SdrRepository;
  /** FRU inventory devices. */
  readonly fru: FruStore;
  readonly #log: Logger;
  readonly #store: StateStore;
  readonly #dispatcher: Dispatcher<BmcContext>;
  #startedAt: number;
  #served = 0;
  /** Fault rules. */
  readonly faults: FaultEngine;
  /** Outage, hang, fault rules and broken firmware, checked before dispatch. */
  readonly gates: BmcGates;
  /** Requests answered, by `(netfn << 16) | (cmd << 8) | cc` (for metrics). */
  readonly answered = new Map<number, number>();
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
    this.faults = new FaultEngine(this.clock, this.events);
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
        resetBeforeSetCc: this.config.quirks.resetBeforeSetCc,
      },
      hooks: new WatchdogEvents(this),
    });
    this.sensors = new Sensors(this.config.sensors, this.config.watchdogSensorNumber, {
      event: (sensor, e, type) => logSensorEvent(this, sensor, e, type),
      changed: (sensor, origin) =>
        this.events.emit("sensor.changed", sensorSummary(sensor, origin)),
    });
    const sdrRecords = buildSdrRecords(this.config, this.sensors.all());
    this.sdr = new SdrRepository(sdrRecords, sdrAddedAt(sdrRecords, this.#store, this.sel.time()));
    this.fru = new FruStore(this.config.frus, this.#store);
    this.#dispatcher = new Dispatcher<BmcContext>(
      bmcCommandSpecs(this.config),
      this.#log,
    );
    this.gates = new BmcGates({
      clock: this.clock,
      events: this.events,
      faults: this.faults,
      link: this.link,
      messaging: this.messaging,
      dispatch: (req) => this.#dispatcher.dispatch(this, req),
      reply: (req, reply) => this.#reply(req, reply),
      forget: (plan, origin) => this.#forget(plan, origin),
      ready: () => {
        this.#startedAt = this.clock.now();
      },
      later: (fn, ms) => this.#later(fn, ms),
    });
    this.#startedAt = this.clock.now();
    if (this.sensors.hasDynamics) {
      this.#timers.add(scanSensors(this.clock, this.sensors, deps.sensorScan));
    }
  }

  /** Logger of this BMC. */
  get log(): Logger {
    return this.#log;
  }

  /**
   * Handle one request from the host or from a LAN session: the same
   * checks, faults and handlers whichever interface it came from.
   *
   * @param req The request.
   * @param channel Interface it arrived on (fault rules can match it).
   * @returns What to send back, and when.
   */
  handle(req: IpmiRequest, channel: RequestChannel = "system"): Verdict {
    this.#served++;
    return this.gates.check(req, channel) ?? this.#reply(req, this.#dispatcher.dispatch(this, req));
  }

  #reply(req: IpmiRequest, reply: Reply): Verdict & { kind: "reply" } {
    const key = (req.netfn << 16) | (req.cmd << 8) | reply.cc;
    this.answered.set(key, (this.answered.get(key) ?? 0) + 1);
    return { kind: "reply", response: responseTo(req, reply), delayMs: 0, wire: null };
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

  /** Schedule an in-band (cold or warm) BMC reset after the current response. */
  requestBmcReset(kind: BmcResetKind): void {
    this.gates.requestReset(kind, this.config.quirks);
  }

  /** Reboot the BMC ({@link BmcGates.beginReset}); the SEL and the host stay. */
  beginReset(plan: ResetPlan, origin: string): void {
    this.gates.beginReset(plan, origin);
  }

  /** What a reboot forgets. */
  #forget(plan: ResetPlan, origin: string): void {
    if (plan.watchdog === "forget") this.watchdog.forget(`BMC reset (${origin})`);
    this.messaging.resetToDefaults();
    this.device.reset();
    this.sel.cancelReservation();
    this.sdr.cancelReservation();
    this.sensors.resetEnables();
  }

  /** The reset in progress, if any. */
  get outage(): Outage | null {
    return this.gates.outage;
  }

  /** The hang in progress, if any. */
  get hang(): Hang | null {
    return this.gates.hang;
  }

  /** Start a hang, replacing one in progress ({@link BmcGates.startHang}). */
  startHang(spec: HangSpec, origin: string): void {
    this.gates.startHang(spec, origin);
  }

  /** End the hang in progress ({@link BmcGates.releaseHang}); `null` if none. */
  releaseHang(cc: number | null, reason?: string): Hang | null {
    return this.gates.releaseHang(cc, reason);
  }

  /** Code broken firmware answers to Reset Watchdog Timer, or `null`. */
  get resetWatchdogCc(): number | null {
    return this.gates.resetWatchdogCc;
  }

  /** Whether a VM may connect now (not during a `disconnect` reset). */
  acceptingConnections(): boolean {
    return this.gates.acceptingConnections();
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

  /**
   * Run `fn` after `ms` on the Clock; `close()` cancels what is pending.
   *
   * @returns Cancels the timer (and forgets it).
   */
  #later(fn: () => void, ms: number): CancelTimer {
    const timer = this.clock.setTimer(() => {
      this.#timers.delete(cancel);
      fn();
    }, ms);
    const cancel = (): void => {
      timer();
      this.#timers.delete(cancel);
    };
    this.#timers.add(cancel);
    return cancel;
  }
}
