/**
 * One emulated BMC: owns its state, answers IPMI requests synchronously and
 * deterministically, and acts on the VM only through its ports.
 *
 * @module
 */

import type { CancelTimer, Clock } from "../clock/clock.ts";
import { AppCmd, NetFn } from "../codec/constants.ts";
import type { IpmiRequest, IpmiResponse } from "../codec/ipmi_types.ts";
import { commandName } from "../codec/names.ts";
import type { Logger } from "../log/logger.ts";
import { NullLogger } from "../log/logger.ts";
import { Chassis, type ChassisSnapshot, type PowerOrigin, RestartCause } from "./chassis.ts";
import type { BmcConfig } from "./config.ts";
import type { BmcContext, BmcResetKind } from "./context.ts";
import { DeviceState } from "./device_state.ts";
import type { Outage, ResetPlan } from "./bmc_reset.ts";
import type { Hang, HangSpec } from "./hang.ts";
import { fail, type Reply } from "./command.ts";
import { Dispatcher, responseTo } from "./dispatcher.ts";
import { type EventSink, NullEventSink } from "./events.ts";
import {
  type FaultAction,
  FaultEngine,
  type RequestChannel,
  type UnsafeSeqPolicy,
} from "./faults.ts";
import { appDeviceCommands } from "./handlers/app_device.ts";
import { appMessagingCommands } from "./handlers/app_messaging.ts";
import { appWatchdogCommands } from "./handlers/app_watchdog.ts";
import { chassisCommands } from "./handlers/chassis.ts";
import { sensorEventCommands } from "./handlers/sensor_event.ts";
import { storageSelCommands } from "./handlers/storage_sel.ts";
import { deviceSdrCommands, sensorCommands } from "./handlers/sensor_commands.ts";
import { storageSdrFruCommands } from "./handlers/storage_sdr_fru.ts";
import { oemCommandSpecs } from "./handlers/oem.ts";
import { FruStore } from "./fru_store.ts";
import { buildSdrRecords, SdrRepository } from "./sdr_repository.ts";
import type { Sensor, SensorEvent } from "./sensor.ts";
import { Sensors, sensorSummary } from "./sensors.ts";
import { Messaging, type MessagingSnapshot } from "./messaging.ts";
import type { HostLink, PowerBackend, PowerCheck, PowerOp, StateStore } from "./ports.ts";
import { Sel } from "./sel.ts";
import type { SystemEvent } from "./sel_record.ts";
import { bmcEvent, systemEventRecord } from "./sel_record.ts";
import { VmPowerBackend } from "./vm_power_backend.ts";
import { Watchdog, type WatchdogSnapshot } from "./watchdog.ts";
import { WatchdogEvents } from "./watchdog_events.ts";

/** Period of the sensor scan that advances reading dynamics. */
const SENSOR_SCAN_MS = 1000;

/** Damage the session applies to a reply on the wire. */
export type WireFault = Extract<FaultAction, { type: "corrupt" | "duplicate" }>;

