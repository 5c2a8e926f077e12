/**
 * Redfish's `Boot` override as the BMC's IPMI boot flags (IPMI v2.0 Table
 * 28-14, parameter 5): what `ipmitool chassis bootdev` sets, Redfish shows,
 * and the other way round. `Disabled` is flags not valid; `Once` valid for the
 * next boot; `Continuous` valid and persistent; the mode is the EFI bit.
 *
 * @module
 */

import type { BootDevice, BootFlags, BootOptions } from "../core/boot_options.ts";
import type { BootOverride } from "./service_context.ts";

/** Redfish targets and the IPMI boot devices they are. */
const TARGET_DEVICES: readonly (readonly [string, BootDevice])[] = [
  ["None", "none"],
  ["Pxe", "pxe"],
  ["Hdd", "disk"],
  ["Cd", "cdrom"],
  ["BiosSetup", "bios-setup"],
  ["Diags", "diagnostic"],
  ["Usb", "floppy"],
  ["RemoteHdd", "remote-disk"],
];

/** The targets a client may set. */
export const BOOT_TARGETS: readonly string[] = TARGET_DEVICES.map(([t]) => t);
/** `BootSourceOverrideEnabled` values. */
export const BOOT_ENABLED: readonly string[] = ["Disabled", "Once", "Continuous"];
/** `BootSourceOverrideMode` values. */
export const BOOT_MODES: readonly string[] = ["UEFI", "Legacy"];

/**
 * The override the boot flags say.
 *
 * @param flags Decoded boot flags.
 * @returns Redfish's view.
 */
export function overrideOf(flags: BootFlags): BootOverride {
  const target = TARGET_DEVICES.find(([, d]) => d === flags.device)?.[0] ?? "None";
  return {
    enabled: !flags.valid ? "Disabled" : flags.persistent ? "Continuous" : "Once",
    target,
    mode: flags.efi ? "UEFI" : "Legacy",
  };
}

/**
 * Write an override (values already validated) as the boot flags.
 *
 * @param options The BMC's boot options.
 * @param override Redfish's values.
 */
export function applyOverride(options: BootOptions, override: BootOverride): void {
  const device = TARGET_DEVICES.find(([t]) => t === override.target)?.[1] ?? "none";
  options.setFlags({
    valid: override.enabled !== "Disabled",
    persistent: override.enabled === "Continuous",
    efi: override.mode === "UEFI",
    device,
  });
}
