/**
 * OEM commands a profile answers with fixed data, such as the probe
 * Lenovo's tools use to recognise an XCC (netfn 0x3A, command 0xC1).
 *
 * @module
 */

import { type CommandSpec, okBytes } from "../command.ts";
import type { BmcContext } from "../context.ts";
import type { OemCommand } from "../sensor_config.ts";

/**
 * Dispatch entries for a profile's OEM commands (any request data).
 *
 * @param commands The profile's OEM commands.
 * @returns Command specs answering the fixed data.
 */
export function oemCommandSpecs(commands: readonly OemCommand[]): CommandSpec<BmcContext>[] {
  return commands.map((c) => ({
    netfn: c.netfn,
    cmd: c.cmd,
    length: [0, 255] as const,
    handle: () => okBytes(c.response),
  }));
}
