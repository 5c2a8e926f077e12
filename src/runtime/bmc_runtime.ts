/**
 * One running BMC with everything around it: core, VM link and listener or
 * connector, state store and event sink. `serve` builds one per configured
 * BMC; nothing here looks at other BMCs.
 *
 * @module
 */

import { logEvents } from "./event_log.ts";
import { claimState, removeStateFile } from "./state_profile.ts";
import type { Clock } from "../clock/clock.ts";
import { Bmc } from "../core/bmc.ts";
import type { StateStore } from "../core/ports.ts";
import type { EventSink } from "../core/events.ts";
import type { EventBus } from "../events/event_bus.ts";
import type { Logger } from "../log/logger.ts";
import { resolveProfile } from "../profile/parse_profile.ts";
import type { Profile } from "../profile/schema.ts";
import { type ConsoleSpec, LanService, type LanSpec } from "../lan/lan_service.ts";
import { QmpPowerBackend } from "../power/qmp_power_backend.ts";
import { MemoryStore } from "../store/memory_store.ts";
import { SqliteStore } from "../store/sqlite_store.ts";
import type { Endpoint } from "../transport/endpoint.ts";
import type { FaultRuleSpec } from "../core/faults.ts";
import type { UserSpec } from "../lan/users.ts";
import type { PeriodWheel } from "../clock/period_wheel.ts";
import type { BmcConfigEntry } from "./config_file.ts";
import type { VmAttachment } from "../transport/serve_connection.ts";
import { VmConnector } from "../transport/vm_connector.ts";
import { VmLink } from "../transport/vm_link.ts";
import { VmListener } from "../transport/vm_listener.ts";
import type { VmSession } from "../transport/vm_session.ts";
import { capabilityNames } from "../transport/vm_session.ts";

/**
 * What a running BMC starts from: the id, VM endpoint and QEMU monitor of its
 * configuration (the one shape, {@link BmcConfigEntry}) with what that
 * configuration names loaded or resolved. `bmcSpecOf()` derives it.
 */
export interface BmcSpec extends Pick<BmcConfigEntry, "id" | "vm" | "qmp"> {
  /** Validated profile. */
  readonly profile: Profile;
  /** State database path, or `null` to keep state in memory. */
  readonly stateFile: string | null;
  /** Empty the state file before opening it (`--reset-state`). */
  readonly resetState?: boolean;
  /** IPMI over LAN (RMCP+), or none. */
  readonly lan?: LanSpec | null;
  /** Serial console endpoint (what SOL carries), or none. */
  readonly console?: ConsoleSpec | null;
  /** The BMC's configured users (absent: the loopback-only default). */
  readonly users?: readonly UserSpec[];
  /** Fault rules active from the start. */
  readonly faults?: readonly FaultRuleSpec[];
}

/** Process-wide services a runtime uses. */
export interface RuntimeEnv {
  /** Time source. */
  readonly clock: Clock;
  /** Event bus. */
  readonly bus: EventBus;
  /** Root logger. */
  readonly log: Logger;
  /** The process's shared sensor scan (absent: each BMC scans on a timer of its own). */
  readonly sensorScan?: PeriodWheel;
}

/** The VM connection as shown in state. */
export interface ConnectionInfo {
  /** Whether a VM is connected. */
  readonly connected: boolean;
  /** `listen` or `connect`. */
  readonly mode: "listen" | "connect";
  /** Endpoint (with the real port). */
  readonly endpoint: Endpoint;
  /** Peer address. */
  readonly peer?: string;
  /** QEMU capability names. */
  readonly capabilities?: string[];
  /** Connect time, ISO 8601. */
  readonly connectedSince?: string;
  /** Requests served on this connection. */
  readonly requestsServed?: number;
  /** Dropped frames by reason. */
  readonly droppedFrames?: Readonly<Record<string, number>>;
  /** Seq of the last request (QEMU's per-interface counter). */
  readonly lastSeq?: number | null;
}

/** A running BMC. */
export class BmcRuntime {
  /** BMC id. */
  readonly id: string;
  /** The BMC core. */
  readonly bmc: Bmc;
  /** Its VM link. */
  readonly link: VmLink<VmSession>;
  /** Its state store. */
  readonly store: StateStore;
  readonly #mode: "listen" | "connect";
  readonly #events: EventSink;
  readonly #stopLogging: () => void;
  #listener: VmListener | null = null;
  /** IPMI over LAN and the serial console, if configured. */
  lan: LanService | null = null;
  #unsubscribeReset: (() => void) | null = null;
  #connector: VmConnector | null = null;
  readonly #qmp: QmpPowerBackend | null = null;

