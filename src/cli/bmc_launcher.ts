/**
 * Starting and stopping BMCs in a running process, for `serve` (its config
 * or flags) and for `POST`/`DELETE /api/v1/bmcs` alike: the profile, the
 * state file, the LAN and Redfish services and the fault rules of a BMC
 * come up (and go down) together.
 *
 * @module
 */

import type { Clock } from "../clock/clock.ts";
import type { PeriodWheel } from "../clock/period_wheel.ts";
import { sharedSensorScan } from "../core/sensor_scan.ts";
import type { EventBus } from "../events/event_bus.ts";
import { DEFAULT_LAN_USERS } from "../lan/lan_config.ts";
import type { Logger } from "../log/logger.ts";
import { loadProfile } from "../profile/load_profile.ts";
import type { Profile } from "../profile/schema.ts";
import { redfishListenOf, redfishRefusal } from "../redfish/redfish_options.ts";
import { type RedfishServer, startRedfishServer } from "../redfish/server.ts";
import { BmcRuntime } from "../runtime/bmc_runtime.ts";
import { bmcSpecOf } from "../runtime/bmc_spec.ts";
import type { BmcConfigEntry } from "../runtime/config_file.ts";
import { OperationError } from "../runtime/operation_error.ts";
import { removeBmc } from "../runtime/operations.ts";
import type { Registry } from "../runtime/registry.ts";
import { formatEndpoint } from "../transport/endpoint.ts";

/**
 * BMCs started between two turns of the event loop: starting thousands
 * otherwise runs as one long chain of promise jobs, and the first BMCs could
 * not answer their VMs until the last had started.
 */
const STARTS_PER_TURN = 64;

/** `listen tcp:127.0.0.1:9002`: how a BMC meets its VM, with the real port. */
function vmText(bmc: BmcConfigEntry, runtime: BmcRuntime): string {
  return `${"listen" in bmc.vm ? "listen" : "connect"} ${formatEndpoint(runtime.endpoint)}`;
}

/** A BMC that must not start as configured (the message says why). */
export class LaunchRefusal extends Error {
  override readonly name = "LaunchRefusal";
}

/** What the launcher works with. */
export interface LauncherEnv {
  /** Time source. */
  readonly clock: Clock;
  /** Event bus. */
  readonly bus: EventBus;
  /** Logger. */
  readonly log: Logger;
  /** The process's BMCs. */
  readonly registry: Registry;
  /** Where state files go (`null`: memory). */
  readonly stateDir: string | null;
}

/** Starts and stops BMCs with their services. */
export class BmcLauncher {
  readonly #env: LauncherEnv;
  /** One timer steps every launched BMC's sensors (spread over the second), not one per BMC. */
  readonly #sensorScan: PeriodWheel;
  readonly #profiles = new Map<string, Profile>();
  readonly #redfish = new Map<string, RedfishServer>();
  #starts = 0;

  /**
   * Create a launcher.
   *
   * @param env What it works with.
   */
  constructor(env: LauncherEnv) {
    this.#env = env;
    this.#sensorScan = sharedSensorScan(env.clock);
  }

  /** The Redfish services started, by BMC id. */
  get redfish(): ReadonlyMap<string, RedfishServer> {
    return this.#redfish;
  }

