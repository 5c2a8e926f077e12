/**
 * From one BMC's configuration (`BmcConfigEntry`: a config file entry, the
 * body of `POST /api/v1/bmcs`, or the single-BMC flags) to what its runtime
 * starts from: the loaded profile, the state file path, the LAN and console
 * specs, the users and the resolved fault rules. The one place the
 * configuration is turned into runtime objects.
 *
 * @module
 */

import { DEFAULT_LAN_USERS, lanSecurityProblem, toUserSpecs } from "../lan/lan_config.ts";
import { randomSeed, resolveFaultRule } from "../faults/fault_schema.ts";
import type { Profile } from "../profile/schema.ts";
import type { BmcSpec } from "./bmc_runtime.ts";
import type { BmcConfigEntry } from "./config_file.ts";
import { parseAddress } from "../transport/endpoint.ts";

/** What a BMC's configuration is started with besides itself. */
export interface SpecEnv {
  /** Its profile, loaded (the entry names it). */
  readonly profile: Profile;
  /** The process's state directory (`null`: memory). */
  readonly stateDir: string | null;
  /** Empty its state file first (`--reset-state`). */
  readonly resetState?: boolean;
}

/**
 * The runtime spec of a BMC's configuration.
 *
 * @param entry The BMC's validated configuration.
 * @param env Its loaded profile and the process's state directory.
 * @returns The spec, or the security problem that forbids starting it.
 */
export function bmcSpecOf(entry: BmcConfigEntry, env: SpecEnv): BmcSpec | { problem: string } {
  const users = entry.users === undefined ? null : toUserSpecs(entry.users);
  let lan: BmcSpec["lan"] = null;
  if (entry.lan !== undefined) {
    const address = parseAddress(entry.lan.listen);
    if (address === null) return { problem: `lan.listen must be HOST:PORT` };
    const problem = lanSecurityProblem(address.hostname, users);
    if (problem !== null) return { problem };
    lan = {
      ...address,
      users: users ?? DEFAULT_LAN_USERS,
      ...(entry.lan.cipherSuites === undefined ? {} : { suites: entry.lan.cipherSuites }),
    };
  }
  const console = entry.console === undefined ? null : {
    listen: entry.console.listen,
    logFile: env.stateDir === null ? null : `${env.stateDir}/${entry.id}-console.log`,
  };
  return {
    id: entry.id,
    vm: entry.vm,
    ...(entry.qmp === undefined ? {} : { qmp: entry.qmp }),
    profile: env.profile,
    stateFile: entry.stateFile !== undefined
      ? entry.stateFile
      : env.stateDir === null
      ? null
      : `${env.stateDir}/${entry.id}.sqlite`,
    ...(env.resetState ? { resetState: true } : {}),
    lan,
    console,
    ...(users === null ? {} : { users }),
    // The schema checked the rules' names; each start draws fresh seeds for unseeded rules.
    faults: entry.faults.map((rule) => resolveFaultRule(rule, randomSeed)),
  };
}
