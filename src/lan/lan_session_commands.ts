/**
 * LAN session commands (IPMI v2.0 §22.13–22.20): the session-less
 * Get Channel Authentication Capabilities and Get Channel Cipher Suites a
 * console asks before RMCP+ session setup, the IPMI 1.5 session setup
 * commands (refused), and Set Session Privilege Level, Close Session and Get
 * Session Info inside a session.
 *
 * @module
 */

import { CompletionCode } from "../codec/constants.ts";
import { fail, le16, ok, type Reply, u32 } from "../core/command.ts";
import { LAN_CHANNEL, LanAppCmd, PayloadType, Privilege } from "./constants.ts";
import { CIPHER_SUITES } from "./lan_crypto.ts";
import {
  INVALID,
  isLan,
  type LanContext,
  type LanHandler,
  type LanReply,
} from "./lan_command_context.ts";
import type { LanSession } from "./session_table.ts";

const C = CompletionCode;

/** Commands answered without a session. */
export const SESSIONLESS: ReadonlySet<number> = new Set([
  LanAppCmd.GetChannelAuthCapabilities,
  LanAppCmd.GetChannelCipherSuites,
]);

function authCapabilities(ctx: LanContext, d: Uint8Array): Reply | null {
  if (d.length !== 2) return fail(C.RequestDataLengthInvalid);
  if (!isLan(d[0]! & 0x0f)) return null;
  const extended = (d[0]! & 0x80) !== 0;
  const v15Types = ctx.ipmi15 ? 0x01 : 0x00;
  return ok(
    LAN_CHANNEL,
    (extended ? 0x80 : 0) | v15Types,
    0x04, // non-null user names only; per-message and user-level authentication on
    extended ? 0x02 : 0x00, // IPMI v2.0 / RMCP+
    0,
    0,
    0,
    0,
  );
}

function cipherSuites(ctx: LanContext, d: Uint8Array): Reply | null {
  if (d.length !== 3) return fail(C.RequestDataLengthInvalid);
  if (!isLan(d[0]! & 0x0f)) return null;
  // Payload type: the same suites carry IPMI messages and SOL; other payloads are not offered.
  if (d[1] !== PayloadType.Ipmi && d[1] !== PayloadType.Sol) return INVALID;
  const records: number[] = [];
  for (const s of CIPHER_SUITES) {
    if (!ctx.suites.has(s.id)) continue;
    records.push(0xc0, s.id, s.auth, 0x40 | s.integrity, 0x80 | s.conf);
  }
  const index = d[2]! & 0x3f;
  return ok(LAN_CHANNEL, ...records.slice(index * 16, index * 16 + 16));
}

function setSessionPrivilege(ctx: LanContext, d: Uint8Array): Reply {
  const s = ctx.session!;
  if (d.length !== 1) return fail(C.RequestDataLengthInvalid);
  const want = d[0]! & 0x0f;
  if (want === 0) return ok(s.privilege);
  if (want > Privilege.Oem) return fail(0x80);
  if (want > s.maxPrivilege) return fail(0x81);
  s.privilege = want;
  return ok(want);
}

function closeSession(ctx: LanContext, d: Uint8Array): LanReply | Reply {
  const s = ctx.session!;
  if (d.length !== 4 && d.length !== 5) return fail(C.RequestDataLengthInvalid);
  const id = u32(d, 0);
  const target = id !== 0
    ? ctx.sessions.get(id)
    : ctx.sessions.active().find((x) => x.handle === d[4]);
  if (target === undefined || target.state !== "active") return fail(id !== 0 ? 0x87 : 0x88);
  if (target !== s && s.privilege < Privilege.Administrator) return fail(C.InsufficientPrivilege);
  return {
    reply: ok(),
    after: () => {
      ctx.sessions.close(target.bmcId);
      if (ctx.sol.session === target) ctx.sol.deactivate(target !== s);
    },
  };
}

function sessionInfo(ctx: LanContext, d: Uint8Array): Reply {
  if (d.length < 1) return fail(C.RequestDataLengthInvalid);
  const active = ctx.sessions.active();
  const index = d[0]!;
  let s: LanSession | undefined;
  if (index === 0) s = ctx.session!;
  else if (index === 0xff && d.length === 5) s = active.find((x) => x.bmcId === u32(d, 1));
  else if (index === 0xfe && d.length === 2) s = active.find((x) => x.handle === d[1]);
  else if (index <= 0x3f) s = active[index - 1];
  else return INVALID;
  const head = [s?.handle ?? 0, ctx.sessions.maxActive, active.length];
  if (s === undefined) return ok(...head);
  const ip = s.peer.address.split(".").map(Number);
  return ok(
    ...head,
    s.user?.id ?? 0,
    s.privilege,
    0x10 | LAN_CHANNEL,
    ...(ip.length === 4 && ip.every((n) => n >= 0 && n < 256) ? ip : [0, 0, 0, 0]),
    0,
    0,
    0,
    0,
    0,
    0,
    ...le16(s.peer.port),
  );
}

/** Session commands (netfn App), by command. */
export const SESSION_COMMANDS: ReadonlyMap<number, LanHandler> = new Map<number, LanHandler>([
  [LanAppCmd.GetChannelAuthCapabilities, authCapabilities],
  [LanAppCmd.GetChannelCipherSuites, cipherSuites],
  [LanAppCmd.GetSessionChallenge, () => fail(C.InvalidCommand)],
  [LanAppCmd.ActivateSession, () => fail(C.InvalidCommand)],
  [LanAppCmd.SetSessionPrivilegeLevel, setSessionPrivilege],
  [LanAppCmd.CloseSession, closeSession],
  [LanAppCmd.GetSessionInfo, sessionInfo],
]);
