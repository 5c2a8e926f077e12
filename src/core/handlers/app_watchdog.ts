/**
 * Watchdog commands: Reset, Set and Get Watchdog Timer (IPMI v2.0 27.5–27.7).
 *
 * @module
 */

import { AppCmd, CompletionCode, NetFn } from "../../codec/constants.ts";
import { type CommandSpec, fail, ok, okBytes } from "../command.ts";
import type { BmcContext } from "../context.ts";

/** Watchdog commands. */
export const appWatchdogCommands: CommandSpec<BmcContext>[] = [
  {
    netfn: NetFn.App,
    cmd: AppCmd.ResetWatchdogTimer,
    length: 0,
    handle: (ctx) => {
      const cc = ctx.watchdog.reset();
      return cc === CompletionCode.Ok ? ok() : fail(cc);
    },
  },
  {
    netfn: NetFn.App,
    cmd: AppCmd.SetWatchdogTimer,
    length: 6,
    handle: (ctx, data) => {
      const cc = ctx.watchdog.set(data);
      return cc === CompletionCode.Ok ? ok() : fail(cc);
    },
  },
  {
    netfn: NetFn.App,
    cmd: AppCmd.GetWatchdogTimer,
    length: 0,
    handle: (ctx) => okBytes(ctx.watchdog.get()),
  },
];