/** What the transport should do with a request. */
export type Verdict =
  /** Send `response` after `delayMs` (0 = now), damaged by `wire` if set. */
  | {
    readonly kind: "reply";
    readonly response: IpmiResponse;
    readonly delayMs: number;
    readonly wire: WireFault | null;
  }
  /** Send nothing (see {@link UnsafeSeqPolicy} for seq A0/A1/AA). */
  | { readonly kind: "drop"; readonly reason: string; readonly unsafeSeq: UnsafeSeqPolicy }
  /** Cancel the request at QEMU with a reply carrying another seq; hold `response`. */
  | { readonly kind: "wedge"; readonly response: IpmiResponse };

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
  #outage: Outage | null = null;
  #cancelOutage: CancelTimer | null = null;
  #resetWatchdogCc: number | null = null;
  #hang: Hang | null = null;
  #cancelHang: CancelTimer | null = null;
  /** Fault rules. */
  readonly faults: FaultEngine;
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
      hooks: new WatchdogEvents(this, this.#log),
    });
    this.sensors = new Sensors(this.config.sensors, this.config.watchdogSensorNumber, {
      event: (sensor, e, type) => this.#logSensorEvent(sensor, e, type),
      changed: (sensor, origin) =>
        this.events.emit("sensor.changed", sensorSummary(sensor, origin)),
    });
    this.sdr = new SdrRepository(buildSdrRecords(this.config, this.sensors.all()), this.sel.time());
    this.fru = new FruStore(this.config.frus, this.#store);
    this.#dispatcher = new Dispatcher<BmcContext>(
      [
        ...oemCommandSpecs(this.config.oemCommands),
        ...appDeviceCommands,
        ...appMessagingCommands,
        ...appWatchdogCommands,
        ...chassisCommands,
        ...sensorEventCommands,
        ...sensorCommands,
        ...deviceSdrCommands,
        ...storageSelCommands,
        ...storageSdrFruCommands,
      ].filter((spec) => !this.config.unsupportedCommands.has((spec.netfn << 8) | spec.cmd)),
      this.#log,
    );
    this.#startedAt = this.clock.now();
    if (this.sensors.hasDynamics) this.#scanSensors();
  }

  /** Step sensor dynamics once a second, like a BMC's sensor scan. */
  #scanSensors(): void {
    const started = this.clock.now();
    const step = (): void => {
      this.#later(() => {
        this.sensors.tick((this.clock.now() - started) / 1000);
        step();
      }, SENSOR_SCAN_MS);
    };
    step();
  }

  #logSensorEvent(sensor: Sensor, e: SensorEvent, eventReadingType: number): void {
    const id = this.logEvent(
      bmcEvent({
        sensorType: sensor.config.sensorType,
        sensorNumber: sensor.config.number,
        eventDirType: (e.assertion ? 0x00 : 0x80) | eventReadingType,
        data: e.data,
      }),
      "sensor",
    );
    this.#log.info("sensor event", {
      sensor: sensor.config.name,
      offset: e.offset,
      assertion: e.assertion,
      selId: id,
    });
    this.events.emit("sensor.event", {
      sensor: sensor.config.name,
      number: sensor.config.number,
      offset: e.offset,
      assertion: e.assertion,
      data: [...e.data],
      selId: id,
    });
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
    const outage = this.#outage;
    if (outage !== null) {
      if (outage.plan.mode === "busy") return this.#reply(req, fail(outage.plan.busyCc));
      return { kind: "drop", reason: `BMC resetting (${outage.plan.mode})`, unsafeSeq: "hang" };
    }
    const hang = this.#hang !== null &&
        (this.#hang.channel === null || this.#hang.channel === channel)
      ? this.#hang
      : null;
    if (hang?.mode === "silent") {
      return { kind: "drop", reason: "hang (silent)", unsafeSeq: "hang" };
    }
    if (hang?.mode === "wedge") {
      return { kind: "wedge", response: responseTo(req, this.#dispatcher.dispatch(this, req)) };
    }
    const hit = this.faults.empty ? null : this.faults.check(req, channel);
    if (hit !== null) {
      const action = hit.action;
      this.#log.info("fault fired", {
        rule: hit.rule.id,
        action: action.type,
        command: commandName(req.netfn, req.cmd),
      });
      if (action.type === "error") return this.#reply(req, fail(action.cc));
      if (action.type === "drop") {
        return { kind: "drop", reason: `fault ${hit.rule.id}`, unsafeSeq: action.unsafeSeq };
      }
      const reply = this.#dispatcher.dispatch(this, req);
      if (action.type === "delay") return { ...this.#reply(req, reply), delayMs: action.ms };
      return { ...this.#reply(req, reply), wire: action };
    }
    if (
      this.#resetWatchdogCc !== null && req.netfn === NetFn.App &&
      req.cmd === AppCmd.ResetWatchdogTimer
    ) {
      return this.#reply(req, fail(this.#resetWatchdogCc));
    }
    return this.#reply(req, this.#dispatcher.dispatch(this, req));
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

  /**
   * Schedule an in-band BMC reset after the current response.
   *
   * @param kind Cold or warm.
   */
  requestBmcReset(kind: BmcResetKind): void {
    const q = this.config.quirks;
    this.#later(() =>
      this.beginReset({
        mode: q.resetMode,
        durationMs: q.resetDurationMs,
        busyCc: q.resetBusyCc,
        watchdog: "forget",
        resetWatchdogCc: null,
      }, `${kind}-reset`), 0);
  }

  /**
   * Reboot the BMC: forget what a reboot forgets, be unavailable in the
   * plan's way for its duration, then come back (possibly with broken
   * firmware). The SEL is non-volatile and the host keeps running.
   *
   * @param plan How the reset looks to the host.
   * @param origin Who asked.
   */
  beginReset(plan: ResetPlan, origin: string): void {
    this.#cancelOutage?.();
    const now = this.clock.now();
    this.#outage = { plan, origin, startedAt: now, endsAt: now + plan.durationMs };
    this.#log.info("BMC reset", {
      origin,
      mode: plan.mode,
      durationMs: plan.durationMs,
      watchdog: plan.watchdog,
    });
    this.events.emit("bmc.reset", { origin, ...plan });
    if (plan.watchdog === "forget") this.watchdog.forget(`BMC reset (${origin})`);
    this.messaging.resetToDefaults();
    this.device.reset();
    this.sel.cancelReservation();
    this.sdr.cancelReservation();
    this.sensors.resetEnables();
    this.#resetWatchdogCc = null;
    if (plan.mode === "disconnect") this.link.disconnect(`BMC reset (${origin})`);
    this.#cancelOutage = this.#later(() => {
      this.#cancelOutage = null;
      this.#endReset();
    }, plan.durationMs);
  }

  #endReset(): void {
    const outage = this.#outage;
    if (outage === null) return;
    this.#outage = null;
    this.#startedAt = this.clock.now();
    this.#resetWatchdogCc = outage.plan.resetWatchdogCc;
    this.#log.info("BMC ready after reset", {
      origin: outage.origin,
      resetWatchdogCc: this.#resetWatchdogCc,
    });
    this.events.emit("bmc.ready", {
      origin: outage.origin,
      firmware: this.#resetWatchdogCc === null
        ? "spec"
        : `reset-watchdog-timer answers 0x${this.#resetWatchdogCc.toString(16)}`,
    });
  }

  /** The reset in progress, if any. */
  get outage(): Outage | null {
    return this.#outage;
  }

  /** The hang in progress, if any. */
  get hang(): Hang | null {
    return this.#hang;
  }

  /**
   * Start a hang (replacing one in progress).
   *
   * @param spec Mode, automatic release (none: hold until released), sticky message kind.
   * @param origin Who asked.
   */
  startHang(spec: HangSpec, origin: string): void {
    if (this.#hang !== null) this.releaseHang(null, "replaced");
    const { mode } = spec;
    const durationMs = spec.durationMs ?? null;
    const message = spec.message ?? "response";
    const now = this.clock.now();
    const channel = spec.channel ?? null;
    this.#hang = {
      mode,
      message,
      origin,
      startedAt: now,
      endsAt: durationMs === null ? null : now + durationMs,
      channel,
    };
    if (mode === "sticky-event-buffer") this.messaging.setSticky("event-buffer");
    if (mode === "sticky-receive-queue") this.messaging.setSticky("receive-queue", message);
    const detail = {
      ...(mode === "sticky-receive-queue" ? { message } : {}),
      ...(channel === null ? {} : { channel }),
    };
    this.#log.warn("hang started", { mode, origin, durationMs, ...detail });
    this.events.emit("hang.started", { mode, origin, durationMs, ...detail });
    if (durationMs !== null) {
      this.#cancelHang = this.#later(() => {
        this.#cancelHang = null;
        this.releaseHang(null, "duration elapsed");
      }, durationMs);
    }
  }

  /**
   * End the hang in progress. A wedge sends its held reply (or `cc`).
   *
   * @param cc Completion code to answer the held request with, or `null` for the real reply.
   * @param reason Why, for the event.
   * @returns The released hang, or `null` if none was active.
   */
  releaseHang(cc: number | null, reason = "released"): Hang | null {
    const hang = this.#hang;
    if (hang === null) return null;
    this.#hang = null;
    this.#cancelHang?.();
    this.#cancelHang = null;
    const sticky = hang.mode.startsWith("sticky");
    const fetches = sticky ? { fetches: this.messaging.stickyFetches } : {};
    if (sticky) this.messaging.setSticky(null);
    const heldReply = hang.mode === "wedge" ? this.link.releaseHeld(cc) : false;
    const durationMs = Math.round(this.clock.now() - hang.startedAt);
    this.#log.info("hang released", {
      mode: hang.mode,
      reason,
      durationMs,
      heldReply,
      cc,
      ...fetches,
    });
    this.events.emit("hang.released", {
      mode: hang.mode,
      reason,
      durationMs,
      heldReply,
      ...fetches,
      ...(cc === null ? {} : { cc }),
    });
    return hang;
  }

  /** Code broken firmware answers to Reset Watchdog Timer, or `null`. */
  get resetWatchdogCc(): number | null {
    return this.#resetWatchdogCc;
  }

  /** Whether a VM may connect now (not during a `disconnect` reset). */
  acceptingConnections(): boolean {
    return this.#outage?.plan.mode !== "disconnect";
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
