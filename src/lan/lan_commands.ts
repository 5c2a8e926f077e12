/**
 * Commands that belong to the LAN channel and its sessions rather than to
 * the board (IPMI v2.0 ch. 22–26): authentication capabilities, cipher
 * suites, session privilege/close/info, users, channel access and info, LAN
 * and SOL configuration, and payload activation. Everything else a session
 * sends goes to the shared core dispatcher.
 *
 * @module
 */

import { CompletionCode } from "../codec/constants.ts";
import { fail, ok, okBytes, type Reply } from "../core/command.ts";
import type { StateStore } from "../core/ports.ts";
import {
  CURRENT_CHANNEL,
  LAN_CHANNEL,
  LanAppCmd,
  NETFN_APP,
  NETFN_TRANSPORT,
  NO_ACCESS,
  PayloadType,
  Privilege,
  TransportCmd,
} from "./constants.ts";
import { CIPHER_SUITES } from "./lan_crypto.ts";
import type { LanRequest } from "./lan_message.ts";
import type { LanSession, SessionTable } from "./session_table.ts";
import type { SolPayload, SolSettings } from "./sol.ts";
import { saveSolSettings, SOL_MAX_DATA } from "./sol.ts";
import { MAX_NAME, MAX_PASSWORD, MAX_USERS, type UserTable } from "./users.ts";

/** Addresses the LAN configuration reports. */
export interface LanAddress {
  /** IPv4 address the BMC answers on. */
  readonly ip: readonly number[];
  /** Subnet mask. */
  readonly netmask: readonly number[];
  /** MAC address (locally administered, derived from the BMC id). */
  readonly mac: readonly number[];
  /** UDP port (also the SOL payload port). */
  readonly port: number;
}

/** What LAN command handlers see. */
export interface LanContext {
  /** The session the request arrived in (`null`: session-less). */
  readonly session: LanSession | null;
  /** All sessions. */
  readonly sessions: SessionTable;
  /** Users. */
  readonly users: UserTable;
  /** Enabled cipher suite ids. */
  readonly suites: ReadonlySet<number>;
  /** Whether IPMI 1.5 authentication types are offered. */
  readonly ipmi15: boolean;
  /** The SOL payload. */
  readonly sol: SolPayload;
  /** SOL parameters. */
  readonly solSettings: SolSettings;
  /** Addresses. */
  readonly address: LanAddress;
  /** Set LAN Configuration Parameters overrides, by parameter. */
  readonly lanOverrides: Map<number, Uint8Array>;
  /** Where overrides persist. */
  readonly store: StateStore | null;
}

/** A LAN command's answer, and what to do once it is sent. */
export interface LanReply {
  /** Reply. */
  readonly reply: Reply;
  /** Runs after the response left (Close Session). */
  readonly after?: () => void;
}

const C = CompletionCode;
const INVALID = fail(C.InvalidDataField);
const PARAM_NOT_SUPPORTED = fail(0x80);
const PARAMETER_REVISION = 0x11;

function isLan(channel: number): boolean {
  return channel === CURRENT_CHANNEL || channel === LAN_CHANNEL;
}

function u32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

function le16(v: number): number[] {
  return [v & 0xff, (v >> 8) & 0xff];
}

function le32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}

type Handler = (ctx: LanContext, data: Uint8Array) => LanReply | Reply | null;

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

