/**
 * What the resource modules of one Redfish service share: the BMC
 * operations, the resource ids, sessions, users, the clock, the log and the
 * boot override the service keeps.
 *
 * @module
 */

import type { Clock } from "../clock/clock.ts";
import type { Logger } from "../log/logger.ts";
import type { UserSpec as BmcUser } from "../lan/users.ts";
import type { BmcOps } from "./bmc_ops.ts";
import { ROOT } from "./odata.ts";
import type { SessionStore } from "./sessions.ts";

/** Ids of the one System, Manager and Chassis. */
export interface ResourceIds {
  /** ComputerSystem id. */
  readonly system: string;
  /** Manager id. */
  readonly manager: string;
  /** Chassis id. */
  readonly chassis: string;
}

/** The `Boot` override, as Redfish spells it (kept as the BMC's IPMI boot flags; QEMU's boot order is not changed). */
export interface BootOverride {
  /** `Disabled`, `Once` or `Continuous`. */
  enabled: string;
  /** `None`, `Pxe`, `Hdd`, `Cd`, `BiosSetup`, … */
  target: string;
  /** `UEFI` or `Legacy`. */
  mode: string;
}

/** Network protocols shown in `ManagerNetworkProtocol`. */
export interface NetworkInfo {
  /** Redfish port. */
  readonly redfishPort: number;
  /** Whether Redfish is served over HTTPS. */
  readonly https: boolean;
  /** Host name the service is bound to. */
  readonly hostname: string;
}

/** Shared state of one service. */
export interface ServiceContext {
  /** BMC operations. */
  readonly ops: BmcOps;
  /** Resource ids. */
  readonly ids: ResourceIds;
  /** Sessions. */
  readonly sessions: SessionStore;
  /** Users. */
  readonly users: readonly BmcUser[];
  /** Time source. */
  readonly clock: Clock;
  /** Logger. */
  readonly log: Logger;
  /** Network protocols. */
  readonly network: NetworkInfo;
}

/** Paths of the service's resources. */
export function pathsOf(ids: ResourceIds): {
  system: string;
  manager: string;
  chassis: string;
  sel: string;
} {
  const manager = `${ROOT}/Managers/${ids.manager}`;
  return {
    system: `${ROOT}/Systems/${ids.system}`,
    manager,
    chassis: `${ROOT}/Chassis/${ids.chassis}`,
    sel: `${manager}/LogServices/SEL`,
  };
}

/**
 * The resource ids a BMC's Redfish uses: Dell's iDRAC names its resources
 * `System.Embedded.1` / `iDRAC.Embedded.1` (IANA 674); every other profile
 * uses plain `1`.
 *
 * @param manufacturerId IANA manufacturer id of the profile.
 * @returns Ids.
 */
export function resourceIdsFor(manufacturerId: number): ResourceIds {
  if (manufacturerId === 674) {
    return {
      system: "System.Embedded.1",
      manager: "iDRAC.Embedded.1",
      chassis: "System.Embedded.1",
    };
  }
  return { system: "1", manager: "1", chassis: "1" };
}
