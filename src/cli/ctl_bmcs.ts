/**
 * `ctl bmc remove ID`: BMCs of a running process.
 *
 * @module
 */

import type { CtlCommand } from "./ctl.ts";
import { ExitCode, UsageError } from "./usage_error.ts";

const bmc: CtlCommand = async (ctx) => {
  const [sub, id] = ctx.args;
  if (sub !== "remove" || id === undefined) {
    throw new UsageError("bmc needs remove ID");
  }
  const r = await ctx.api.json("DELETE", `/api/v1/bmcs/${encodeURIComponent(id)}`);
  if (ctx.json) ctx.io.stdout(JSON.stringify(r));
  else ctx.io.stdout(`removed ${id} (state ${r.stateFile ?? "in memory, gone"})`);
  return ExitCode.Ok;
};

/** The commands. */
export const bmcCommands: Record<string, CtlCommand> = { bmc };
