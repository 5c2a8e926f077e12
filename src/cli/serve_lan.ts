/**
 * The IPMI over LAN and serial console part of `serve`: the flags
 * (`--lan-listen`, `--lan-user`, `--console-listen`) read into the single
 * BMC's configuration, and the banner lines.
 *
 * @module
 */

import { DEFAULT_LAN_USERS, type LanUserInput, qemuConsoleArgs } from "../lan/lan_config.ts";
import type { BmcRuntime } from "../runtime/bmc_runtime.ts";
import type { BmcConfigEntry } from "../runtime/config_file.ts";
import {
  type Endpoint,
  formatEndpoint,
  parseAddress,
  parseEndpoint,
} from "../transport/endpoint.ts";
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

/**
 * Read the LAN flags into the single BMC's configuration.
 *
 * @param values Parsed flag values.
 * @returns The entry's `lan`, `console` and `users` (each absent unless given).
 * @throws {UsageError} If a value is malformed.
 */
export function parseLanFlags(values: {
  readonly "lan-listen"?: string | undefined;
  readonly "lan-user"?: string[] | undefined;
  readonly "console-listen"?: string | undefined;
  readonly "redfish-listen"?: string | undefined;
}): Pick<BmcConfigEntry, "lan" | "console" | "users"> {
  const listen = values["lan-listen"];
  if (listen !== undefined && parseAddress(listen) === null) {
    throw new UsageError(`Option --lan-listen must be HOST:PORT, got "${listen}"`);
  }
  const given = values["lan-user"] ?? [];
  // The users are the BMC's: IPMI over LAN's and Redfish's.
  if (given.length > 0 && listen === undefined && values["redfish-listen"] === undefined) {
    throw new UsageError("Option --lan-user needs --lan-listen or --redfish-listen");
  }
  let users: LanUserInput[] | null = null;
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
  return {
    ...(listen === undefined ? {} : { lan: { listen } }),
    ...(console === null ? {} : { console: { listen: console } }),
    ...(users === null ? {} : { users }),
  };
}

/**
 * Banner lines: how to reach a BMC over LAN and attach its console.
 *
 * @param runtime The BMC.
 * @param users Its configured users (for the example command line), or `null`.
 * @returns Lines.
 */
export function lanBanner(
  runtime: BmcRuntime,
  users: readonly { readonly name: string; readonly password: string }[] | null,
): string[] {
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
