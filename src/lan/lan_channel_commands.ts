/**
 * LAN channel commands (IPMI v2.0 §22.22–22.24): Get/Set Channel Access and
 * Get Channel Info for the one LAN channel, which is always available with
 * alerting and authentication on.
 *
 * @module
 */

import { CompletionCode } from "../codec/constants.ts";
import { fail, ok, type Reply } from "../core/command.ts";
import { LAN_CHANNEL, LanAppCmd, Privilege } from "./constants.ts";
import { INVALID, isLan, type LanContext, type LanHandler } from "./lan_command_context.ts";

const C = CompletionCode;

/** Channel access byte: access mode "always available" (bits 2:0). */
const ALWAYS_AVAILABLE = 0x02;
/** Set Channel Access completion code: access mode not supported. */
const ACCESS_MODE_NOT_SUPPORTED = 0x83;

function channelAccess(_ctx: LanContext, d: Uint8Array): Reply | null {
  if (d.length !== 2) return fail(C.RequestDataLengthInvalid);
  if (!isLan(d[0]! & 0x0f)) return null;
  return ok(ALWAYS_AVAILABLE, Privilege.Administrator); // alerting and authentication on
}

/**
 * Set Channel Access: the LAN channel is always available with
 * authentication on and an Administrator limit (what Get Channel Access
 * reports); setting exactly that is accepted, anything else refused rather
 * than acknowledged and ignored.
 */
function setChannelAccess(_ctx: LanContext, d: Uint8Array): Reply | null {
  if (d.length !== 3) return fail(C.RequestDataLengthInvalid);
  if (!isLan(d[0]! & 0x0f)) return null;
  const [access, limit] = [d[1]!, d[2]!];
  if ((access & 0xc0) !== 0) {
    if ((access & 0x07) !== ALWAYS_AVAILABLE) return fail(ACCESS_MODE_NOT_SUPPORTED);
    if ((access & 0x38) !== 0) return INVALID; // disabling alerting or authentication
  }
  if ((limit & 0xc0) !== 0 && (limit & 0x0f) !== Privilege.Administrator) return INVALID;
  return ok();
}

function channelInfo(ctx: LanContext, d: Uint8Array): Reply | null {
  if (d.length !== 1) return fail(C.RequestDataLengthInvalid);
  if (!isLan(d[0]! & 0x0f)) return null;
  // 802.3 LAN, IPMI-SMBus protocol type, multi-session, IPMI forum IANA 7154.
  return ok(LAN_CHANNEL, 0x04, 0x04, 0x80 | ctx.sessions.activeCount, 0xf2, 0x1b, 0x00, 0, 0);
}

/** Channel commands (netfn App), by command. */
export const CHANNEL_COMMANDS: ReadonlyMap<number, LanHandler> = new Map<number, LanHandler>([
  [LanAppCmd.SetChannelAccess, setChannelAccess],
  [LanAppCmd.GetChannelAccess, channelAccess],
  [LanAppCmd.GetChannelInfo, channelInfo],
]);
