/**
 * A config-file BMC entry (`bmcs[i]`, or the body of `POST /api/v1/bmcs`)
 * as the options `serve` starts a BMC from. Errors name the field under
 * `prefix` (`bmcs[2].lan.listen` in a file, `lan.listen` in a request).
 *
 * @module
 */

import { FaultRuleError, randomSeed, resolveFaultRule } from "../faults/fault_schema.ts";
import { toUserSpecs } from "../lan/lan_config.ts";
import { parseRedfishListen } from "../redfish/redfish_options.ts";
import type { RedfishListen } from "../redfish/server.ts";
import { type BmcEntry, ConfigError } from "../runtime/config_file.ts";
import { parseHostPort } from "../transport/endpoint.ts";
import type { BmcOptions } from "./serve_args.ts";

/** Where an entry came from, for errors. */
export interface EntrySource {
  /** Config file (empty for a request). */
  readonly file: string;
  /** Field prefix (`bmcs[2]`, or `""` for a request body). */
  readonly prefix: string;
}

function field(source: EntrySource, path: string): string {
  return source.prefix === "" ? path : `${source.prefix}.${path}`;
}

function redfishOf(source: EntrySource, redfish: NonNullable<BmcEntry["redfish"]>): RedfishListen {
  try {
    const listen = parseRedfishListen(redfish.listen, redfish.tls, "must be HOST:PORT");
    return redfish.faults === undefined ? listen : { ...listen, faults: redfish.faults };
  } catch {
    throw new ConfigError(source.file, field(source, "redfish.listen"), `must be HOST:PORT`);
  }
}

function lanListenOf(source: EntrySource, listen: string): { hostname: string; port: number } {
  const hostPort = parseHostPort(listen);
  if (hostPort === null || hostPort.port > 65535) {
    throw new ConfigError(
      source.file,
      field(source, "lan.listen"),
      `must be HOST:PORT, got "${listen}"`,
    );
  }
  return hostPort;
}

/**
 * The options of one entry.
 *
 * @param b The validated entry.
 * @param source Where it came from.
 * @returns What `serve` starts the BMC from.
 * @throws {ConfigError} Naming the field.
 */
export function bmcOptionsOf(b: BmcEntry, source: EntrySource): BmcOptions {
  return {
    id: b.id,
    profile: b.profile,
    vm: "listen" in b.vm
      ? { mode: "listen" as const, endpoint: b.vm.listen }
      : { mode: "connect" as const, endpoint: b.vm.connect },
    qmp: b.qmp ?? null,
    ...(b.stateFile === undefined ? {} : { stateFile: b.stateFile }),
    ...(b.users === undefined ? {} : { users: toUserSpecs(b.users) }),
    redfish: b.redfish === undefined ? null : redfishOf(source, b.redfish),
    lan: {
      lan: b.lan === undefined ? null : lanListenOf(source, b.lan.listen),
      ...(b.lan?.cipherSuites === undefined ? {} : { suites: b.lan.cipherSuites }),
      console: b.console?.listen ?? null,
    },
    faults: b.faults.map((rule, j) => {
      try {
        return resolveFaultRule(rule, randomSeed);
      } catch (error) {
        if (error instanceof FaultRuleError) {
          throw new ConfigError(
            source.file,
            field(source, `faults[${j}].${error.field}`),
            error.problem,
          );
        }
        throw error;
      }
    }),
  };
}
