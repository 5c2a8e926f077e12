/**
 * `ctl bmc add ENTRY-JSON | --file FILE` and `ctl bmc remove ID`: BMCs of a
 * running process.
 *
 * @module
 */

import type { CtlCommand } from "./ctl.ts";
import { readJsonArg } from "./ctl_faults.ts";
import { ExitCode, UsageError } from "./usage_error.ts";

const bmc: CtlCommand = async (ctx) => {
  const [sub, arg] = ctx.args;
  if (sub === "add") {
    const entry = await readJsonArg(ctx, arg, "bmc add");
    const r = await ctx.api.json("POST", "/api/v1/bmcs", entry);
    if (ctx.json) ctx.io.stdout(JSON.stringify(r));
    else ctx.io.stdout(`added ${r.id} (${r.vm})`);
    return ExitCode.Ok;
  }
  if (sub !== "remove" || arg === undefined) {
    throw new UsageError("bmc needs add ENTRY-JSON|--file FILE, or remove ID");
  }
  const r = await ctx.api.json("DELETE", `/api/v1/bmcs/${encodeURIComponent(arg)}`);
  if (ctx.json) ctx.io.stdout(JSON.stringify(r));
  else ctx.io.stdout(`removed ${arg} (state ${r.stateFile ?? "in memory, gone"})`);
  return ExitCode.Ok;
};

/** The commands. */
export const bmcCommands: Record<string, CtlCommand> = { bmc };