  async #profile(name: string): Promise<Profile> {
    let profile = this.#profiles.get(name);
    if (profile === undefined) {
      profile = (await loadProfile(name)).profile;
      this.#profiles.set(name, profile);
    }
    return profile;
  }

  /**
   * Start a BMC and add it to the registry.
   *
   * @param bmc Its configuration.
   * @param options `resetState`: empty its state file first.
   * @returns The running BMC.
   * @throws {LaunchRefusal} When its LAN or Redfish settings are refused.
   */
  async start(
    bmc: BmcConfigEntry,
    options: { readonly resetState?: boolean } = {},
  ): Promise<BmcRuntime> {
    const { clock, bus, log, registry, stateDir } = this.#env;
    if (++this.#starts % STARTS_PER_TURN === 0) await new Promise((r) => setTimeout(r, 0));
    const profile = await this.#profile(bmc.profile);
    const spec = bmcSpecOf(bmc, { profile, stateDir, resetState: options.resetState ?? false });
    if ("problem" in spec) throw new LaunchRefusal(`Refusing to start ${bmc.id}: ${spec.problem}`);
    const users = spec.users ?? null;
    const redfish = bmc.redfish === undefined ? null : redfishListenOf(bmc.redfish);
    const refusal = redfish === null ? null : redfishRefusal(redfish, users);
    if (refusal !== null) throw new LaunchRefusal(refusal);
    const runtime = await BmcRuntime.start(spec, { clock, bus, log, sensorScan: this.#sensorScan });
    registry.add(runtime);
    if (redfish !== null) {
      this.#redfish.set(
        bmc.id,
        await startRedfishServer(redfish, {
          target: runtime,
          users: users ?? DEFAULT_LAN_USERS,
          clock,
          bus,
          log,
        }),
      );
    }
    log.info("BMC started", {
      bmc: bmc.id,
      profile: profile.name,
      state: runtime.store.location,
      vm: vmText(bmc, runtime),
      power: bmc.qmp === undefined ? "vm" : `qmp ${formatEndpoint(bmc.qmp)}`,
    });
    return runtime;
  }

  /**
   * Start a BMC from its configuration at run time (`POST /api/v1/bmcs`).
   *
   * @param entry The validated configuration.
   * @returns The running BMC.
   * @throws {OperationError} `conflict` naming `id` or the endpoint in use, or a refusal.
   */
  async add(entry: BmcConfigEntry): Promise<BmcRuntime> {
    if (this.#env.registry.get(entry.id) !== undefined) {
      throw new OperationError("conflict", `A BMC with id "${entry.id}" exists already`, "id");
    }
    // Binding would find the socket in use and probe it, which the holder sees as a VM that
    // connects and leaves (and powers off): name the holder instead.
    const listen = "listen" in entry.vm ? formatEndpoint(entry.vm.listen) : null;
    const holder = this.#env.registry.list().find((r) => formatEndpoint(r.endpoint) === listen);
    if (holder !== undefined) {
      throw new OperationError(
        "conflict",
        `Cannot add BMC "${entry.id}": vm.listen is in use by BMC "${holder.id}"`,
        "vm.listen",
      );
    }
    try {
      const runtime = await this.start(entry);
      this.#env.bus.publish(runtime.id, "bmc.added", {
        profile: entry.profile,
        vm: vmText(entry, runtime),
      });
      return runtime;
    } catch (error) {
      if (error instanceof LaunchRefusal) throw new OperationError("conflict", error.message);
      // Listeners name their address in the message and keep the platform's error as the cause.
      const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
      if (error instanceof Deno.errors.AddrInUse || cause instanceof Deno.errors.AddrInUse) {
        const where = "listen" in entry.vm ? "vm.listen" : "the LAN or Redfish address";
        throw new OperationError(
          "conflict",
          `Cannot add BMC "${entry.id}": ${where} is in use`,
          "vm.listen",
        );
      }
      throw error;
    }
  }

  /**
   * Stop a BMC and its services (`DELETE /api/v1/bmcs/{id}`); its state file stays.
   *
   * @param id BMC id.
   * @returns The state file it kept.
   * @throws {OperationError} `not-found`.
   */
  async remove(id: string): Promise<{ readonly stateFile: string | null }> {
    const redfish = this.#redfish.get(id);
    const removed = await removeBmc(this.#env.registry, id);
    this.#redfish.delete(id);
    await redfish?.close();
    return removed;
  }

  /** Stop every Redfish service (the registry closes the BMCs). */
  async close(): Promise<void> {
    await Promise.all([...this.#redfish.values()].map((r) => r.close()));
    this.#redfish.clear();
  }
}
