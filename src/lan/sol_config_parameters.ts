/**
 * Get/Set SOL Configuration Parameters (IPMI v2.0 §26.2–26.3, table 26-5):
 * SOL enable, authentication, character accumulation, retries and bit
 * rates, saved with the SOL settings; the channel and port are read-only.
 *
 * @module
 */

import { CompletionCode } from "../codec/constants.ts";
import { fail, le16, ok, type Reply } from "../core/command.ts";
import { LAN_CHANNEL, Privilege, TransportCmd } from "./constants.ts";
import {
  INVALID,
  type LanContext,
  type LanHandler,
  PARAM_NOT_SUPPORTED,
  parameterReply,
} from "./lan_command_context.ts";
import { saveSolSettings, type SolSettings } from "./sol.ts";

const C = CompletionCode;

function solParameter(s: SolSettings, param: number, port: number): number[] | null {
  switch (param) {
    case 0:
      return [0x00];
    case 1:
      return [s.enabled ? 1 : 0];
    case 2:
      return [s.authentication];
    case 3:
      return [s.accumulate5ms, s.sendThreshold];
    case 4:
      return [s.retryCount, s.retryInterval10ms];
    case 5:
      return [s.nvBitRate];
    case 6:
      return [s.bitRate];
    case 7:
      return [LAN_CHANNEL];
    case 8:
      return le16(port);
    default:
      return null;
  }
}

function getSolConfig(ctx: LanContext, d: Uint8Array): Reply {
  if (d.length !== 4) return fail(C.RequestDataLengthInvalid);
  return parameterReply(d, (param) => solParameter(ctx.solSettings, param, ctx.address.port));
}

function setSolConfig(ctx: LanContext, d: Uint8Array): Reply {
  const reply = applySolConfig(ctx, d);
  if (reply.cc === C.Ok && d[1] !== 0) saveSolSettings(ctx.store, ctx.solSettings);
  return reply;
}

function applySolConfig(ctx: LanContext, d: Uint8Array): Reply {
  if (d.length < 3) return fail(C.RequestDataLengthInvalid);
  const s = ctx.solSettings;
  const v = d.subarray(2);
  switch (d[1]) {
    case 0:
      return ok();
    case 1:
      s.enabled = (v[0]! & 1) !== 0;
      // Disabling SOL ends an active SOL session; its console is told it is deactivating.
      if (!s.enabled) ctx.sol.deactivate(true);
      return ok();
    case 2:
      if ((v[0]! & 0x0f) < Privilege.User || (v[0]! & 0x0f) > Privilege.Oem) return INVALID;
      s.authentication = v[0]! & 0xcf;
      return ok();
    case 3:
      if (v.length !== 2 || v[0] === 0) return INVALID;
      [s.accumulate5ms, s.sendThreshold] = [v[0]!, v[1]!];
      return ok();
    case 4:
      if (v.length !== 2) return INVALID;
      [s.retryCount, s.retryInterval10ms] = [v[0]! & 0x07, v[1]!];
      return ok();
    case 5:
    case 6:
      if (v[0]! < 6 || v[0]! > 10) return INVALID;
      if (d[1] === 5) s.nvBitRate = v[0]!;
      else s.bitRate = v[0]!;
      return ok();
    case 7:
    case 8:
      return fail(0x82);
    default:
      return PARAM_NOT_SUPPORTED;
  }
}

/** SOL configuration commands (netfn Transport), by command. */
export const SOL_CONFIG_COMMANDS: ReadonlyMap<number, LanHandler> = new Map<number, LanHandler>([
  [TransportCmd.GetSolConfig, getSolConfig],
  [TransportCmd.SetSolConfig, setSolConfig],
]);
