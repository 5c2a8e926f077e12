/**
 * LAN user commands (IPMI v2.0 §22.26–22.30): Get/Set User Access, Get/Set
 * User Name and Set User Password on the user table, which saves every
 * change.
 *
 * @module
 */

import { CompletionCode } from "../codec/constants.ts";
import { fail, ok, okBytes, type Reply } from "../core/command.ts";
import { LanAppCmd, NO_ACCESS, Privilege } from "./constants.ts";
import { INVALID, isLan, type LanContext, type LanHandler } from "./lan_command_context.ts";
import { type LanUser, MAX_NAME, MAX_PASSWORD, MAX_USERS } from "./users.ts";

const C = CompletionCode;

/**
 * The user a request's user id names.
 *
 * @param ctx LAN state.
 * @param id User id (1 to {@link MAX_USERS}).
 * @returns The user, or `undefined` for an id out of range.
 */
export function userSlot(ctx: LanContext, id: number): LanUser | undefined {
  return id >= 1 && id <= MAX_USERS ? ctx.users.get(id) : undefined;
}

function getUserAccess(ctx: LanContext, d: Uint8Array): Reply | null {
  if (d.length !== 2) return fail(C.RequestDataLengthInvalid);
  if (!isLan(d[0]! & 0x0f)) return null;
  const u = userSlot(ctx, d[1]! & 0x3f);
  if (u === undefined) return INVALID;
  const configured = u.name !== "" || u.password.length > 0;
  return ok(
    MAX_USERS,
    (u.enabled ? 0x40 : 0x80) | ctx.users.enabledCount,
    1, // user 1 (the null user) has a fixed name
    (u.callbackOnly ? UserAccessBit.CallbackOnly : 0) |
      (u.linkAuth ? UserAccessBit.LinkAuth : 0) |
      (u.messaging ? UserAccessBit.Messaging : 0) |
      (configured ? u.privilege : NO_ACCESS),
  );
}

/**
 * Set/Get User Access byte with the user's channel access bits (IPMI v2.0
 * §22.26/22.27); in Set, bit 7 says whether they change.
 */
const UserAccessBit = {
  Change: 0x80,
  CallbackOnly: 0x40,
  LinkAuth: 0x20,
  Messaging: 0x10,
} as const;

function setUserAccess(ctx: LanContext, d: Uint8Array): Reply | null {
  if (d.length !== 3 && d.length !== 4) return fail(C.RequestDataLengthInvalid);
  if (!isLan(d[0]! & 0x0f)) return null;
  const u = userSlot(ctx, d[1]! & 0x3f);
  const privilege = d[2]! & 0x0f;
  if (u === undefined || (privilege > Privilege.Oem && privilege !== NO_ACCESS)) return INVALID;
  u.privilege = privilege;
  if ((d[0]! & UserAccessBit.Change) !== 0) {
    u.callbackOnly = (d[0]! & UserAccessBit.CallbackOnly) !== 0;
    u.linkAuth = (d[0]! & UserAccessBit.LinkAuth) !== 0;
    u.messaging = (d[0]! & UserAccessBit.Messaging) !== 0;
  }
  ctx.users.save();
  return ok();
}

function getUserName(ctx: LanContext, d: Uint8Array): Reply {
  if (d.length !== 1) return fail(C.RequestDataLengthInvalid);
  const u = userSlot(ctx, d[0]! & 0x3f);
  if (u === undefined) return INVALID;
  const out = new Uint8Array(MAX_NAME);
  out.set(new TextEncoder().encode(u.name).subarray(0, MAX_NAME));
  return okBytes(out);
}

function stripZeros(b: Uint8Array): Uint8Array {
  let end = b.length;
  while (end > 0 && b[end - 1] === 0) end--;
  return b.slice(0, end);
}

function setUserName(ctx: LanContext, d: Uint8Array): Reply {
  if (d.length !== 17) return fail(C.RequestDataLengthInvalid);
  const u = userSlot(ctx, d[0]! & 0x3f);
  if (u === undefined || u.id === 1) return INVALID;
  const name = new TextDecoder().decode(stripZeros(d.subarray(1)));
  if (!/^[\x21-\x7e]*$/.test(name)) return INVALID;
  // Names identify users in RAKP: a second user of the same name would be unreachable.
  if (name !== "" && ctx.users.all().some((o) => o !== u && o.name === name)) return INVALID;
  u.name = name;
  ctx.users.save();
  return ok();
}

function setUserPassword(ctx: LanContext, d: Uint8Array): Reply {
  if (d.length !== 2 && d.length !== 18 && d.length !== 22) {
    return fail(C.RequestDataLengthInvalid);
  }
  const wide = (d[0]! & 0x80) !== 0;
  const u = userSlot(ctx, d[0]! & 0x3f);
  if (u === undefined) return INVALID;
  const op = d[1]! & 0x03;
  const size = wide ? MAX_PASSWORD : 16;
  if (op === 0 || op === 1) {
    u.enabled = op === 1;
    ctx.users.save();
    return ok();
  }
  if (d.length !== 2 + size) return fail(C.RequestDataLengthInvalid);
  const given = stripZeros(d.subarray(2));
  if (op === 2) {
    u.password = given;
    ctx.users.save();
    return ok();
  }
  if (!wide && u.password.length > 16) return fail(0x81);
  const same = given.length === u.password.length && given.every((b, i) => b === u.password[i]);
  return same ? ok() : fail(0x80);
}

/** User commands (netfn App), by command. */
export const USER_COMMANDS: ReadonlyMap<number, LanHandler> = new Map<number, LanHandler>([
  [LanAppCmd.SetUserAccess, setUserAccess],
  [LanAppCmd.GetUserAccess, getUserAccess],
  [LanAppCmd.SetUserName, setUserName],
  [LanAppCmd.GetUserName, getUserName],
  [LanAppCmd.SetUserPassword, setUserPassword],
]);
