/**
 * `ctl qemu-args`: the QEMU arguments that attach a guest to one BMC of a
 * running bmc-emu, spelled for the QEMU that will run them (`--qemu PATH`,
 * `BMC_EMU_QEMU`, or `qemu-system-x86_64` on the PATH), so a script can say
 * `qemu-system-x86_64 … $(bmc-emu ctl qemu-args --bmc n2)`.
 *
 * @module
 */

import type { CtlCommand, CtlContext } from "./ctl.ts";
import { ExitCode, UsageError } from "./usage_error.ts";
import { defaultQemu, detectQemuVersion } from "../guest/qemu_version.ts";
import { type InterfaceKind, qemuIpmiArgs } from "../runtime/qemu_args.ts";
import type { Endpoint } from "../transport/endpoint.ts";

const IFACES: readonly InterfaceKind[] = ["kcs", "bt", "ssif"];

function endpointOf(value: unknown): Endpoint {
  const e = value as Record<string, unknown> | null;
  if (e?.transport === "tcp" && typeof e.hostname === "string" && typeof e.port === "number") {
    return { transport: "tcp", hostname: e.hostname, port: e.port };
  }
  if (e?.transport === "unix" && typeof e.path === "string") {
    return { transport: "unix", path: e.path };
  }
  throw new Error(`bmc-emu answered an endpoint ctl does not understand: ${JSON.stringify(value)}`);
}

/** `ctl qemu-args [--iface kcs|bt|ssif] [--qemu PATH]`. */
export const qemuArgs: CtlCommand = async (ctx: CtlContext): Promise<number> => {
  const iface = String(ctx.options.iface ?? "kcs") as InterfaceKind;
  if (!IFACES.includes(iface)) {
    throw new UsageError(`--iface must be one of ${IFACES.join(", ")}, got "${iface}"`);
  }
  const state = await ctx.api.json("GET", `/api/v1/bmcs/${ctx.bmc}`);
  const connection = state.connection as { mode: string; endpoint: unknown };
  const qemu = ctx.options.qemu === undefined ? defaultQemu() : String(ctx.options.qemu);
  const version = await detectQemuVersion(qemu);
  const args = qemuIpmiArgs({
    endpoint: endpointOf(connection.endpoint),
    qemuRole: connection.mode === "listen" ? "client" : "server",
    iface,
    ...(version === null ? {} : { qemuVersion: version }),
  });
  if (ctx.json) {
    ctx.io.stdout(JSON.stringify({
      bmc: ctx.bmc,
      iface,
      qemu: version === null ? null : `${version.major}.${version.minor}`,
      args,
    }));
    return ExitCode.Ok;
  }
  if (version === null) {
    ctx.io.stderr(`warning: cannot run "${qemu} --version"; printing the QEMU 7.2-9.1 spelling`);
  }
  ctx.io.stdout(args.join(" "));
  return ExitCode.Ok;
};
