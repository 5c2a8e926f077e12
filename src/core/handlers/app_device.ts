/**
 * App commands about the device itself: Get Device ID, GUIDs, self test,
 * Cold/Warm Reset, ACPI power state (IPMI v2.0 ch. 20).
 *
 * @module
 */

import { AppCmd, CompletionCode, NetFn } from "../../codec/constants.ts";
import { type CommandSpec, fail, le16, le24, ok, okBytes } from "../command.ts";
import type { BmcContext } from "../context.ts";
import { ACPI_UNKNOWN } from "../device_state.ts";

const ACPI_SET = 0x80;
const ACPI_STATE = 0x7f;
const ACPI_NO_CHANGE = 0x7f;
const FW_DEVICE_UNAVAILABLE = 0x80;
const PROVIDES_DEVICE_SDRS = 0x80;

function validSystemState(state: number): boolean {
  return state <= 0x0a || state === 0x20 || state === 0x21 ||
    state === ACPI_UNKNOWN || state === ACPI_NO_CHANGE;
}

function validDeviceState(state: number): boolean {
  return state <= 0x03 || state === ACPI_UNKNOWN || state === ACPI_NO_CHANGE;
}

/**
 * Get Device ID response data (15 bytes).
 *
 * @param ctx BMC context.
 * @returns Response bytes.
 */
export function deviceIdBytes(ctx: BmcContext): Uint8Array {
  const id = ctx.config.identity;
  return Uint8Array.of(
    id.deviceId,
    (id.providesDeviceSdrs ? PROVIDES_DEVICE_SDRS : 0) | (id.deviceRevision & 0x0f),
    (ctx.deviceAvailable() ? 0 : FW_DEVICE_UNAVAILABLE) | (id.firmwareMajor & 0x7f),
    id.firmwareMinor,
    id.ipmiVersion,
    id.additionalSupport,
    ...le24(id.manufacturerId),
    ...le16(id.productId),
    ...id.auxFirmware,
  );
}

/** App device commands. */
export const appDeviceCommands: CommandSpec<BmcContext>[] = [
  {
    netfn: NetFn.App,
    cmd: AppCmd.GetDeviceId,
    length: 0,
    handle: (ctx) => okBytes(deviceIdBytes(ctx)),
  },
  {
    netfn: NetFn.App,
    cmd: AppCmd.GetDeviceGuid,
    length: 0,
    handle: (ctx) =>
      ctx.config.deviceGuid === null
        ? fail(CompletionCode.InvalidCommand)
        : okBytes(ctx.config.deviceGuid),
  },
  {
    netfn: NetFn.App,
    cmd: AppCmd.GetSystemGuid,
    length: 0,
    handle: (ctx) =>
      ctx.config.systemGuid === null
        ? fail(CompletionCode.InvalidCommand)
        : okBytes(ctx.config.systemGuid),
  },
  {
    netfn: NetFn.App,
    cmd: AppCmd.GetSelfTestResults,
    length: 0,
    handle: (ctx) => ok(...ctx.config.selfTest),
  },
  {
    netfn: NetFn.App,
    cmd: AppCmd.ColdReset,
    length: 0,
    handle: (ctx) => {
      ctx.requestBmcReset("cold");
      return ok();
    },
  },
  {
    netfn: NetFn.App,
    cmd: AppCmd.WarmReset,
    length: 0,
    handle: (ctx) => {
      ctx.requestBmcReset("warm");
      return ok();
    },
  },
  {
    netfn: NetFn.App,
    cmd: AppCmd.SetAcpiPowerState,
    length: 2,
    handle: (ctx, data) => {
      const system = data[0]! & ACPI_STATE;
      const device = data[1]! & ACPI_STATE;
      if (!validSystemState(system) || !validDeviceState(device)) {
        return fail(CompletionCode.InvalidDataField);
      }
      if (data[0]! & ACPI_SET && system !== ACPI_NO_CHANGE) ctx.device.acpiSystem = system;
      if (data[1]! & ACPI_SET && device !== ACPI_NO_CHANGE) ctx.device.acpiDevice = device;
      return ok();
    },
  },
  {
    netfn: NetFn.App,
    cmd: AppCmd.GetAcpiPowerState,
    length: 0,
    handle: (ctx) => ok(ctx.device.acpiSystem, ctx.device.acpiDevice),
  },
];
