/**
 * ctl commands added by later layers (faults, scenarios, hangs, sensors),
 * collected in one place.
 *
 * @module
 */

import type { CtlCommand } from "./ctl.ts";
import { bmcCommands } from "./ctl_bmcs.ts";
import { faultCommands } from "./ctl_faults.ts";
import { sensorCommands } from "./ctl_sensors.ts";
import { qemuArgs } from "./ctl_qemu_args.ts";

/**
 * Extra ctl commands by name.
 *
 * @returns Commands.
 */
export function extraCtlCommands(): Record<string, CtlCommand> {
  return { ...faultCommands, ...sensorCommands, ...bmcCommands, "qemu-args": qemuArgs };
}