function userSlot(ctx: LanContext, id: number) {
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

/** Get LAN Configuration Parameters values (IPMI v2.0 table 23-4). */
function lanParameter(ctx: LanContext, param: number): number[] | null {
  const over = ctx.lanOverrides.get(param);
  if (over !== undefined) return [...over];
  const a = ctx.address;
  const enabled = CIPHER_SUITES.filter((s) => ctx.suites.has(s.id)).map((s) => s.id);
  switch (param) {
    case 0:
      return [0x00];
    case 1:
      return [ctx.ipmi15 ? 0x01 : 0x00];
    case 2:
      return ctx.ipmi15 ? [0x01, 0x01, 0x01, 0x01, 0x00] : [0, 0, 0, 0, 0];
    case 3:
      return [...a.ip];
    case 4:
      return [0x01]; // static
    case 5:
      return [...a.mac];
    case 6:
      return [...a.netmask];
    case 7:
      return [0x40, 0x40, 0x10];
    case 10:
      return [0x00];
    case 11:
      return [0x00];
    case 12:
    case 14:
      return [0, 0, 0, 0];
    case 13:
    case 15:
      return [0, 0, 0, 0, 0, 0];
    case 16:
      return [...new TextEncoder().encode("public"), ...new Array(12).fill(0)];
    case 20:
      return [0x00, 0x00];
    case 21:
      return [0x00];
    case 22:
      return [enabled.length];
    case 23:
      return [0x00, ...enabled];
    case 24: {
      // One nibble per cipher suite id 0-15, indexed by id (as FreeIPMI and
      // ipmitool read it), not by the entry's place in parameter 23; ids
      // above 15 have no nibble.
      const nibble = (id: number) => ctx.suites.has(id) ? Privilege.Administrator : 0;
      const out = [0x00];
      for (let id = 0; id < 16; id += 2) out.push(nibble(id) | (nibble(id + 1) << 4));
      return out;
    }
    default:
      return null;
  }
}

/**
 * Parameters Set LAN Configuration Parameters may change. Not 24 (cipher
 * suite privilege levels): RAKP does not limit a session by its suite, so a
 * stored value would be a lie; it answers 0x82 (read-only) like the address.
 */
const WRITABLE_LAN: ReadonlySet<number> = new Set([
  0,
  2,
  7,
  10,
  11,
  12,
  13,
  14,
  15,
  16,
  20,
  21,
]);
const LAN_STORE_KEY = "lan.config";

function getLanConfig(ctx: LanContext, d: Uint8Array): Reply | null {
  if (d.length !== 4) return fail(C.RequestDataLengthInvalid);
  if (!isLan(d[0]! & 0x0f)) return null;
  if ((d[0]! & 0x80) !== 0) return ok(PARAMETER_REVISION);
  const value = lanParameter(ctx, d[1]!);
  return value === null ? PARAM_NOT_SUPPORTED : ok(PARAMETER_REVISION, ...value);
}

function setLanConfig(ctx: LanContext, d: Uint8Array): Reply | null {
  if (d.length < 3) return fail(C.RequestDataLengthInvalid);
  if (!isLan(d[0]! & 0x0f)) return null;
  const param = d[1]!;
  const current = lanParameter(ctx, param);
  if (current === null) return PARAM_NOT_SUPPORTED;
  if (!WRITABLE_LAN.has(param)) return fail(0x82); // read-only here
  if (param === 0) return ok();
  if (d.length - 2 !== current.length) return fail(C.RequestDataLengthInvalid);
  ctx.lanOverrides.set(param, d.slice(2));
  ctx.store?.setValue(
    LAN_STORE_KEY,
    JSON.stringify(Object.fromEntries([...ctx.lanOverrides].map(([k, v]) => [k, [...v]]))),
  );
  return ok();
}

/**
 * Overrides saved by Set LAN Configuration Parameters.
 *
 * @param store State store.
 * @returns Parameter → bytes.
 */
export function loadLanOverrides(store: StateStore | null): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  const text = store?.getValue(LAN_STORE_KEY);
  if (text === undefined) return out;
  try {
    for (const [k, v] of Object.entries(JSON.parse(text) as Record<string, number[]>)) {
      // Only what may still be set (a state file can hold parameter 24 from before).
      if (WRITABLE_LAN.has(Number(k))) out.set(Number(k), Uint8Array.from(v));
    }
  } catch {
    // Damaged: defaults.
  }
  return out;
}

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
  if ((d[0]! & 0x80) !== 0) return ok(PARAMETER_REVISION);
  const value = solParameter(ctx.solSettings, d[1]!, ctx.address.port);
  return value === null ? PARAM_NOT_SUPPORTED : ok(PARAMETER_REVISION, ...value);
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

const APP: ReadonlyMap<number, Handler> = new Map<number, Handler>([
  [LanAppCmd.GetChannelAuthCapabilities, authCapabilities],
  [LanAppCmd.GetChannelCipherSuites, cipherSuites],
  [LanAppCmd.GetSessionChallenge, () => fail(C.InvalidCommand)],
  [LanAppCmd.ActivateSession, () => fail(C.InvalidCommand)],
  [LanAppCmd.SetSessionPrivilegeLevel, setSessionPrivilege],
  [LanAppCmd.CloseSession, closeSession],
  [LanAppCmd.GetSessionInfo, sessionInfo],
  [LanAppCmd.SetChannelAccess, setChannelAccess],
  [LanAppCmd.GetChannelAccess, channelAccess],
  [LanAppCmd.GetChannelInfo, channelInfo],
  [LanAppCmd.SetUserAccess, setUserAccess],
  [LanAppCmd.GetUserAccess, getUserAccess],
  [LanAppCmd.SetUserName, setUserName],
  [LanAppCmd.GetUserName, getUserName],
  [LanAppCmd.SetUserPassword, setUserPassword],
  [LanAppCmd.ActivatePayload, activatePayload],
  [LanAppCmd.DeactivatePayload, deactivatePayload],
  [LanAppCmd.GetPayloadActivationStatus, payloadStatus],
  [LanAppCmd.GetPayloadInstanceInfo, payloadInstanceInfo],
  [LanAppCmd.SetUserPayloadAccess, setUserPayloadAccess],
  [LanAppCmd.GetUserPayloadAccess, getUserPayloadAccess],
  [LanAppCmd.GetChannelPayloadSupport, payloadSupport],
]);

const TRANSPORT: ReadonlyMap<number, Handler> = new Map<number, Handler>([
  [TransportCmd.GetLanConfig, getLanConfig],
  [TransportCmd.SetLanConfig, setLanConfig],
  [TransportCmd.GetSolConfig, getSolConfig],
  [TransportCmd.SetSolConfig, setSolConfig],
]);

/**
 * Answer `req` if it is a LAN-channel command; the caller has checked the
 * session's privilege for it.
 *
 * @param ctx Session and LAN state.
 * @param req The request.
 * @returns The answer, or `null` when the shared core answers it.
 */
export function lanCommand(ctx: LanContext, req: LanRequest): LanReply | null {
  if (req.lun !== 0) return null;
  const table = req.netfn === NETFN_APP ? APP : req.netfn === NETFN_TRANSPORT ? TRANSPORT : null;
  const handler = table?.get(req.cmd);
  if (handler === undefined) return null;
  if (ctx.session === null && !(req.netfn === NETFN_APP && SESSIONLESS.has(req.cmd))) return null;
  const result = handler(ctx, req.data);
  if (result === null) return null;
  return "reply" in result ? result : { reply: result };
}
