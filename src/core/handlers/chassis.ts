/**
 * Chassis commands (IPMI v2.0 ch. 28): capabilities, status from the power
 * model, Chassis Control through the power backend, identify, power restore
 * policy, restart cause and the system boot options (param 0, 3, 4, 5; others
 * answer 0x80, parameter not supported).
 *
 * @module
 */

import { BMC_SLAVE_ADDRESS, ChassisCmd, CompletionCode, NetFn } from "../../codec/constants.ts";
import { BOOT_PARAM_LENGTH, BOOT_PARAM_VERSION } from "../boot_options.ts";
import { RestorePolicy } from "../chassis.ts";
import { type CommandSpec, fail, ok } from "../command.ts";
import type { BmcContext } from "../context.ts";
import type { PowerOp } from "../ports.ts";

/** Chassis Control operations by request value (data byte [3:0]). */
export const CHASSIS_CONTROL_OPS: readonly PowerOp[] = [
  "off",
  "on",
  "cycle",
  "reset",
  "diag",
  "soft-off",
];

/** Get Chassis Capabilities flag: provides diagnostic interrupt (FP NMI). */
const CAP_DIAG_INTERRUPT = 0x04;
/** Misc chassis state: Chassis Identify command supported. */
const MISC_IDENTIFY_SUPPORTED = 0x40;
/** Misc chassis state: identify indefinite on. */
const MISC_IDENTIFY_ON = 0x20;
/** Supported restore policies bitmask (off, previous, on). */
const RESTORE_POLICIES_SUPPORTED = 0x07;

/** Chassis commands. */
export const chassisCommands: CommandSpec<BmcContext>[] = [
  {
    netfn: NetFn.Chassis,
    cmd: ChassisCmd.GetChassisCapabilities,
    length: 0,
    handle: () =>
      ok(
        CAP_DIAG_INTERRUPT,
        BMC_SLAVE_ADDRESS,
        BMC_SLAVE_ADDRESS,
        BMC_SLAVE_ADDRESS,
        BMC_SLAVE_ADDRESS,
      ),
  },
  {
    netfn: NetFn.Chassis,
    cmd: ChassisCmd.GetChassisStatus,
    length: 0,
    handle: (ctx) => {
      const chassis = ctx.chassis;
      const power = chassis.power === "on" ? 0x01 : 0x00;
      return ok(
        power | (chassis.restorePolicy << 5),
        chassis.lastPowerEvent,
        MISC_IDENTIFY_SUPPORTED | (chassis.identify ? MISC_IDENTIFY_ON : 0),
      );
    },
  },
  {
    netfn: NetFn.Chassis,
    cmd: ChassisCmd.ChassisControl,
    length: 1,
    handle: (ctx, data) => {
      const op = CHASSIS_CONTROL_OPS[data[0]! & 0x0f];
      if (op === undefined || data[0]! & 0xf0) return fail(CompletionCode.InvalidDataField);
      const result = ctx.chassisControl(op, "chassis-control");
      return result.ok ? ok() : fail(CompletionCode.NotSupportedInPresentState);
    },
  },
  {
    netfn: NetFn.Chassis,
    cmd: ChassisCmd.ChassisIdentify,
    length: [0, 2],
    handle: (ctx, data) => {
      const interval = data.length > 0 ? data[0]! : 15;
      const force = data.length > 1 && (data[1]! & 0x01) === 1;
      ctx.chassis.setIdentify(force || interval > 0);
      return ok();
    },
  },
  {
    netfn: NetFn.Chassis,
    cmd: ChassisCmd.SetPowerRestorePolicy,
    length: 1,
    handle: (ctx, data) => {
      const policy = data[0]! & 0x07;
      if (policy > RestorePolicy.Unknown || data[0]! & 0xf8) {
        return fail(CompletionCode.InvalidDataField);
      }
      ctx.chassis.setRestorePolicy(policy);
      return ok(RESTORE_POLICIES_SUPPORTED);
    },
  },
  {
    netfn: NetFn.Chassis,
    cmd: ChassisCmd.GetSystemRestartCause,
    length: 0,
    handle: (ctx) => ok(ctx.chassis.restartCause & 0x0f, 0x00),
  },
  {
    netfn: NetFn.Chassis,
    cmd: ChassisCmd.SetSystemBootOptions,
    length: [1, 17],
    handle: (ctx, data) => {
      const selector = data[0]! & 0x7f;
      const want = BOOT_PARAM_LENGTH[selector];
      if (want === undefined) return fail(CompletionCode.CommandSpecific80);
      if (data.length - 1 !== want) return fail(CompletionCode.RequestDataLengthInvalid);
      ctx.chassis.bootOptions.set(selector, data.subarray(1));
      return ok();
    },
  },
  {
    netfn: NetFn.Chassis,
    cmd: ChassisCmd.GetSystemBootOptions,
    length: 3,
    handle: (ctx, data) => {
      const selector = data[0]! & 0x7f;
      const value = ctx.chassis.bootOptions.get(selector);
      if (value === null) return fail(CompletionCode.CommandSpecific80);
      return ok(BOOT_PARAM_VERSION, selector, ...value);
    },
  },
];
