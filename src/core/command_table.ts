/**
 * The commands a BMC answers: every handler table, the profile's OEM
 * commands, less what the profile declares unsupported.
 *
 * @module
 */

import type { CommandSpec } from "./command.ts";
import type { BmcConfig } from "./config.ts";
import type { BmcContext } from "./context.ts";
import { appDeviceCommands } from "./handlers/app_device.ts";
import { appMessagingCommands } from "./handlers/app_messaging.ts";
import { appWatchdogCommands } from "./handlers/app_watchdog.ts";
import { chassisCommands } from "./handlers/chassis.ts";
import { oemCommandSpecs } from "./handlers/oem.ts";
import { deviceSdrCommands, sensorCommands } from "./handlers/sensor_commands.ts";
import { sensorEventCommands } from "./handlers/sensor_event.ts";
import { storageSdrFruCommands } from "./handlers/storage_sdr_fru.ts";
import { storageSelCommands } from "./handlers/storage_sel.ts";

/**
 * The command table of a BMC with this configuration.
 *
 * @param config The resolved profile.
 * @returns Command specs for the dispatcher.
 */
export function bmcCommandSpecs(config: BmcConfig): CommandSpec<BmcContext>[] {
  return [
    ...oemCommandSpecs(config.oemCommands),
    ...appDeviceCommands,
    ...appMessagingCommands,
    ...appWatchdogCommands,
    ...chassisCommands,
    ...sensorEventCommands,
    ...sensorCommands,
    ...deviceSdrCommands,
    ...storageSelCommands,
    ...storageSdrFruCommands,
  ].filter((spec) => !config.unsupportedCommands.has((spec.netfn << 8) | spec.cmd));
}
