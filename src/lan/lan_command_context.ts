/**
 * What the LAN-channel command handlers share: the context they see, the
 * shape of their answer and of a handler, and the few replies and checks
 * several of them use (channel number, invalid data, configuration
 * parameter answers).
 *
 * @module
 */

import { CompletionCode } from "../codec/constants.ts";
import { fail, ok, type Reply } from "../core/command.ts";
import type { StateStore } from "../core/ports.ts";
import { CURRENT_CHANNEL, LAN_CHANNEL } from "./constants.ts";
import type { LanSession, SessionTable } from "./session_table.ts";
import type { SolPayload, SolSettings } from "./sol.ts";
import type { UserTable } from "./users.ts";

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

/**
 * One LAN command: its answer, or `null` when the shared core answers it
 * (a channel other than the LAN one).
 */
export type LanHandler = (ctx: LanContext, data: Uint8Array) => LanReply | Reply | null;

/** Completion code 0xCC: invalid data field in request. */
export const INVALID: Reply = fail(CompletionCode.InvalidDataField);
/** Get/Set LAN and SOL Configuration Parameters completion code 0x80: parameter not supported. */
export const PARAM_NOT_SUPPORTED: Reply = fail(0x80);
/** Parameter revision byte of Get LAN and SOL Configuration Parameters answers. */
const PARAMETER_REVISION = 0x11;
/** Get LAN/SOL Configuration Parameters request byte 1, bit 7: the revision only. */
const REVISION_ONLY = 0x80;

/**
 * The answer to Get LAN or SOL Configuration Parameters (request: channel
 * byte, parameter, set selector, block selector): the parameter revision
 * alone when the request asks only for it, else the revision and the value.
 *
 * @param d Request data (4 bytes, checked by the caller).
 * @param value The value of a parameter, or `null` when it is not supported.
 * @returns The reply (0x80 for an unsupported parameter).
 */
export function parameterReply(
  d: Uint8Array,
  value: (param: number) => number[] | null,
): Reply {
  if ((d[0]! & REVISION_ONLY) !== 0) return ok(PARAMETER_REVISION);
  const v = value(d[1]!);
  return v === null ? PARAM_NOT_SUPPORTED : ok(PARAMETER_REVISION, ...v);
}

/**
 * Whether a request's channel number names the LAN channel.
 *
 * @param channel Channel number (low nibble of the request byte).
 * @returns `true` for the current channel (0x0E) and the LAN channel.
 */
export function isLan(channel: number): boolean {
  return channel === CURRENT_CHANNEL || channel === LAN_CHANNEL;
}