  private constructor(spec: BmcSpec, env: RuntimeEnv, store: StateStore) {
    this.id = spec.id;
    this.store = store;
    this.#mode = "listen" in spec.vm ? "listen" : "connect";
    const log = env.log.child({ bmc: spec.id });
    this.#stopLogging = logEvents(env.bus, spec.id, log, env.clock);
    const events = this.#events = env.bus.sinkFor(spec.id);
    this.link = new VmLink<VmSession>(events);
    if (spec.qmp !== undefined) {
      this.#qmp = new QmpPowerBackend({
        endpoint: spec.qmp,
        clock: env.clock,
        events,
        log,
      });
    }
    this.bmc = new Bmc({
      id: spec.id,
      config: resolveProfile(spec.profile, { bmcId: spec.id }),
      clock: env.clock,
      link: this.link,
      store,
      events,
      log,
      ...(this.#qmp === null ? {} : { power: this.#qmp }),
      ...(env.sensorScan === undefined ? {} : { sensorScan: env.sensorScan }),
    });
    this.#qmp?.start();
    for (const rule of spec.faults ?? []) this.bmc.faults.add(rule);
  }

  /**
   * Open the store, create the BMC and start its VM endpoint.
   *
   * @param spec BMC specification.
   * @param env Process services.
   * @returns The running BMC.
   * @throws {StateFileError} If the state file is unusable.
   * @throws {StateProfileMismatch} If it was written under another profile.
   */
  static async start(spec: BmcSpec, env: RuntimeEnv): Promise<BmcRuntime> {
    const store = await openStore(spec, env.log);
    const runtime = new BmcRuntime(spec, env, store);
    const att: VmAttachment = {
      bmc: runtime.bmc,
      link: runtime.link,
      clock: env.clock,
      events: runtime.#events,
      log: runtime.bmc.log,
    };
    try {
      if ("listen" in spec.vm) {
        runtime.#listener = await VmListener.start(spec.vm.listen, att);
      } else {
        runtime.#connector = new VmConnector(spec.vm.connect, att);
      }
      if (spec.lan || spec.console) await runtime.#startLan(spec, env);
    } catch (error) {
      runtime.#stopLogging();
      runtime.#unsubscribeReset?.();
      await runtime.#listener?.close();
      await runtime.#connector?.close();
      await runtime.#qmp?.close();
      runtime.bmc.close();
      store.close();
      throw error;
    }
    return runtime;
  }

  async #startLan(spec: BmcSpec, env: RuntimeEnv): Promise<void> {
    this.lan = await LanService.start({
      bmc: this.bmc,
      clock: env.clock,
      events: this.#events,
      log: this.bmc.log,
      store: this.store,
      lan: spec.lan ?? null,
      console: spec.console ?? null,
    });
    // A BMC reset (in-band, over LAN or from the API) ends the LAN sessions.
    this.#unsubscribeReset = env.bus.subscribe(
      { bmc: this.id, types: new Set(["bmc.reset"]) },
      () => this.lan?.dropSessions("BMC reset"),
    );
  }

  /** The VM endpoint (with the real port when 0 was asked for). */
  get endpoint(): Endpoint {
    return this.#listener?.endpoint ?? this.#connector!.endpoint;
  }

  /** The VM connection for state. */
  connection(): ConnectionInfo {
    const s = this.link.session;
    const base = { mode: this.#mode, endpoint: this.endpoint };
    if (s === null) return { connected: false, ...base };
    return {
      connected: true,
      ...base,
      peer: s.peer,
      capabilities: s.capabilities === null ? [] : capabilityNames(s.capabilities),
      connectedSince: new Date(s.connectedAt).toISOString(),
      requestsServed: s.stats.requests,
      droppedFrames: s.stats.dropped,
      lastSeq: s.stats.lastSeq,
    };
  }

  /**
   * Stop serving, stop timers, close the store.
   *
   * @param removed Taken out of the process (`DELETE /bmcs/{id}`): publish
   *   `bmc.removed` once closed, while its events are still logged.
   */
  async close(removed = false): Promise<void> {
    this.#unsubscribeReset?.();
    await this.lan?.close();
    await this.#listener?.close();
    await this.#connector?.close();
    await this.#qmp?.close();
    this.bmc.close();
    const stateFile = this.store instanceof MemoryStore ? null : this.store.location;
    this.store.close();
    if (removed) this.#events.emit("bmc.removed", { stateFile });
    this.#stopLogging();
  }
}

/** The BMC's store: memory, or its state file checked against its profile. */
async function openStore(spec: BmcSpec, log: Logger): Promise<StateStore> {
  if (spec.stateFile === null) return new MemoryStore();
  if (spec.resetState && await removeStateFile(spec.stateFile)) {
    log.warn("state file emptied (--reset-state)", { bmc: spec.id, stateFile: spec.stateFile });
  }
  const store = SqliteStore.open(spec.stateFile);
  try {
    claimState(store, spec.profile.name);
  } catch (error) {
    store.close();
    throw error;
  }
  return store;
}
