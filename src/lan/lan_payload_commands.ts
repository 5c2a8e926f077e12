/**
 * LAN payload commands (IPMI v2.0 ch. 24): Activate/Deactivate Payload, Get
 * Payload Activation Status and Get Payload Instance Info for the one SOL
 * payload instance, Get/Set User Payload Access, and Get Channel Payload
 * Support.
 *
 * @module
 */

import { CompletionCode } from "../codec/constants.ts";
import { fail, le16, le32, ok, type Reply } from "../core/command.ts";
import { LanAppCmd, PayloadType, Privilege } from "./constants.ts";
import { INVALID, isLan, type LanContext, type LanHandler } from "./lan_command_context.ts";
import { userSlot } from "./lan_user_commands.ts";
import { SOL_MAX_DATA } from "./sol.ts";

const C = CompletionCode;

/** SOL parameter 2 (SOL authentication) bit 7: force encryption. */
const SOL_FORCE_ENCRYPTION = 0x80;
/** SOL parameter 2 bit 6: force authentication (SOL data carries integrity). */
const SOL_FORCE_AUTHENTICATION = 0x40;
/** Activate Payload completion code: the payload cannot be activated without encryption. */
const ACTIVATE_WITHOUT_ENCRYPTION_REFUSED = 0x84;

/** Standard payload enables byte 1: one bit per payload type (SOL: bit 1). */
const SOL_PAYLOAD_BIT = 1 << PayloadType.Sol;

function getUserPayloadAccess(ctx: LanContext, d: Uint8Array): Reply | null {
  if (d.length !== 2) return fail(C.RequestDataLengthInvalid);
  if (!isLan(d[0]! & 0x0f)) return null;
  const u = userSlot(ctx, d[1]! & 0x3f);
  if (u === undefined) return INVALID;
  return ok(u.sol ? SOL_PAYLOAD_BIT : 0, 0, 0, 0);
}

function setUserPayloadAccess(ctx: LanContext, d: Uint8Array): Reply | null {
  if (d.length !== 6) return fail(C.RequestDataLengthInvalid);
  if (!isLan(d[0]! & 0x0f)) return null;
  const u = userSlot(ctx, d[1]! & 0x3f);
  const operation = d[1]! >> 6; // 0: enable the payloads named, 1: disable them
  if (u === undefined || operation > 1) return INVALID;
  if ((d[2]! & SOL_PAYLOAD_BIT) !== 0) {
    u.sol = operation === 0;
    ctx.users.save();
  }
  return ok();
}

function activatePayload(ctx: LanContext, d: Uint8Array): Reply {
  const s = ctx.session!;
  if (d.length !== 6) return fail(C.RequestDataLengthInvalid);
  if (d[0] !== PayloadType.Sol) return INVALID;
  if (!ctx.solSettings.enabled) return fail(0x81);
  if (d[1] !== 1) return fail(0x82);
  if (s.privilege < (ctx.solSettings.authentication & 0x0f)) return fail(C.InsufficientPrivilege);
  if (s.user?.sol !== true) return fail(C.InsufficientPrivilege);
  if (ctx.sol.session !== null) return fail(0x80);
  // SOL parameter 2 "force encryption": not in a session without confidentiality.
  if ((ctx.solSettings.authentication & SOL_FORCE_ENCRYPTION) !== 0 && s.suite.conf === 0) {
    return fail(ACTIVATE_WITHOUT_ENCRYPTION_REFUSED);
  }
  // "Force authentication": not in a session without integrity (suites 0, 1, 15). Table 24-2
  // has no code for it (0x83 is "cannot activate with encryption"); 0xD4 is the generic
  // "security-based restriction".
  if (
    (ctx.solSettings.authentication & SOL_FORCE_AUTHENTICATION) !== 0 && s.suite.integrity === 0
  ) {
    return fail(C.InsufficientPrivilege);
  }
  ctx.sol.activate(s);
  return ok(
    0,
    0,
    0,
    0,
    ...le16(SOL_MAX_DATA + 4),
    ...le16(SOL_MAX_DATA + 4),
    ...le16(ctx.address.port),
    0xff,
    0xff,
  );
}

function deactivatePayload(ctx: LanContext, d: Uint8Array): Reply {
  const s = ctx.session!;
  if (d.length !== 6) return fail(C.RequestDataLengthInvalid);
  if (d[0] !== PayloadType.Sol || d[1] !== 1) return INVALID;
  const active = ctx.sol.session;
  if (active === null) return fail(0x80);
  if (active !== s && s.privilege < Privilege.Administrator) return fail(C.InsufficientPrivilege);
  ctx.sol.deactivate(active !== s);
  return ok();
}

function payloadStatus(ctx: LanContext, d: Uint8Array): Reply {
  if (d.length !== 1) return fail(C.RequestDataLengthInvalid);
  if (d[0] !== PayloadType.Sol) return ok(0, 0, 0);
  return ok(1, ctx.sol.session === null ? 0 : 1, 0);
}

function payloadInstanceInfo(ctx: LanContext, d: Uint8Array): Reply {
  if (d.length !== 2) return fail(C.RequestDataLengthInvalid);
  const s = d[0] === PayloadType.Sol && d[1] === 1 ? ctx.sol.session : null;
  return ok(...le32(s?.bmcId ?? 0), 0, 0, 0, 0, 0, 0, 0, 0);
}

function payloadSupport(_ctx: LanContext, d: Uint8Array): Reply | null {
  if (d.length !== 1) return fail(C.RequestDataLengthInvalid);
  if (!isLan(d[0]! & 0x0f)) return null;
  return ok(0x03, 0x00, 0x3f, 0x00, 0, 0, 0, 0); // IPMI, SOL; session setup payloads
}

/** Payload commands (netfn App), by command. */
export const PAYLOAD_COMMANDS: ReadonlyMap<number, LanHandler> = new Map<number, LanHandler>([
  [LanAppCmd.ActivatePayload, activatePayload],
  [LanAppCmd.DeactivatePayload, deactivatePayload],
  [LanAppCmd.GetPayloadActivationStatus, payloadStatus],
  [LanAppCmd.GetPayloadInstanceInfo, payloadInstanceInfo],
  [LanAppCmd.SetUserPayloadAccess, setUserPayloadAccess],
  [LanAppCmd.GetUserPayloadAccess, getUserPayloadAccess],
  [LanAppCmd.GetChannelPayloadSupport, payloadSupport],
]);
