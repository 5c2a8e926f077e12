/**
 * The IPMI over LAN and serial console part of `serve`: the flags
 * (`--lan-listen`, `--lan-user`, `--console-listen`), the config entries
 * (`bmcs[].lan`, `bmcs[].console`), the security check and the banner lines.
 *
 * @module
 */

import {
  DEFAULT_LAN_USERS,
  lanSecurityProblem,
  parseLanListen,
  qemuConsoleArgs,
} from "../lan/lan_config.ts";
import type { ConsoleSpec, LanSpec } from "../lan/lan_service.ts";
import type { UserSpec } from "../lan/users.ts";
import type { BmcRuntime } from "../runtime/bmc_runtime.ts";
import { type Endpoint, formatEndpoint, parseEndpoint } from "../transport/endpoint.ts";
import { errorMessage } from "../util/error_message.ts";
import { parseLanUser } from "../lan/lan_config.ts";
import { UsageError } from "./usage_error.ts";

/** `parseArgs` options of the LAN flags. */
export const LAN_SERVE_OPTIONS = {
  "lan-listen": { type: "string" },
  "lan-user": { type: "string", multiple: true },
  "console-listen": { type: "string" },
} as const;

/** Flags that only make sense for the single BMC of the command line. */
export const LAN_SINGLE_BMC_FLAGS = ["lan-listen", "lan-user", "console-listen"] as const;

/** LAN and console of one BMC as `serve` plans them. */
export interface LanOptions {
  /** LAN address, or `null` for none. */
  readonly lan: { readonly hostname: string; readonly port: number } | null;
  /** Enabled cipher suites (`undefined`: all). */
  readonly suites?: readonly number[];
  /** Console endpoint, or `null`. */
  readonly console: Endpoint | null;
}

/**
 * Read the LAN flags.
 *
 * @param values Parsed flag values.
 * @returns The options.
 * @throws {UsageError} If a value is malformed.
 */
export function parseLanFlags(values: {
  readonly "lan-listen"?: string | undefined;
  readonly "lan-user"?: string[] | undefined;
  readonly "console-listen"?: string | undefined;
  readonly "redfish-listen"?: string | undefined;
}): LanOptions & { readonly users: readonly UserSpec[] | null } {
  let lan = null;
  if (values["lan-listen"] !== undefined) {
    lan = parseLanListen(values["lan-listen"]);
    if (lan === null) {
      throw new UsageError(`Option --lan-listen must be HOST:PORT, got "${values["lan-listen"]}"`);
    }
  }
  const given = values["lan-user"] ?? [];
  // The users are the BMC's: IPMI over LAN's and Redfish's.
  if (given.length > 0 && lan === null && values["redfish-listen"] === undefined) {
    throw new UsageError("Option --lan-user needs --lan-listen or --redfish-listen");
  }
  let users: UserSpec[] | null = null;
  if (given.length > 0) {
    try {
      users = given.map((text, i) => parseLanUser(text, i + 2));
    } catch (error) {
      throw new UsageError(`Option ${errorMessage(error)}`);
    }
    const names = new Set(users.map((u) => u.name));
    if (names.size !== users.length) throw new UsageError("Option --lan-user repeats a user name");
  }
  let console: Endpoint | null = null;
  if (values["console-listen"] !== undefined) {
    try {
      console = parseEndpoint(values["console-listen"]);
    } catch (error) {
      throw new UsageError(`Option --console-listen: ${errorMessage(error)}`);
    }
  }
  return { lan, users, console };
}

/**
 * The runtime specs of a BMC's LAN and console.
 *
 * @param id BMC id.
 * @param options LAN options.
 * @param users The BMC's users (`null`: none configured, the loopback-only default).
 * @param stateDir State directory (console log), or `null`.
 * @returns Specs, or the security problem that forbids them.
 */
export function lanSpecs(
  id: string,
  options: LanOptions,
  users: readonly UserSpec[] | null,
  stateDir: string | null,
): { lan: LanSpec | null; console: ConsoleSpec | null } | { problem: string } {
  let lan: LanSpec | null = null;
  if (options.lan !== null) {
    const problem = lanSecurityProblem(options.lan.hostname, users);
    if (problem !== null) return { problem };
    lan = {
      ...options.lan,
      users: users ?? DEFAULT_LAN_USERS,
      ...(options.suites === undefined ? {} : { suites: options.suites }),
    };
  }
  const console = options.console === null ? null : {
    listen: options.console,
    logFile: stateDir === null ? null : `${stateDir}/${id}-console.log`,
  };
  return { lan, console };
}

/**
 * Banner lines: how to reach a BMC over LAN and attach its console.
 *
 * @param runtime The BMC.
 * @param users Its LAN users (for the example command line).
 * @returns Lines.
 */
export function lanBanner(runtime: BmcRuntime, users: readonly UserSpec[] | null): string[] {
  const lines: string[] = [];
  const lan = runtime.lan;
  const listen = lan?.lanListen ?? null;
  let ipmitool = "";
  if (listen !== null) {
    const sep = listen.lastIndexOf(":");
    const host = listen.slice(0, sep).replace(/^\[|\]$/g, "");
    const port = listen.slice(sep + 1);
    const user = (users ?? DEFAULT_LAN_USERS)[0]!;
    const password = users === null ? user.password : "PASSWORD";
    ipmitool = `ipmitool -I lanplus -H ${host} -p ${port} -U ${user.name} -P ${password}`;
    lines.push(
      `IPMI over LAN ${runtime.id}: udp ${listen}`,
      `  ${ipmitool} mc info`,
      `  bmc-info -h ${host}:${port} -u ${user.name} -p ${password} --driver-type=LAN_2_0`,
    );
  }
  const consoleEndpoint = lan?.console?.endpoint ?? null;
  if (consoleEndpoint !== null) {
    lines.push(
      `Serial console ${runtime.id}: ${
        formatEndpoint(consoleEndpoint)
      }; attach the guest's ttyS0 with:`,
      `    ${qemuConsoleArgs(consoleEndpoint, runtime.id).join(" ")}`,
    );
    if (listen !== null) lines.push(`  and watch it (~. leaves) with: ${ipmitool} sol activate`);
  }
  return lines;
}
